/**
 * Project map speed: a cold build (no cache, grammars loaded on demand) and a warm build
 * (a fresh handle reading the on-disk cache: what the next parecode run pays) over 2,000
 * synthetic source files in six languages. Budget: cold < 1 s.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createProjectMap } from "../src/context/symbols/index.js";

type Generator = (i: number) => string;

const body = (lines: number, indent: string) =>
  Array.from({ length: lines }, (_, k) => `${indent}total = total + ${k};`).join("\n");

const GENERATORS: Array<[ext: string, share: number, gen: Generator]> = [
  [
    "ts",
    0.4,
    (i) => `import { readFile } from "node:fs/promises";

export interface Options${i} {
  name: string;
  retries: number;
}

export type Id${i} = string | number;

export class Service${i} {
  private total = 0;
  constructor(private readonly options: Options${i}) {}
  async load(id: Id${i}): Promise<string> {
    let total = 0;
${body(12, "    ")}
    return readFile(String(id), "utf8");
  }
  compute(a: number, b: number): number {
    let total = a;
${body(12, "    ")}
    return total + b;
  }
  reset(): void {
    this.total = 0;
  }
}

export const create${i} = (options: Options${i}) => new Service${i}(options);

export function helper${i}(values: number[]): number {
  let total = 0;
${body(15, "  ")}
  return values.length + total;
}
`,
  ],
  [
    "py",
    0.15,
    (i) => `import os

class Repo${i}:
    def __init__(self, path):
        self.path = path

    def load(self, key):
        total = 0
${Array.from({ length: 15 }, (_, k) => `        total = total + ${k}`).join("\n")}
        return total

def main${i}(argv):
    total = 0
${Array.from({ length: 15 }, (_, k) => `    total = total + ${k}`).join("\n")}
    return total
`,
  ],
  [
    "go",
    0.15,
    (i) => `package pkg

type Server${i} struct {
\taddr string
}

type Handler${i} interface {
\tServe() error
}

func NewServer${i}(addr string) *Server${i} {
\treturn &Server${i}{addr: addr}
}

func (s *Server${i}) Start() int {
\ttotal := 0
${Array.from({ length: 15 }, (_, k) => `\ttotal = total + ${k}`).join("\n")}
\treturn total
}
`,
  ],
  [
    "rs",
    0.1,
    (i) => `pub struct Point${i} {
    x: i64,
}

pub trait Area${i} {
    fn area(&self) -> i64;
}

impl Point${i} {
    pub fn new(x: i64) -> Self {
        Point${i} { x }
    }
    fn total(&self) -> i64 {
        let mut total = 0;
${Array.from({ length: 15 }, (_, k) => `        total = total + ${k};`).join("\n")}
        total
    }
}
`,
  ],
  [
    "java",
    0.1,
    (i) => `package app;

public class Shop${i} {
    private int total;

    public Shop${i}(int total) {
        this.total = total;
    }

    public int buy(int count) {
${body(15, "        ")}
        return total;
    }
}
`,
  ],
  [
    "c",
    0.1,
    (i) => `#include <stdio.h>

typedef struct {
    int x;
} Point${i};

int add${i}(int a, int b) {
    int total = 0;
${body(15, "    ")}
    return a + b + total;
}
`,
  ],
];

export async function generateProject(root: string, count: number): Promise<void> {
  let written = 0;
  for (const [ext, share, gen] of GENERATORS) {
    const n = ext === "c" ? count - written : Math.round(count * share);
    for (let i = 0; i < n; i++) {
      const dir = path.join(root, "src", `${ext}-${Math.floor(i / 50)}`);
      await mkdir(dir, { recursive: true });
      await writeFile(path.join(dir, `file${i}.${ext}`), gen(i));
    }
    written += n;
  }
}

export type MapEngine = "regex" | "auto";

export async function measureProjectMap(engine: MapEngine = "regex"): Promise<{
  files: number;
  coldMs: number;
  warmMs: number;
  memoryWarmMs: number;
}> {
  const root = await mkdtemp(path.join(os.tmpdir(), "parecode-map-bench-"));
  const cacheDir = path.join(root, ".cache");
  try {
    await generateProject(root, 2000);
    const cold = createProjectMap({ root, cacheDir, engine });
    const coldMap = await cold.build();
    // Same handle again: only the walk and stats, nothing read.
    const memoryWarm = await cold.build();
    // The cache is written after build() returns; the next run would find it on disk.
    await cold.flush();
    // A new handle, as on the next run: cache loaded from disk.
    const warm = await createProjectMap({ root, cacheDir, engine }).build();
    return {
      files: coldMap.stats.files,
      coldMs: coldMap.stats.ms,
      warmMs: warm.stats.ms,
      memoryWarmMs: memoryWarm.stats.ms,
    };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await measureProjectMap(process.argv[2] === "auto" ? "auto" : "regex");
  console.log(JSON.stringify(result));
}

/**
 * The cold build as users get it: bundled like dist/ (tsx's module loading adds ~60 ms
 * that the shipped CLI does not pay), each run in a fresh process so grammars load cold.
 * Median of `runs`.
 */
export async function measureProjectMapBundled(
  runs = 3,
  engine: MapEngine = "regex",
): Promise<{ files: number; coldMs: number; warmMs: number }> {
  const { build } = await import("esbuild");
  const { execFile } = await import("node:child_process");
  const { promisify } = await import("node:util");
  // Inside the repository so the bundle's bare imports resolve from its node_modules.
  const outDir = fileURLToPath(new URL("./results/map-bundle", import.meta.url));
  await mkdir(outDir, { recursive: true });
  try {
    const outfile = path.join(outDir, "project-map.mjs");
    await build({
      entryPoints: [fileURLToPath(import.meta.url)],
      outfile,
      bundle: true,
      platform: "node",
      format: "esm",
      packages: "external",
      logLevel: "warning",
    });
    const samples: Array<{ files: number; coldMs: number; warmMs: number }> = [];
    for (let i = 0; i < runs; i++) {
      const { stdout } = await promisify(execFile)(process.execPath, [outfile, engine], {
        cwd: fileURLToPath(new URL("..", import.meta.url)),
      });
      samples.push(JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}"));
    }
    const mid = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
    return {
      files: samples[0].files,
      coldMs: mid(samples.map((s) => s.coldMs)),
      warmMs: mid(samples.map((s) => s.warmMs)),
    };
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}
