import type { ReadCache } from "../context/read-cache.js";
import type { JsonSchema, Tool, ToolContext, ToolResult } from "../core/types.js";
import {
  confirmWrite,
  errorResult,
  loadForRewrite,
  plural,
  renderAround,
  stringArg,
  writeFailure,
  writeFailureLabel,
} from "./file-common.js";
import { canonicalPath, encodeText, restoreLineEndings, writeFileAtomic } from "./file-io.js";
import { renderLines } from "./line-hash.js";
import { applyHunks, type Placement, parseHunks } from "./patch-apply.js";
import { resolveInProject } from "./path-safety.js";

export const PATCH_FILE_DESCRIPTION = "Apply a unified diff to one file (all hunks or none).";

export const PATCH_FILE_SCHEMA: JsonSchema = {
  type: "object",
  properties: {
    path: { type: "string" },
    patch: { type: "string" },
  },
  required: ["path", "patch"],
};

export interface PatchFileOptions {
  root: string;
  cache: ReadCache;
}

/** Patched lines shown per hunk in the result, so the model can chain edits. */
const RESULT_LINES_PER_HUNK = 12;

export function createPatchFileTool(options: PatchFileOptions): Tool {
  return {
    name: "patch_file",
    description: PATCH_FILE_DESCRIPTION,
    parameters: PATCH_FILE_SCHEMA,
    mutates: true,
    async execute(args, ctx) {
      if (ctx.signal.aborted) return errorResult("patch cancelled", "Cancelled; the file was not changed.");
      try {
        return await patchFile(options, args, ctx);
      } catch (err) {
        return errorResult("patch failed", `patch_file failed: ${(err as Error).message}. The file was not changed.`);
      }
    },
  };
}

async function patchFile(
  options: PatchFileOptions,
  args: Record<string, unknown>,
  ctx: ToolContext,
): Promise<ToolResult> {
  const pathArg = stringArg(args, "path", true);
  if ("error" in pathArg) return errorResult("patch: bad arguments", pathArg.error);
  const patchArg = stringArg(args, "patch", true);
  if ("error" in patchArg) return errorResult("patch: bad arguments", patchArg.error);
  const resolved = resolveInProject(options.root, pathArg.value ?? "");
  if ("error" in resolved) return errorResult("patch: path refused", resolved.error);
  const rel = resolved.relative;

  const parsed = parseHunks(patchArg.value ?? "");
  if ("error" in parsed) return errorResult(`patch ${rel}: bad patch`, `${parsed.error}. The file was not changed.`);
  const file = await loadForRewrite(resolved.absolute, rel, "patch");
  if ("isError" in file) return file;

  const applied = applyHunks(file.lines, parsed.hunks);
  if (!applied.ok) {
    const { hunk, reason, near } = applied;
    const diff = near?.firstDiff;
    const diffNote = diff
      ? ` First difference at line ${diff.line}:\n  patch: ${JSON.stringify(diff.expected)}\n  file:  ${JSON.stringify(diff.actual)}`
      : "";
    const where = near?.startLine === hunk.oldStart ? "where the header points" : "the most similar lines";
    const shown = near
      ? `Around ${where} (${near.startLine}-${near.endLine}), as the file is now:\n${renderAround(file.lines, [near])}`
      : `The file has ${plural(file.lines.length, "line")}.`;
    return errorResult(
      `patch ${rel}: hunk ${hunk.index} failed`,
      `Hunk ${hunk.index} of ${parsed.hunks.length} (${hunk.header}) did not apply: ${reason}. ` +
        `No hunk was applied; the file is unchanged.${diffNote}\n${shown}\nFix that hunk's context/removed lines to match and resend the whole patch.`,
    );
  }
  if (applied.placements.length === 0) {
    return errorResult(`patch ${rel}: empty`, "the patch has no '-' or '+' lines; nothing to change.");
  }
  const newText = applied.lines.join("\n") + (applied.lines.length > 0 ? "\n" : "");
  const refused = await confirmWrite(ctx, rel, file.text, newText, "patch");
  if (refused) return refused;
  const raw = restoreLineEndings(file, newText);
  try {
    await writeFileAtomic(resolved.absolute, encodeText(raw, file));
  } catch (err) {
    return errorResult(`patch ${rel}: ${writeFailureLabel(err)}`, writeFailure(rel, err, "Nothing was changed."));
  }
  options.cache.invalidate(await canonicalPath(resolved.absolute));

  const added = applied.placements.reduce((n, p) => n + p.added, 0);
  const removed = applied.placements.reduce((n, p) => n + p.removed, 0);
  const notes = applied.placements.map(placementNote).filter((n) => n !== "");
  const body = applied.placements.map((p) => hunkView(applied.lines, p)).join("\n…\n");
  return {
    content:
      `Patched ${rel}: ${plural(applied.placements.length, "hunk")} applied (+${added} -${removed})` +
      `${notes.length > 0 ? `; ${notes.join("; ")}` : ""}\n${body}`,
    display: `patch ${rel} (${plural(applied.placements.length, "hunk")}, +${added} -${removed})`,
    isError: false,
    filesChanged: [rel],
  };
}

function placementNote(p: Placement): string {
  const parts: string[] = [];
  if (p.moved) parts.push(`placed by context at line ${p.line}`);
  if (p.fuzzy) parts.push("whitespace differed");
  return parts.length === 0 ? "" : `hunk ${p.hunk} ${parts.join(", ")}`;
}

function hunkView(lines: string[], p: Placement): string {
  const end = p.line + Math.min(Math.max(p.length, 1), RESULT_LINES_PER_HUNK) - 1;
  return renderLines(lines, p.line, end);
}
