/**
 * Parses many files on worker threads. tree-sitter runs synchronously in wasm, so a cold
 * build of a large project is CPU-bound; spreading it over cores is what keeps 2,000
 * files under a second. Workers are started per build and ended after it: each holds its
 * own wasm heap (tens of MB) that an idle agent should not keep.
 *
 * The pool is an optimisation only: when no worker can start (no worker file next to
 * this module, e.g. in a single-file bundle) callers parse on the main thread.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker, type WorkerOptions } from "node:worker_threads";
import type { IndexedFile } from "./file-entry.js";
import type { WorkerBatch, WorkerReply } from "./parse-worker.js";

/** Below this many files to parse, worker start-up (~50–150 ms) costs more than it saves. */
export const POOL_MIN_FILES = 300;
const BATCH_SIZE = 40;
const MAX_WORKERS = 4;

/**
 * Indexes `files` on workers; results keep input order, null for unreadable files.
 * Returns undefined when workers are unavailable, so the caller falls back.
 */
export async function indexInWorkers(
  root: string,
  files: string[],
  engine: "auto" | "regex" | undefined,
  signal?: AbortSignal,
): Promise<Array<IndexedFile | null> | undefined> {
  const spawnSpec = workerSpec();
  // One core stays with the main thread (walk, reads, the UI). Measured on 2 vCPUs, 2 workers
  // were slower than the main thread alone (start-up plus per-worker grammar compiles), so
  // the pool needs at least 3 workers to be worth starting.
  const size = Math.min(MAX_WORKERS, availableParallelism() - 1);
  if (!spawnSpec || size < 3) return undefined;
  const workers: Worker[] = [];
  try {
    for (let i = 0; i < size; i++) workers.push(new Worker(spawnSpec.source, spawnSpec.options));
    return await runBatches(workers, root, files, engine, signal);
  } catch (error) {
    if (signal?.aborted) throw error;
    return undefined; // a worker failed to start or crashed: the caller parses on the main thread
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

function runBatches(
  workers: Worker[],
  root: string,
  files: string[],
  engine: "auto" | "regex" | undefined,
  signal?: AbortSignal,
): Promise<Array<IndexedFile | null>> {
  const results = new Array<IndexedFile | null>(files.length).fill(null);
  let nextStart = 0;
  let pending = 0;
  return new Promise((resolve, reject) => {
    const fail = (error: unknown) => reject(error);
    signal?.addEventListener("abort", () => fail(signal.reason), { once: true });
    const feed = (worker: Worker) => {
      if (signal?.aborted) return;
      if (nextStart >= files.length) {
        if (pending === 0) resolve(results);
        return;
      }
      const start = nextStart;
      nextStart += BATCH_SIZE;
      pending++;
      const batch: WorkerBatch = { id: start, root, files: files.slice(start, start + BATCH_SIZE), engine };
      worker.postMessage(batch);
    };
    for (const worker of workers) {
      worker.on("message", (reply: WorkerReply) => {
        reply.results.forEach((r, i) => {
          results[reply.id + i] = r;
        });
        pending--;
        feed(worker);
      });
      worker.on("error", fail);
      feed(worker);
    }
  });
}

/**
 * Where the worker entry lives. Built output has parse-worker.js beside this file; under
 * tsx or vitest only the .ts exists, and Node 20 does not apply the parent's `--import`
 * loader hooks inside workers, so a tiny bootstrap registers tsx before importing it.
 */
function workerSpec(): { source: string | URL; options: WorkerOptions } | undefined {
  const js = new URL("./parse-worker.js", import.meta.url);
  if (js.protocol === "file:" && existsSync(fileURLToPath(js))) return { source: js, options: {} };
  const ts = new URL("./parse-worker.ts", import.meta.url);
  if (ts.protocol !== "file:" || !existsSync(fileURLToPath(ts))) return undefined;
  let tsxApi: string;
  try {
    // require.resolve picks tsx's CommonJS build, whose register() cannot run in a worker; use its ESM twin.
    const esm = createRequire(import.meta.url)
      .resolve("tsx/esm/api")
      .replace(/\.cjs$/, ".mjs");
    if (!existsSync(esm)) return undefined;
    tsxApi = pathToFileURL(esm).href;
  } catch {
    return undefined; // no tsx (a production install without dev dependencies)
  }
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((api) => { api.register(); return import(${JSON.stringify(ts.href)}); });`;
  return { source: bootstrap, options: { eval: true } };
}
