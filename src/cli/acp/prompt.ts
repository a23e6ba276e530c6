/**
 * An ACP prompt (content blocks) as one parecode task: text blocks are the task; a
 * `resource_link` to a file inside the project is attached (read fresh and pinned in
 * context, like @file in the TUI); an embedded `resource` is the editor's own text of it
 * (perhaps unsaved), so it goes into the task as it was sent.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ContentBlock } from "@agentclientprotocol/sdk";

export interface PromptTask {
  task: string;
  /** Project-relative files to attach. */
  attachments: string[];
}

/** The project-relative path of a file:// URI inside `root`, or undefined. */
export function projectFile(root: string, uri: string): string | undefined {
  if (!uri.startsWith("file:")) return undefined;
  let file: string;
  try {
    file = fileURLToPath(uri);
  } catch {
    return undefined;
  }
  const relative = path.relative(root, file);
  if (relative === "" || relative.startsWith("..") || path.isAbsolute(relative)) return undefined;
  return relative.split(path.sep).join("/");
}

export function promptTask(root: string, blocks: readonly ContentBlock[]): PromptTask {
  const parts: string[] = [];
  const attachments: string[] = [];
  for (const block of blocks) {
    switch (block.type) {
      case "text":
        parts.push(block.text);
        break;
      case "resource_link": {
        const file = projectFile(root, block.uri);
        if (file !== undefined) {
          if (!attachments.includes(file)) attachments.push(file);
        } else {
          parts.push(`[${block.name}](${block.uri})`);
        }
        break;
      }
      case "resource": {
        const { resource } = block;
        const shown = projectFile(root, resource.uri) ?? resource.uri;
        if ("text" in resource) parts.push(`${shown}:\n\`\`\`\n${resource.text}\n\`\`\``);
        else parts.push(`(${shown} was attached as binary data, which parecode cannot read)`);
        break;
      }
      default:
        parts.push(`(an ${block.type} block was attached; parecode reads text only)`);
    }
  }
  return { task: parts.join("\n\n").trim(), attachments };
}
