/**
 * Walks a tree-sitter bash tree in execution order and reports every simple command it
 * would run: lists, pipelines, subshells, groups, substitutions, loops, branches,
 * function bodies. The state (directory, variables) is threaded the way the shell
 * threads it. What a simple command itself runs (wrappers, `bash -c`, `eval`, `find
 * -exec`) is the business of shell-commands.ts.
 */
import type { Node, Parser } from "web-tree-sitter";
import { finishCommand, type RawCommand } from "./shell-commands.js";
import {
  collectTestWords,
  describeError,
  evaluateAssignment,
  evaluateRedirect,
  firstError,
  snippet,
  substitutionsIn,
} from "./shell-nodes.js";
import { join, lookupVariable, poison, type ShellState, sameState, withVariable } from "./shell-state.js";
import type { ParsedShell, ShellCommand, ShellParentRef, ShellRedirect, ShellVia, ShellWord } from "./shell-types.js";
import { dynamicWord, evaluateWord, literalWord, type WordContext } from "./shell-words.js";

/** `bash -c` inside `eval` inside `sh -c`…: deeper than this is refused. */
export const MAX_NESTING = 6;
/** More simple commands than this in one line is refused rather than judged. */
export const MAX_COMMANDS = 1000;
/** Statements, substitutions and groups nested deeper than this are refused (the walk is recursive). */
export const MAX_SYNTAX_DEPTH = 150;
/** Loops nested deeper than this are not walked twice to see what an iteration changes. */
const MAX_LOOP_DEPTH = 4;

export interface WalkContext {
  via: ShellVia[];
  /** Redirections of enclosing statements (`{ …; } > f`): they apply to every command inside. */
  redirects: ShellRedirect[];
  background: boolean;
  pipeline?: { id: number; stage: number; length: number };
  parent?: ShellParentRef;
  depth: number;
  loopDepth: number;
  /** For a later pipeline stage: the previous stage's simple command, or "unknown" when it was not one. */
  pipedFrom?: ShellCommand | "unknown";
}

export interface Sink {
  commands: ShellCommand[];
  functions: ParsedShell["functions"];
  functionNames: Set<string>;
  unparseable?: string;
  nextId: number;
  nextPipeline: number;
  /** How deep the walk is in the syntax tree right now. */
  syntaxDepth: number;
  /** The last simple command emitted, for the stage after it in a pipeline. */
  last?: ShellCommand;
  parser: Parser;
}

export const ROOT_CONTEXT: WalkContext = { via: [], redirects: [], background: false, depth: 0, loopDepth: 0 };

export function markUnparseable(sink: Sink, reason: string): void {
  sink.unparseable ??= reason;
}

/** Parses `source` and walks it; a nested call is how `bash -c` and `eval` are followed. */
export function walkSource(source: string, state: ShellState, ctx: WalkContext, sink: Sink): ShellState {
  if (ctx.depth > MAX_NESTING) {
    markUnparseable(sink, `commands nested more than ${MAX_NESTING} levels deep (bash -c / eval inside each other)`);
    return state;
  }
  const tree = sink.parser.parse(source);
  if (!tree) {
    markUnparseable(sink, "the shell grammar could not parse the line");
    return state;
  }
  try {
    const error = firstError(tree.rootNode);
    if (error) markUnparseable(sink, describeError(error, source));
    return walk(tree.rootNode, state, ctx, sink);
  } finally {
    tree.delete();
  }
}

function walk(node: Node, s: ShellState, c: WalkContext, sink: Sink): ShellState {
  if (sink.commands.length > MAX_COMMANDS) {
    markUnparseable(sink, `more than ${MAX_COMMANDS} commands in one line`);
    return s;
  }
  if (sink.syntaxDepth >= MAX_SYNTAX_DEPTH) {
    markUnparseable(sink, `constructs nested more than ${MAX_SYNTAX_DEPTH} levels deep`);
    return s;
  }
  sink.syntaxDepth++;
  try {
    return walkNode(node, s, c, sink);
  } finally {
    sink.syntaxDepth--;
  }
}

function walkNode(node: Node, s: ShellState, c: WalkContext, sink: Sink): ShellState {
  switch (node.type) {
    case "program":
    case "do_group":
      return walkSequence(node.namedChildren, s, c, sink);
    case "compound_statement":
      return walkSequence(node.namedChildren, s, { ...c, via: [...c.via, { kind: "group" }] }, sink);
    case "subshell":
      walkSequence(node.namedChildren, s, { ...c, via: [...c.via, { kind: "subshell" }] }, sink);
      return s;
    case "list":
      return walkList(node, s, c, sink);
    case "pipeline":
      return walkPipeline(node.namedChildren, s, c, sink);
    case "redirected_statement":
      return walkRedirected(node, s, c, sink);
    case "command":
      return walkCommand(node, [], s, c, sink);
    case "negated_command":
      return walkSequence(node.namedChildren, s, c, sink);
    case "declaration_command":
    case "unset_command":
      return walkDeclaration(node, s, c, sink);
    case "variable_assignment":
      return assign(node, s, c, sink);
    case "variable_assignments":
      return node.namedChildren.reduce((state, child) => assign(child, state, c, sink), s);
    case "test_command":
      return walkTest(node, s, c, sink);
    case "if_statement":
      return walkIf(node, s, c, sink);
    case "while_statement":
    case "for_statement":
    case "c_style_for_statement":
      return walkLoop(node, s, c, sink);
    case "case_statement":
      return walkCase(node, s, c, sink);
    case "function_definition":
      return walkFunction(node, s, c, sink);
    case "comment":
    case "ERROR":
      return s;
    default:
      markUnparseable(sink, `unsupported shell construct (${node.type}): ${snippet(node.text)}`);
      return s;
  }
}

/** Statements in order; one followed by `&` runs in the background and changes nothing here. */
function walkSequence(nodes: Node[], s: ShellState, c: WalkContext, sink: Sink): ShellState {
  let state = s;
  for (const node of nodes) {
    if (node.type === "comment") continue;
    if (node.nextSibling?.type === "&") {
      walk(node, state, { ...c, background: true, via: [...c.via, { kind: "background" }] }, sink);
    } else state = walk(node, state, c, sink);
  }
  return state;
}

function walkList(node: Node, s: ShellState, c: WalkContext, sink: Sink): ShellState {
  const [left, right] = node.namedChildren;
  const operator = node.children.find((child) => child.type === "&&" || child.type === "||")?.type;
  const afterLeft = left ? walk(left, s, c, sink) : s;
  if (!right) return afterLeft;
  if (operator === "||") {
    // The right side runs when the left failed part-way: either state may hold.
    const afterRight = walk(right, join(s, afterLeft), c, sink);
    return join(afterLeft, afterRight);
  }
  return walk(right, afterLeft, c, sink);
}

function walkPipeline(stages: Node[], s: ShellState, c: WalkContext, sink: Sink, first?: Node): ShellState {
  const all = first ? [first, ...stages] : stages;
  const id = sink.nextPipeline++;
  let pipedFrom: ShellCommand | "unknown" | undefined = c.pipedFrom;
  all.forEach((stage, index) => {
    const stageCtx: WalkContext = {
      ...c,
      via: [...c.via, { kind: "pipeline", id, stage: index }],
      pipeline: { id, stage: index, length: all.length },
      pipedFrom,
    };
    sink.last = undefined;
    // Every stage runs in its own subshell: nothing it changes reaches the next statement.
    if (index === 0 && first) walkRedirected(first, s, stageCtx, sink, true);
    else walk(stage, s, stageCtx, sink);
    const simple = stage.type === "command" || stage.childForFieldName("body")?.type === "command";
    pipedFrom = simple && sink.last ? sink.last : "unknown";
  });
  return s;
}

/**
 * `body > f`, `body <<EOF`. The grammar hangs what follows a heredoc's start line
 * (`cat <<EOF | sh`, `cat <<EOF && rm x`) inside the heredoc node; it is walked here as
 * the pipeline or list it is.
 */
function walkRedirected(node: Node, s: ShellState, c: WalkContext, sink: Sink, asStage = false): ShellState {
  const body = node.childForFieldName("body");
  const redirectNodes = node.childrenForFieldName("redirect");
  const heredoc = redirectNodes.find((r) => r.type === "heredoc_redirect");
  if (heredoc && !asStage) {
    const pipeline = heredoc.namedChildren.find((child) => child.type === "pipeline");
    if (pipeline) return walkPipeline(pipeline.namedChildren, s, c, sink, node);
    const right = heredoc.childForFieldName("right");
    const operator = heredoc.childForFieldName("operator")?.type;
    if (right) {
      const afterLeft = walkRedirected(node, s, c, sink, true);
      if (operator === "||") return join(afterLeft, walk(right, join(s, afterLeft), c, sink));
      return walk(right, afterLeft, c, sink);
    }
  }
  // A bare `> file` has no body: it is a command with no words.
  if (!body) return walkCommand(node, [], s, c, sink);
  if (body.type === "command") return walkCommand(body, redirectNodes, s, c, sink);
  const wordCtx = wordContext(s, c, sink, undefined);
  const redirects = redirectNodes
    .flatMap((r) => evaluateRedirect(r, s, wordCtx))
    .map((r) => ({ ...r, inherited: true }));
  return walk(body, s, { ...c, redirects: [...c.redirects, ...redirects] }, sink);
}

function walkCommand(node: Node, outerRedirects: Node[], s: ShellState, c: WalkContext, sink: Sink): ShellState {
  const id = sink.nextId++;
  const children: RawCommand["children"] = [];
  let at: number | "assignment" | "redirect" = "assignment";
  const ctx = wordContext(s, c, sink, { id, word: "assignment" }, (command) => children.push({ command, at }));
  const assignments: RawCommand["assignments"] = [];
  const wordNodes: Node[][] = [];
  const redirectNodes: Node[] = [];
  node.children.forEach((child, index) => {
    const field = node.fieldNameForChild(index);
    if (child.type === "variable_assignment") {
      const evaluated = evaluateAssignment(child, ctx);
      if (evaluated) assignments.push({ name: evaluated.name, value: evaluated.value });
    } else if (field === "name" || field === "argument") {
      const wordNode = field === "name" ? (child.namedChildren[0] ?? child) : child;
      // The grammar inserts an empty MISSING word for `ls |`; the line is already unparseable.
      if (wordNode.isMissing) return;
      const previous = wordNodes[wordNodes.length - 1];
      const last = previous?.[previous.length - 1];
      // `$"x"` and similar come as two nodes with no space between them: one word.
      if (last && last.endIndex === wordNode.startIndex) previous.push(wordNode);
      else wordNodes.push([wordNode]);
    } else if (field === "redirect" || child.type.endsWith("_redirect")) redirectNodes.push(child);
  });
  const argv = wordNodes.map((nodes, index) => {
    at = index;
    return evaluateWord(nodes, ctx);
  });
  at = "redirect";
  const redirects = [...redirectNodes, ...outerRedirects].flatMap((r) => evaluateRedirect(r, s, ctx));
  const text = [node.text, ...outerRedirects.map(redirectText)].join(" ");
  return finishCommand({ id, argv, assignments, redirects, text, children }, s, c, sink);
}

/** A redirection as shown in a command's text: a heredoc by its start line only, not its body or what follows it. */
function redirectText(node: Node): string {
  if (node.type !== "heredoc_redirect") return node.text;
  const start = node.namedChildren.find((n) => n.type === "heredoc_start")?.text ?? "";
  const nested = node.namedChildren.filter((n) => n.type === "file_redirect").map((n) => n.text);
  return [`${node.children[0]?.type ?? "<<"}${start}`, ...nested].join(" ");
}

function walkDeclaration(node: Node, s: ShellState, c: WalkContext, sink: Sink): ShellState {
  const id = sink.nextId++;
  const ctx = wordContext(s, c, sink, { id, word: "assignment" });
  let state = s;
  const argv: ShellWord[] = [literalWord(node.children[0]?.type ?? node.type)];
  for (const child of node.namedChildren) {
    if (child.type === "variable_assignment") {
      const assigned = evaluateAssignment(child, ctx);
      if (!assigned) continue;
      const text = `${assigned.name}=${assigned.value.value}`;
      argv.push(assigned.value.dynamic ? dynamicWord(text) : literalWord(text));
      state = withVariable(state, assigned.name, assigned.static ? assigned.value.value : null);
    } else {
      const word = evaluateWord([child], ctx);
      argv.push(word);
      if (node.type === "unset_command" && !word.value.startsWith("-")) state = withVariable(state, word.value, null);
    }
  }
  emitSyntheticCommand(id, argv, node, s, c, sink);
  return state;
}

function assign(node: Node, s: ShellState, c: WalkContext, sink: Sink): ShellState {
  const ctx = wordContext(s, c, sink, undefined);
  const assigned = evaluateAssignment(node, ctx);
  if (!assigned) return s;
  return withVariable(s, assigned.name, assigned.static ? assigned.value.value : null);
}

/** `[[ … ]]`, `[ … ]`, `(( … ))`: a command whose words are the expression's leaves. */
function walkTest(node: Node, s: ShellState, c: WalkContext, sink: Sink): ShellState {
  const id = sink.nextId++;
  const ctx = wordContext(s, c, sink, c.parent);
  const open = node.children[0]?.type ?? "[[";
  const argv: ShellWord[] = [literalWord(open)];
  const redirects: ShellRedirect[] = [];
  if (open === "((") substitutionsIn(node, ctx);
  else collectTestWords(node, open, argv, redirects, s, ctx);
  emitSyntheticCommand(id, argv, node, s, { ...c, redirects: [...c.redirects, ...redirects] }, sink);
  return s;
}

function walkIf(node: Node, s: ShellState, c: WalkContext, sink: Sink): ShellState {
  const [afterCondition, afterBody] = walkConditionAndBody(node, s, c, sink);
  // Other branches run when the condition failed, possibly part-way through.
  const otherwise = join(s, afterCondition);
  const ends = [afterBody];
  let hasElse = false;
  for (const clause of node.namedChildren) {
    if (clause.type === "elif_clause") ends.push(walkConditionAndBody(clause, otherwise, c, sink)[1]);
    if (clause.type === "else_clause") {
      hasElse = true;
      ends.push(walkSequence(clause.namedChildren, otherwise, c, sink));
    }
  }
  if (!hasElse) ends.push(otherwise);
  return ends.reduce(join);
}

/** The statements before `then` are the condition, those after it the body. */
function walkConditionAndBody(node: Node, s: ShellState, c: WalkContext, sink: Sink): [ShellState, ShellState] {
  const then = node.children.find((child) => child.type === "then");
  const statements = node.namedChildren.filter((n) => n.type !== "elif_clause" && n.type !== "else_clause");
  const condition = statements.filter((n) => !then || n.startIndex < then.startIndex);
  const body = statements.filter((n) => then && n.startIndex > then.startIndex);
  const afterCondition = walkSequence(condition, s, c, sink);
  return [afterCondition, walkSequence(body, afterCondition, c, sink)];
}

/**
 * A loop body may run many times: when one pass changes the directory or a variable, the
 * body is walked from the join of before and after, so the second pass is covered too.
 */
function walkLoop(node: Node, s: ShellState, c: WalkContext, sink: Sink): ShellState {
  const body = node.childForFieldName("body");
  const header = node.namedChildren.filter((n) => n.id !== body?.id);
  const ctx = wordContext(s, c, sink, undefined);
  let entry = s;
  for (const part of header) {
    if (node.type === "while_statement") entry = walk(part, entry, c, sink);
    else if (node.type === "for_statement" && part.type === "variable_name")
      entry = withVariable(entry, part.text, null);
    else if (node.type === "for_statement") evaluateWord([part], ctx);
    else substitutionsIn(part, ctx);
  }
  if (!body) return entry;
  if (c.loopDepth >= MAX_LOOP_DEPTH) entry = poison(entry);
  else {
    const scratch: Sink = { ...sink, commands: [], functions: [], functionNames: new Set(sink.functionNames) };
    const once = walk(body, entry, { ...c, loopDepth: c.loopDepth + 1 }, scratch);
    if (!sameState(once, entry)) entry = join(entry, once);
  }
  return join(entry, walk(body, entry, { ...c, loopDepth: c.loopDepth + 1 }, sink));
}

function walkCase(node: Node, s: ShellState, c: WalkContext, sink: Sink): ShellState {
  const ctx = wordContext(s, c, sink, undefined);
  const value = node.childForFieldName("value");
  if (value) evaluateWord([value], ctx);
  const ends: ShellState[] = [s];
  for (const item of node.namedChildren.filter((n) => n.type === "case_item")) {
    const patterns = item.childrenForFieldName("value");
    for (const pattern of patterns) evaluateWord([pattern], ctx);
    const statements = item.namedChildren.filter((n) => !patterns.some((p) => p.id === n.id));
    ends.push(walkSequence(statements, s, c, sink));
  }
  return ends.reduce(join);
}

function walkFunction(node: Node, s: ShellState, c: WalkContext, sink: Sink): ShellState {
  const name = node.childForFieldName("name")?.text ?? "";
  const body = node.childForFieldName("body");
  sink.functions.push({ name, text: node.text });
  sink.functionNames.add(name);
  // The body runs whenever it is called, from wherever the directory then is.
  if (body) walk(body, { ...s, cwd: null }, { ...c, via: [...c.via, { kind: "function", name }] }, sink);
  return s;
}

function emitSyntheticCommand(
  id: number,
  argv: ShellWord[],
  node: Node,
  s: ShellState,
  c: WalkContext,
  sink: Sink,
): void {
  finishCommand({ id, argv, assignments: [], redirects: [], text: node.text, children: [] }, s, c, sink);
}

export function wordContext(
  s: ShellState,
  c: WalkContext,
  sink: Sink,
  parent: ShellParentRef | undefined,
  onChild?: (command: ShellCommand) => void,
): WordContext {
  return {
    variable: (name) => lookupVariable(s, name),
    onCommands(node, kind) {
      const direction = node.children[0]?.type === ">(" ? ">" : "<";
      const via: ShellVia =
        kind === "substitution"
          ? { kind: "substitution", parent: parent?.id }
          : { kind: "process-substitution", direction, parent: parent?.id };
      const before = sink.commands.length;
      const inner = node.namedChildren.filter((n) => n.type !== "comment");
      walkSequence(
        inner,
        s,
        {
          via: [...c.via, via],
          redirects: [],
          background: c.background,
          parent,
          depth: c.depth,
          loopDepth: c.loopDepth,
        },
        sink,
      );
      if (onChild)
        for (const command of sink.commands.slice(before)) if (command.parent?.id === parent?.id) onChild(command);
    },
  };
}

export function newSink(parser: Parser): Sink {
  return { commands: [], functions: [], functionNames: new Set(), nextId: 0, nextPipeline: 0, syntaxDepth: 0, parser };
}
