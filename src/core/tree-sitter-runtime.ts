/**
 * The one web-tree-sitter runtime, shared by every part that parses with a grammar (the
 * symbol outlines in context/, the shell parser in permissions/). Nothing runs at import
 * time: the core wasm is initialised on the first call, each grammar on its first use,
 * and both are cached. A failed load is forgotten, so a later call tries again (e.g.
 * after a transient read error) instead of failing forever.
 */
import { createRequire } from "node:module";
import type { Language } from "web-tree-sitter";

export type WebTreeSitter = typeof import("web-tree-sitter");

const require = createRequire(import.meta.url);

let runtime: Promise<WebTreeSitter> | undefined;
const languages = new Map<string, Promise<Language>>();

/** The initialised web-tree-sitter module. */
export function loadTreeSitter(): Promise<WebTreeSitter> {
  if (runtime) return runtime;
  const loading = (async () => {
    const mod = await import("web-tree-sitter");
    // web-tree-sitter finds its wasm via import.meta.url by default, which breaks once
    // esbuild bundles it into dist/; resolving through the package works in both layouts.
    const coreWasm = require.resolve("web-tree-sitter/web-tree-sitter.wasm");
    await mod.Parser.init({ locateFile: () => coreWasm });
    return mod;
  })();
  runtime = loading;
  loading.catch(() => {
    if (runtime === loading) runtime = undefined;
  });
  return loading;
}

/**
 * A grammar from `@vscode/tree-sitter-wasm` by its file name (`bash`, `typescript`,
 * `c-sharp`…). Rejects when the wasm is missing or does not load.
 */
export function loadLanguage(grammar: string): Promise<Language> {
  const cached = languages.get(grammar);
  if (cached) return cached;
  const loading = (async () => {
    const mod = await loadTreeSitter();
    const wasm = require.resolve(`@vscode/tree-sitter-wasm/wasm/tree-sitter-${grammar}.wasm`);
    return mod.Language.load(wasm);
  })();
  languages.set(grammar, loading);
  loading.catch(() => {
    if (languages.get(grammar) === loading) languages.delete(grammar);
  });
  return loading;
}

/** Whether the runtime has been asked for yet: lets tests prove that importing a module is cheap. */
export function treeSitterRequested(): boolean {
  return runtime !== undefined;
}
