/**
 * The approval contract between the loop and whichever front end is attached. The loop
 * (through the permission policy) builds an ApprovalRequest when an action needs a
 * person's yes; the front end answers it — the one-shot prompt on stderr, the TUI's
 * dialog, a controlling program over stream-json, an editor over ACP. No layer below
 * the front end knows which one it is.
 */

export const PERMISSION_MODES = ["ask", "accept-edits", "read-only", "trust"] as const;

/**
 * ask: gated tools ask first. accept-edits: file edits inside the root go through, commands
 * still ask. read-only: gated tools are denied (read-only commands still run). trust:
 * everything no rule or guard denies.
 */
export type PermissionMode = (typeof PERMISSION_MODES)[number];

export function isPermissionMode(value: unknown): value is PermissionMode {
  return typeof value === "string" && (PERMISSION_MODES as readonly string[]).includes(value);
}

export type PermissionAction = "allow" | "ask" | "deny";

/** How long a "yes" lasts: this call, the rest of this session, or this project from now on. */
export type ApprovalScope = "once" | "session" | "project";

/** What a front end shows when it asks. Every string here may come from the model: escape before printing. */
export interface ApprovalRequest {
  /** The tool call's id. */
  callId: string;
  tool: string;
  kind: "edit" | "command" | "mcp" | "tool";
  /** One line naming the action, e.g. "bash: npm install left-pad" or "edit src/app.ts". */
  title: string;
  /** The full command, for bash. */
  command?: string;
  /** Project-relative path, for file tools. */
  path?: string;
  /** A unified diff of the exact change, for file tools (capped by the policy). */
  diff?: string;
  /** The call's arguments as compact JSON (capped), for MCP and other tools. */
  args?: string;
  /** The rule or mode that made this ask, named for people. */
  rule: string;
  /** What "always" would remember, in words ("bash commands starting with `npm install`"). */
  remember: string;
}

export type ApprovalDecision =
  | { approved: true; scope: ApprovalScope }
  | {
      approved: false;
      /** The user's reason, passed to the model verbatim. */
      reason?: string;
    };

/**
 * Supplied by a front end that can ask a person. Must settle (a cancelled task aborts
 * `signal`: answer `{approved: false}` then). Absent when running headless: anything that
 * would ask is denied instead.
 */
export type Approver = (request: ApprovalRequest, signal: AbortSignal) => Promise<ApprovalDecision>;

/** A call the policy or the user refused; the result event lists every one. */
export interface Denial {
  callId: string;
  tool: string;
  /** The command (bash) or path (file tools), when there is one. */
  target?: string;
  /** The rule that decided, e.g. "guard: git reset --hard discards uncommitted changes". */
  rule: string;
  /** The one line the model was given. */
  reason: string;
}
