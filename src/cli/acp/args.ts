import { parseArgs } from "node:util";
import { isPermissionMode, PERMISSION_MODES, type PermissionMode } from "../../core/approval.js";
import { UsageError } from "../../core/errors.js";

/** `parecode acp`: an agent for editors, speaking the Agent Client Protocol on stdio. */
export interface AcpCommand {
  kind: "acp";
  profile?: string;
  model?: string;
  /** The mode sessions start in; the editor can switch it per session (ACP session modes). */
  permissionMode?: PermissionMode;
  trustProject: boolean;
  sandbox?: "auto" | "off";
  /** -v: debug notices (which sandbox, and why not) go to stderr too. */
  verbose: boolean;
}

export const ACP_USAGE = `Usage
  parecode acp [--profile NAME] [--model ID] [--permission-mode MODE] [--trust-project] [--no-sandbox] [-v]
      Run as an agent for editors (Zed, JetBrains, Neovim plugins) over the Agent Client
      Protocol on stdin/stdout. Point the editor's agent setting at this command. Edits,
      commands and MCP calls that need approval are asked in the editor.
`;

export function parseAcpCommand(argv: string[]): AcpCommand {
  let values: ReturnType<typeof parse>["values"];
  try {
    ({ values } = parse(argv));
  } catch (err) {
    throw new UsageError(`parecode acp: ${(err as Error).message}\n${ACP_USAGE}`);
  }
  const mode = values["permission-mode"];
  if (mode !== undefined && !isPermissionMode(mode)) {
    throw new UsageError(`--permission-mode must be one of ${PERMISSION_MODES.join(", ")} (got "${mode}").`);
  }
  if (values.sandbox && values["no-sandbox"]) {
    throw new UsageError("--sandbox and --no-sandbox contradict each other; give one of them.");
  }
  const command: AcpCommand = {
    kind: "acp",
    trustProject: values["trust-project"] ?? false,
    verbose: values.verbose ?? false,
  };
  if (values.profile !== undefined) command.profile = values.profile;
  if (values.model !== undefined) command.model = values.model;
  if (mode !== undefined) command.permissionMode = mode;
  if (values.sandbox) command.sandbox = "auto";
  if (values["no-sandbox"]) command.sandbox = "off";
  return command;
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: false,
    strict: true,
    options: {
      profile: { type: "string" },
      model: { type: "string" },
      "permission-mode": { type: "string" },
      "trust-project": { type: "boolean" },
      sandbox: { type: "boolean" },
      "no-sandbox": { type: "boolean" },
      verbose: { type: "boolean", short: "v" },
    },
  });
}
