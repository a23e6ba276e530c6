/**
 * `server__tool` names that every provider accepts: only [A-Za-z0-9_-], at most 64
 * characters (OpenAI's limit, the strictest), unique across all servers. Permission
 * rules match on these names (`github__*`), so they stay stable across sessions: the
 * same servers and tools give the same names.
 */

import { createHash } from "node:crypto";

export const MAX_TOOL_NAME = 64;

export function sanitiseName(text: string): string {
  const clean = text.replace(/[^A-Za-z0-9_-]/g, "_");
  return clean === "" ? "tool" : clean;
}

/**
 * The name for `tool` of `server`, different from every name in `taken` (which it is
 * added to). Long names keep their start and get a short hash of the original, so two
 * long names that share a prefix stay distinct.
 */
export function mcpToolName(server: string, tool: string, taken: Set<string>): string {
  let name = `${sanitiseName(server)}__${sanitiseName(tool)}`;
  if (name.length > MAX_TOOL_NAME) {
    const hash = createHash("sha256").update(`${server}\0${tool}`).digest("hex").slice(0, 6);
    name = `${name.slice(0, MAX_TOOL_NAME - 7)}_${hash}`;
  }
  if (taken.has(name)) {
    for (let n = 2; ; n++) {
      const suffix = `_${n}`;
      const candidate = `${name.slice(0, MAX_TOOL_NAME - suffix.length)}${suffix}`;
      if (!taken.has(candidate)) {
        name = candidate;
        break;
      }
    }
  }
  taken.add(name);
  return name;
}
