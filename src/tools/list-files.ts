import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import type { Tool, ToolResult } from "../core/types.js";
import { resolveInProject } from "./path-safety.js";
import { formatCount } from "./truncate.js";

export interface ListFilesToolOptions {
  root: string;
  /** Entries shown before the listing is cut (default 200). */
  maxEntries?: number;
  /** Depth when the call gives none (default 2). */
  defaultDepth?: number;
  /** Largest depth a call may ask for (default 6). */
  maxDepth?: number;
  /** Entries read before the walk stops counting (default 20,000). */
  maxScanned?: number;
}

interface DirNode {
  rel: string;
  level: number;
  dirs: string[];
  files: string[];
  /** Children shown; the rest are counted as "(+N more)". */
  shown: Set<string>;
  scanned: boolean;
}

/**
 * `list_files {path?, depth?}`: a compact tree that follows .gitignore and never enters
 * .git. Folders first, then files, each sorted. Shallow levels are filled first, so a
 * cut listing still shows the whole top of the tree, and every folder whose contents
 * are not all shown says how many entries it hides.
 */
export function createListFilesTool(options: ListFilesToolOptions): Tool {
  const maxEntries = options.maxEntries ?? 200;
  const defaultDepth = options.defaultDepth ?? 2;
  const maxDepth = options.maxDepth ?? 6;
  const maxScanned = options.maxScanned ?? 20_000;
  return {
    name: "list_files",
    description: `File tree (respects .gitignore); depth default ${defaultDepth}, max ${maxDepth}.`,
    parameters: {
      type: "object",
      properties: {
        path: { type: "string" },
        depth: { type: "integer" },
      },
    },
    mutates: false,
    async execute(args, ctx): Promise<ToolResult> {
      const requested = typeof args.path === "string" && args.path.trim() !== "" ? args.path : ".";
      const resolved = resolveInProject(options.root, requested);
      if ("error" in resolved) return fail(resolved.error, "list_files: refused");
      try {
        const info = await stat(resolved.absolute);
        if (!info.isDirectory())
          return fail(`${resolved.relative} is a file, not a folder; read it with read_file`, "list_files: a file");
      } catch {
        return fail(`${requested} not found; list_files {} shows the project root`, "list_files: not found");
      }
      const depth = Math.min(
        Math.max(typeof args.depth === "number" ? Math.floor(args.depth) : defaultDepth, 1),
        maxDepth,
      );
      const tree = await walk(options.root, resolved.relative, depth, maxScanned, ctx.signal);
      if (ctx.signal.aborted) return fail("cancelled", "list_files: cancelled");
      const shownCount = choose(tree, depth, maxEntries);
      const lines = render(tree, resolved.relative, depth);
      if (lines.length === 0) lines.push("(empty)");
      const total = tree.total;
      if (shownCount < total || tree.truncated) {
        const of = tree.truncated ? `more than ${formatCount(total)}` : formatCount(total);
        const biggest = largestHidden(tree);
        const hint = biggest ? `list_files {"path":${JSON.stringify(biggest)}}` : "a subfolder";
        lines.push(`[${formatCount(shownCount)} of ${of} entries shown; list one folder with ${hint}]`);
      }
      const shownLabel = resolved.relative === "." ? "project root" : resolved.relative;
      return {
        content: lines.join("\n"),
        display: `${shownLabel}: ${formatCount(shownCount)} entries (depth ${depth})`,
        isError: false,
      };
    },
  };
}

function fail(content: string, display: string): ToolResult {
  return { content, display, isError: true };
}

interface Tree {
  nodes: Map<string, DirNode>;
  order: DirNode[];
  /** Entries within the depth limit. */
  total: number;
  truncated: boolean;
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Breadth-first, one level past `depth` so folders at the limit know how many entries they hide. */
async function walk(
  root: string,
  startRel: string,
  depth: number,
  maxScanned: number,
  signal: AbortSignal,
): Promise<Tree> {
  // Loaded on first use: the ignore library is not needed to start a task.
  const { createIgnoreRules } = await import("./ignore-rules.js");
  const rules = createIgnoreRules(root).scopedTo(startRel);
  const nodes = new Map<string, DirNode>();
  const order: DirNode[] = [];
  let total = 0;
  let scanned = 0;
  let truncated = false;
  let frontier: DirNode[] = [{ rel: startRel, level: 0, dirs: [], files: [], shown: new Set(), scanned: false }];
  nodes.set(startRel, frontier[0]);
  while (frontier.length > 0 && !signal.aborted) {
    const next: DirNode[] = [];
    for (const node of frontier) {
      if (scanned >= maxScanned) {
        truncated = true;
        break;
      }
      let entries: import("node:fs").Dirent[];
      try {
        entries = await readdir(path.join(root, node.rel), { withFileTypes: true });
      } catch {
        entries = [];
      }
      node.scanned = true;
      for (const entry of entries) {
        const rel = node.rel === "." ? entry.name : `${node.rel}/${entry.name}`;
        const isDir = entry.isDirectory();
        if (rules.isIgnored(rel, isDir)) continue;
        scanned += 1;
        if (isDir) node.dirs.push(entry.name);
        else node.files.push(entry.name);
        if (node.level < depth) total += 1;
        if (isDir && node.level + 1 <= depth) {
          const child: DirNode = { rel, level: node.level + 1, dirs: [], files: [], shown: new Set(), scanned: false };
          nodes.set(rel, child);
          next.push(child);
        }
      }
      node.dirs.sort(byName);
      node.files.sort(byName);
      order.push(node);
    }
    next.sort((a, b) => byName(a.rel, b.rel));
    frontier = truncated ? [] : next;
  }
  return { nodes, order, total, truncated };
}

/** Marks entries shown, shallowest level first, up to `maxEntries`. Returns how many. */
function choose(tree: Tree, depth: number, maxEntries: number): number {
  let shown = 0;
  for (const node of tree.order) {
    if (node.level >= depth) continue;
    for (const name of [...node.dirs, ...node.files]) {
      if (shown >= maxEntries) return shown;
      node.shown.add(name);
      shown += 1;
    }
  }
  return shown;
}

function render(tree: Tree, startRel: string, depth: number): string[] {
  const lines: string[] = [];
  const start = tree.nodes.get(startRel);
  if (!start) return lines;
  const indentBase = startRel === "." ? 0 : 1;
  if (startRel !== ".") lines.push(`${startRel}/`);
  const visit = (node: DirNode) => {
    const indent = "  ".repeat(node.level + indentBase);
    for (const name of node.dirs) {
      if (!node.shown.has(name)) continue;
      const childRel = node.rel === "." ? name : `${node.rel}/${name}`;
      const child = tree.nodes.get(childRel);
      const hidden = child ? hiddenCount(child, depth) : 0;
      lines.push(`${indent}${name}/${hidden > 0 ? ` (+${formatCount(hidden)} more)` : ""}`);
      if (child && child.level < depth) visit(child);
    }
    for (const name of node.files) if (node.shown.has(name)) lines.push(`${indent}${name}`);
  };
  visit(start);
  return lines;
}

function hiddenCount(node: DirNode, depth: number): number {
  const all = node.dirs.length + node.files.length;
  return node.level >= depth ? all : all - node.shown.size;
}

function largestHidden(tree: Tree): string | undefined {
  let best: DirNode | undefined;
  let bestHidden = 0;
  for (const node of tree.order) {
    if (node.level === 0) continue;
    const hidden = node.dirs.length + node.files.length - node.shown.size;
    if (hidden > bestHidden) {
      best = node;
      bestHidden = hidden;
    }
  }
  return best?.rel;
}
