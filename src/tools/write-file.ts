import { stat } from "node:fs/promises";
import type { ReadCache } from "../context/read-cache.js";
import type { JsonSchema, Tool, ToolContext, ToolResult } from "../core/types.js";
import {
  booleanArg,
  confirmWrite,
  errorResult,
  plural,
  stringArg,
  toLf,
  writeFailure,
  writeFailureLabel,
} from "./file-common.js";
import { canonicalPath, encodeText, loadTextFile, splitLines, writeFileAtomic } from "./file-io.js";
import { resolveInProject } from "./path-safety.js";

export const WRITE_FILE_DESCRIPTION = "Create a file; replacing one needs overwrite: true.";

export const WRITE_FILE_SCHEMA: JsonSchema = {
  type: "object",
  properties: {
    path: { type: "string" },
    content: { type: "string" },
    overwrite: { type: "boolean" },
  },
  required: ["path", "content"],
};

export interface WriteFileOptions {
  root: string;
  cache: ReadCache;
}

export function createWriteFileTool(options: WriteFileOptions): Tool {
  return {
    name: "write_file",
    description: WRITE_FILE_DESCRIPTION,
    parameters: WRITE_FILE_SCHEMA,
    mutates: true,
    async execute(args, ctx) {
      if (ctx.signal.aborted) return errorResult("write cancelled", "Cancelled; nothing was written.");
      try {
        return await writeFile(options, args, ctx);
      } catch (err) {
        return errorResult("write failed", `write_file failed: ${(err as Error).message}. Nothing was written.`);
      }
    },
  };
}

async function writeFile(
  options: WriteFileOptions,
  args: Record<string, unknown>,
  ctx: ToolContext,
): Promise<ToolResult> {
  const pathArg = stringArg(args, "path", true);
  if ("error" in pathArg) return errorResult("write: bad arguments", pathArg.error);
  const contentArg = stringArg(args, "content", true);
  if ("error" in contentArg) return errorResult("write: bad arguments", contentArg.error);
  const overwrite = booleanArg(args, "overwrite");
  if ("error" in overwrite) return errorResult("write: bad arguments", overwrite.error);
  const resolved = resolveInProject(options.root, pathArg.value ?? "");
  if ("error" in resolved) return errorResult("write: path refused", resolved.error);
  const rel = resolved.relative;
  const given = contentArg.value ?? "";
  const content = toLf(given);

  const existing = await stat(resolved.absolute).catch(() => null);
  if (existing?.isDirectory()) {
    return errorResult(`write ${rel}: is a directory`, `${rel} is a directory; give a file path inside it.`);
  }
  // A new file gets exactly what the model sent (a .bat may want its CRLF).
  let data: Buffer | string = given;
  let previous = "";
  let before: string | null = null;
  if (existing) {
    const loaded = await loadTextFile(resolved.absolute, rel);
    const lines = loaded.ok ? plural(loaded.file.lines.length, "line") : `${existing.size} bytes`;
    if (!overwrite.value) {
      return errorResult(
        `write ${rel}: exists`,
        `${rel} already exists (${lines}); nothing was written. To change part of it use edit_file or ` +
          "patch_file; to replace all of it, call write_file again with overwrite: true.",
      );
    }
    previous = `, was ${lines}`;
    before = loaded.ok ? loaded.file.text : "";
    if (loaded.ok) {
      // Replacing the text, not the file's conventions: keep its line endings, BOM and encoding.
      const { eol, encoding, bom } = loaded.file;
      data = encodeText(eol === "\r\n" ? content.replace(/\n/g, "\r\n") : content, { encoding, bom });
    }
  }
  const refused = await confirmWrite(ctx, rel, before, content, "write");
  if (refused) return refused;
  try {
    await writeFileAtomic(resolved.absolute, data);
  } catch (err) {
    return errorResult(`write ${rel}: ${writeFailureLabel(err)}`, writeFailure(rel, err, "Nothing was written."));
  }
  options.cache.invalidate(await canonicalPath(resolved.absolute));
  const count = splitLines(content).length;
  return {
    content: `${existing ? "Replaced" : "Created"} ${rel} (${plural(count, "line")}${previous})`,
    display: `write ${rel} (+${count} lines)`,
    isError: false,
    filesChanged: [rel],
  };
}
