/**
 * `parseShell`: the commands a bash command line would run, from the real tree-sitter
 * bash grammar. Loads the grammar on the first call (never at import time) and keeps
 * one parser for every later call. Parsing is synchronous once loaded, so calls never
 * interleave on the shared parser.
 */
import type { Parser } from "web-tree-sitter";
import { loadLanguage, loadTreeSitter } from "../core/tree-sitter-runtime.js";
import { INITIAL_STATE } from "./shell-state.js";
import type { ParsedShell } from "./shell-types.js";
import { newSink, ROOT_CONTEXT, walkSource } from "./shell-walk.js";

export type {
  CwdTrail,
  ParsedShell,
  ShellAssignment,
  ShellCommand,
  ShellFunction,
  ShellParentRef,
  ShellRedirect,
  ShellVia,
  ShellWord,
  ShellWrapper,
  WordSegment,
} from "./shell-types.js";
export { MAX_COMMANDS, MAX_NESTING, MAX_SYNTAX_DEPTH } from "./shell-walk.js";

let bashParser: Promise<Parser> | undefined;

function loadBashParser(): Promise<Parser> {
  if (bashParser) return bashParser;
  const loading = (async () => {
    const [mod, language] = await Promise.all([loadTreeSitter(), loadLanguage("bash")]);
    const parser = new mod.Parser();
    parser.setLanguage(language);
    return parser;
  })();
  bashParser = loading;
  loading.catch(() => {
    if (bashParser === loading) bashParser = undefined;
  });
  return loading;
}

/** Every simple command `source` would run, however nested. Rejects only when the grammar cannot be loaded. */
export async function parseShell(source: string): Promise<ParsedShell> {
  const parser = await loadBashParser();
  const sink = newSink(parser);
  walkSource(source, INITIAL_STATE, ROOT_CONTEXT, sink);
  const parsed: ParsedShell = { source, commands: sink.commands, functions: sink.functions };
  if (sink.unparseable !== undefined) parsed.unparseable = sink.unparseable;
  return parsed;
}
