/**
 * Builds the permission policy a session runs with: the user's `[permissions]`, the
 * project's `.parecode/permissions.toml` (only its stricter parts unless the folder is
 * trusted), the command line, and workspace trust asked once on a terminal.
 */
import path from "node:path";
import { dataDir, displayPath } from "../config/paths.js";
import type { ResolvedConfig } from "../config/types.js";
import type { PermissionMode } from "../core/approval.js";
import {
  type CommandAssessor,
  createPermissionPolicy,
  EDIT_TOOLS,
  type PermissionPolicy,
} from "../permissions/policy.js";
import { appendProjectRules, readProjectPermissions } from "../permissions/project-file.js";
import { type ResolvedPermissions, resolvePermissions } from "../permissions/resolve.js";
import { readPermissionSettings } from "../permissions/settings.js";
import type { ToolKind } from "../permissions/types.js";
import { createTrustStore } from "../permissions/workspace-trust.js";

/** Asked once per folder when its permission file would loosen the rules. Resolve true to trust it. */
export type WorkspaceTrustPrompt = (info: { folder: string; file: string; loosening: string[] }) => Promise<boolean>;

export interface SessionPermissionsOptions {
  root: string;
  env: NodeJS.ProcessEnv;
  config: ResolvedConfig;
  /** --permission-mode, --trust. */
  cliMode?: PermissionMode;
  /** --trust-project: trust this folder without asking (and remember it). */
  trustProject?: boolean;
  /** Absent when no person can be asked. */
  confirmTrust?: WorkspaceTrustPrompt;
  toolKind(name: string): ToolKind;
  /** Builds the bash-command judge once the read-only lists are known. */
  commandAssessor(resolved: ResolvedPermissions): CommandAssessor;
}

export interface SessionPermissions {
  policy: PermissionPolicy;
  /**
   * A policy with the same rules under a fixed mode, for one run that must not change
   * anything (planning runs read-only whatever the session's mode). Answers given to it
   * are not remembered.
   */
  withMode(mode: PermissionMode): PermissionPolicy;
  resolved: ResolvedPermissions;
  /** Lines for the user: ignored project rules, unknown keys. */
  notices: string[];
}

export function trustStoreFile(env: NodeJS.ProcessEnv): string {
  return path.join(dataDir(env), "trusted-folders.json");
}

export async function buildSessionPermissions(options: SessionPermissionsOptions): Promise<SessionPermissions> {
  const { root, env, config } = options;
  const notices: string[] = [];
  const user = readPermissionSettings(config.raw?.permissions, {
    file: config.path,
    shown: displayPath(config.path, env),
    at: ["permissions"],
    source: { kind: "user", file: displayPath(config.path, env) },
  });
  notices.push(...user.warnings);

  const trust = createTrustStore(trustStoreFile(env));
  const project = await readProjectPermissions(root);
  let trusted = false;
  if (project) {
    notices.push(...project.warnings);
    if (options.trustProject) await trust.trust(root);
    trusted = (await trust.isTrusted(root)) || (await trust.isOwnWrite(project.file, project.text));
    if (!trusted) {
      const loosening = resolvePermissions({ user: user.settings, project, projectTrusted: false }).ignored;
      if (loosening.length > 0 && options.confirmTrust) {
        trusted = await options.confirmTrust({ folder: root, file: project.shown, loosening });
        if (trusted) await trust.trust(root);
      }
    }
  }
  const resolved = resolvePermissions({
    user: user.settings,
    project,
    projectTrusted: trusted,
    cliMode: options.cliMode,
  });
  if (resolved.ignored.length > 0 && project) {
    notices.push(
      `${project.shown} asks for more than this folder is trusted with, ignored: ${resolved.ignored.join("; ")}. Run with --trust-project to trust this folder.`,
    );
  }

  const assessCommand = options.commandAssessor(resolved);
  const policy = createPermissionPolicy({
    mode: resolved.mode,
    tools: resolved.tools,
    bash: resolved.bash,
    toolKind: options.toolKind,
    assessCommand,
    async saveProjectRules(rules) {
      const text = await appendProjectRules(root, rules);
      // The user's own answer: the file as parecode wrote it stays trusted next time.
      await trust.recordOwnWrite(path.join(root, ".parecode", "permissions.toml"), text);
    },
  });
  const withMode = (mode: PermissionMode) =>
    createPermissionPolicy({
      mode,
      tools: resolved.tools,
      bash: resolved.bash,
      toolKind: options.toolKind,
      assessCommand,
    });
  return { policy, withMode, resolved, notices };
}

const READ_TOOLS = new Set(["read_file", "search", "list_files", "recall"]);

/** The kind of each tool by name; unknown tools fall back on whether they can change things. */
export function toolKindOf(name: string, mutates: (name: string) => boolean | undefined): ToolKind {
  if (READ_TOOLS.has(name)) return "read";
  if (EDIT_TOOLS.includes(name)) return "edit";
  if (name === "bash") return "command";
  // MCP tools are asked whatever they claim: readOnlyHint is the server's word, not ours.
  if (name.includes("__")) return "mcp";
  return mutates(name) === false ? "read" : "other";
}
