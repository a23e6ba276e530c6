/**
 * parecode's approval question as ACP's `session/request_permission`, and the editor's
 * answer back as an ApprovalDecision. The four answers parecode knows (once, the rest of
 * this session, this project from now on, no) are the four options offered; "cancelled"
 * (the turn was cancelled, or the editor gave up) is a no.
 */
import type {
  PermissionOption,
  RequestPermissionRequest,
  RequestPermissionResponse,
  ToolCallContent,
} from "@agentclientprotocol/sdk";
import type { ApprovalDecision, ApprovalRequest } from "../../core/approval.js";
import { acpToolKind, diffContent, toolLocations } from "./updates.js";

export const PERMISSION_OPTIONS = {
  once: "allow-once",
  session: "allow-session",
  project: "allow-project",
  reject: "reject",
} as const;

export function permissionOptions(request: ApprovalRequest): PermissionOption[] {
  return [
    { optionId: PERMISSION_OPTIONS.once, name: "Allow once", kind: "allow_once" },
    { optionId: PERMISSION_OPTIONS.session, name: `Allow ${request.remember} this session`, kind: "allow_always" },
    {
      optionId: PERMISSION_OPTIONS.project,
      name: `Always allow ${request.remember} in this project`,
      kind: "allow_always",
    },
    { optionId: PERMISSION_OPTIONS.reject, name: "Reject", kind: "reject_once" },
  ];
}

/** What the editor shows: the exact diff for an edit, the command for bash, the arguments otherwise. */
function requestContent(root: string, request: ApprovalRequest): ToolCallContent[] {
  const content: ToolCallContent[] = [];
  if (request.diff !== undefined && request.path !== undefined) {
    const diff = diffContent(root, request.path, request.diff);
    if (diff) content.push(diff);
  }
  const detail =
    request.command !== undefined
      ? `$ ${request.command}`
      : request.args !== undefined
        ? `${request.tool} ${request.args}`
        : undefined;
  const lines = [detail, `Asked because: ${request.rule}`].filter((line) => line !== undefined);
  content.push({ type: "content", content: { type: "text", text: lines.join("\n") } });
  return content;
}

export function permissionRequest(sessionId: string, root: string, request: ApprovalRequest): RequestPermissionRequest {
  const args: Record<string, unknown> = {};
  if (request.path !== undefined) args.path = request.path;
  return {
    sessionId,
    toolCall: {
      toolCallId: request.callId,
      title: request.title,
      kind: acpToolKind(request.tool),
      status: "pending",
      content: requestContent(root, request),
      locations: toolLocations(root, args),
    },
    options: permissionOptions(request),
  };
}

export function approvalDecision(response: RequestPermissionResponse): ApprovalDecision {
  const { outcome } = response;
  if (outcome.outcome !== "selected") return { approved: false };
  switch (outcome.optionId) {
    case PERMISSION_OPTIONS.once:
      return { approved: true, scope: "once" };
    case PERMISSION_OPTIONS.session:
      return { approved: true, scope: "session" };
    case PERMISSION_OPTIONS.project:
      return { approved: true, scope: "project" };
    default:
      return { approved: false };
  }
}
