/**
 * Checkpoint and undo on a 20,000-file project, in git and outside it, and the snapshot
 * store's size after 50 tasks. DESIGN.md budgets these as "printed; store bounded": the
 * times are printed, only the store's bound is checked.
 */
import { execFileSync } from "node:child_process";
import { closeSync, fsyncSync, openSync, writeSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, stat, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  type Checkpoint,
  type CheckpointOptions,
  type CreateCheckpointResult,
  createCheckpoint,
  restore,
} from "../src/git/checkpoints.js";
import { createSessionStore } from "../src/sessions/index.js";
import { commitAll, git } from "../test/support/git.js";

const DIRS = 200;
const FILES_PER_DIR = 100;
export const TASKS_FOR_STORE = 50;

export interface CheckpointFigures {
  files: number;
  git: { firstMs: number; checkpointMs: number; undoMs: number; untrackedMs: number };
  plain: { firstMs: number; checkpointMs: number; undoMs: number };
  /** `bytes`: the packs, what the bound applies to; `diskBytes`: everything under the store, in disk blocks. */
  store: { tasks: number; bytes: number; diskBytes: number; limitBytes: number; checkpoints: number };
  session: { appendUs: number; appendFsyncUs: number };
}

export async function measureCheckpoints(): Promise<CheckpointFigures> {
  const base = await mkdtemp(path.join(tmpdir(), "parecode-checkpoint-bench-"));
  try {
    const limits = { maxStoreBytes: 500 * 1024 * 1024, maxCheckpoints: 200 };
    const options: CheckpointOptions = { dataDir: path.join(base, "data"), limits };

    const repo = path.join(base, "repo");
    await generateProject(repo);
    commitAll(repo);
    const gitFirst = await timed(() => checkpoint(repo, options, "warm-up"));
    const gitRun = await checkpointAndUndo(repo, options);

    const untracked = path.join(base, "untracked");
    await generateProject(untracked);
    git(untracked, "init", "-q");
    const untrackedMs = (await timed(() => checkpoint(untracked, options, "untracked"))).ms;

    const plain = path.join(base, "plain");
    await generateProject(plain);
    const plainFirst = await timed(() => checkpoint(plain, options, "first"));
    const plainRun = await checkpointAndUndo(plain, options);

    const store = await storeAfterTasks(base);
    return {
      files: DIRS * FILES_PER_DIR,
      git: { firstMs: gitFirst.ms, ...gitRun, untrackedMs },
      plain: { firstMs: plainFirst.ms, ...plainRun },
      store,
      session: measureSessionAppend(path.join(base, "sessions")),
    };
  } finally {
    await rm(base, { recursive: true, force: true });
  }
}

/** One task's worth: checkpoint, a few edits (one through a real shell), then undo. */
async function checkpointAndUndo(root: string, options: CheckpointOptions) {
  const { ms: checkpointMs, value: cp } = await timed(() => checkpoint(root, options, "task"));
  await changeFewFiles(root, 1);
  const undo = await timed(() => restore(root, cp, options));
  if (undo.value.failed.length > 0 || undo.value.plan.actions.length !== 5) {
    throw new Error(`undo went wrong: ${JSON.stringify(undo.value.plan.actions)} ${JSON.stringify(undo.value.failed)}`);
  }
  return { checkpointMs, undoMs: undo.ms };
}

/** 50 tasks of a few changed files each on a 20,000-file project outside git, each with its checkpoint. */
async function storeAfterTasks(base: string) {
  const root = path.join(base, "store-project");
  const dataDir = path.join(base, "store-data");
  const limitBytes = 200 * 1024 * 1024;
  await generateProject(root);
  for (let task = 1; task <= TASKS_FOR_STORE; task++) {
    await checkpoint(root, { dataDir, limits: { maxStoreBytes: limitBytes } }, `task ${task}`);
    await changeFewFiles(root, task);
  }
  const storeDir = path.join(dataDir, "checkpoints");
  const index = JSON.parse(await readFile(path.join(storeDir, "index.json"), "utf8")) as {
    packs: Record<string, [number, number]>;
  };
  const bytes = Object.values(index.packs).reduce((sum, [size]) => sum + size, 0);
  return {
    tasks: TASKS_FOR_STORE,
    bytes,
    diskBytes: await diskUsage(storeDir),
    limitBytes,
    checkpoints: (await readdir(path.join(storeDir, "records"))).length,
  };
}

/** Microseconds per appended event, plain and with an fsync after each (what "durable" would cost). */
function measureSessionAppend(dir: string): { appendUs: number; appendFsyncUs: number } {
  const store = createSessionStore(dir);
  const session = store.create({ root: dir });
  session.appendTask("bench");
  const event = {
    type: "tool_end" as const,
    turn: 1,
    callId: "call_1",
    name: "bash",
    display: "bash npm test (exit 0)",
    isError: false,
    durationMs: 12,
  };
  const n = 2_000;
  let started = performance.now();
  for (let i = 0; i < n; i++) session.append(event);
  const appendUs = ((performance.now() - started) * 1000) / n;
  session.close();
  const fd = openSync(path.join(dir, "fsync.jsonl"), "a");
  const line = `${JSON.stringify(event)}\n`;
  started = performance.now();
  for (let i = 0; i < 200; i++) {
    writeSync(fd, line);
    fsyncSync(fd);
  }
  const appendFsyncUs = ((performance.now() - started) * 1000) / 200;
  closeSync(fd);
  return { appendUs: Math.round(appendUs * 10) / 10, appendFsyncUs: Math.round(appendFsyncUs) };
}

async function checkpoint(root: string, options: CheckpointOptions, label: string): Promise<Checkpoint> {
  const result: CreateCheckpointResult = await createCheckpoint(root, { ...options, label });
  if (result.status !== "created") throw new Error(result.message);
  return result.checkpoint;
}

/** 20,000 source-like files of 300–1,500 bytes in 200 folders. */
async function generateProject(root: string): Promise<void> {
  for (let d = 0; d < DIRS; d++) {
    const dir = path.join(root, "src", `module${d}`);
    await mkdir(dir, { recursive: true });
    await Promise.all(
      Array.from({ length: FILES_PER_DIR }, (_, f) => {
        const lines = Array.from(
          { length: 8 + ((d * 31 + f * 17) % 40) },
          (_, i) => `export function handler${f}_${i}(input: number): number { return input * ${d + i} + ${f}; }`,
        );
        return writeFile(path.join(dir, `file${f}.ts`), `${lines.join("\n")}\n`);
      }),
    );
  }
}

/** Edits two files, creates one, deletes one, and rewrites one with `sed -i`. */
async function changeFewFiles(root: string, task: number): Promise<void> {
  const dir = path.join(root, "src", `module${task % DIRS}`);
  await writeFile(path.join(dir, "file1.ts"), `// task ${task}\nexport const changed = ${task};\n`);
  await writeFile(path.join(dir, "file2.ts"), `// task ${task} again\n`);
  await writeFile(path.join(dir, `created-${task}.ts`), `export const created = ${task};\n`);
  await unlink(path.join(dir, "file3.ts")).catch(() => undefined);
  execFileSync("sed", ["-i", `s/input \\* /input * ${task} * /`, path.join(dir, "file4.ts")]);
}

async function diskUsage(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total += await diskUsage(full);
    else total += (await stat(full)).blocks * 512;
  }
  return total;
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await fn();
  return { ms: Math.round(performance.now() - started), value };
}
