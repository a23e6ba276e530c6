/**
 * Worker entry for parse-pool.ts: indexes batches of files. Each worker loads its own
 * tree-sitter runtime and grammars lazily, exactly as the main thread would.
 */
import { parentPort } from "node:worker_threads";
import { type IndexedFile, indexFile } from "./file-entry.js";

export interface WorkerBatch {
  id: number;
  root: string;
  files: string[];
  engine?: "auto" | "regex";
}

export interface WorkerReply {
  id: number;
  results: Array<IndexedFile | null>;
}

const port = parentPort;
port?.on("message", (batch: WorkerBatch) => {
  void (async () => {
    const results: Array<IndexedFile | null> = [];
    for (const file of batch.files) results.push((await indexFile(batch.root, file, batch.engine)) ?? null);
    port.postMessage({ id: batch.id, results } satisfies WorkerReply);
  })();
});
