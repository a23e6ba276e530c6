/**
 * Between the model's tool calls and the tools: asks the permission policy about each
 * call and, when the policy says "ask", asks whichever front end supplied an approver.
 * File edits are asked at write time with the exact diff (a call that fails to match
 * never bothers anyone); commands and other tools are asked before they run. Headless
 * (no approver), anything that would ask is denied and the model is told why.
 */
import type { ApprovalRequest, Approver, Denial } from "../core/approval.js";
import type { AgentEvent, ToolCall, WriteApprover } from "../core/types.js";
import type { AskVerdict, PermissionPolicy } from "../permissions/policy.js";

export interface PermissionGateOptions {
  policy: PermissionPolicy;
  /** Absent when no person can be asked (headless). */
  approve?: Approver;
  emit(event: AgentEvent): void;
  /** Applied to everything shown to a person (a command may carry a token). */
  redact?(text: string): string;
}

export type GateOutcome =
  | { allowed: true; approveWrite?: WriteApprover }
  | { allowed: false; content: string; display: string };

export interface PermissionGate {
  authorize(call: ToolCall, turn: number, signal: AbortSignal): Promise<GateOutcome>;
  /** Every call refused so far, in order. */
  denials(): Denial[];
}

/** The rule named when a headless run meets an action that needs a person. */
export const HEADLESS_RULE = "headless: no terminal to ask (allow it with --yes, --permission-mode or a rule)";

/** Most diff lines an approval shows; the rest is summarised. */
const MAX_DIFF_LINES = 200;

export function createPermissionGate(options: PermissionGateOptions): PermissionGate {
  const { policy, emit } = options;
  const redact = options.redact ?? ((text: string) => text);
  const denials: Denial[] = [];

  const refuse = (call: ToolCall, turn: number, rule: string, reason: string, by: "policy" | "user") => {
    const target = targetOf(call);
    const denial: Denial = { callId: call.id, tool: call.name, rule, reason };
    if (target !== undefined) denial.target = redact(target);
    denials.push(denial);
    emit({ type: "permission", turn, callId: call.id, tool: call.name, action: "deny", by, rule, reason });
  };

  /** Asks a person; resolves to null when allowed, or the line the model gets when not. */
  const askPerson = async (
    call: ToolCall,
    turn: number,
    verdict: AskVerdict,
    request: ApprovalRequest,
    signal: AbortSignal,
  ): Promise<string | null> => {
    if (!options.approve) {
      const reason = `Not run: ${request.title} needs approval and this run cannot ask anyone (no terminal). Continue without it, or finish and say what the user should run or allow.`;
      refuse(call, turn, HEADLESS_RULE, reason, "policy");
      return reason;
    }
    const shown: ApprovalRequest = {
      ...request,
      title: redact(request.title),
      command: request.command === undefined ? undefined : redact(request.command),
      diff: request.diff === undefined ? undefined : redact(request.diff),
      args: request.args === undefined ? undefined : redact(request.args),
    };
    emit({ type: "approval_request", turn, request: shown });
    let decision: Awaited<ReturnType<Approver>>;
    try {
      decision = await options.approve(shown, signal);
    } catch {
      decision = { approved: false };
    }
    if (signal.aborted && decision.approved) decision = { approved: false };
    if (decision.approved) {
      if (decision.scope !== "once") await policy.remember(verdict, decision.scope);
      emit({
        type: "permission",
        turn,
        callId: call.id,
        tool: call.name,
        action: "allow",
        by: "user",
        rule: verdict.rule,
        scope: decision.scope,
      });
      return null;
    }
    const because = decision.reason?.trim() ? ` Their reason: ${decision.reason.trim()}` : "";
    const reason = `The user declined ${request.title}.${because} Do not retry the same action; adjust the approach or ask what they want.`;
    refuse(call, turn, "the user said no", reason, "user");
    return reason;
  };

  return {
    async authorize(call, turn, signal) {
      const verdict = await policy.check(call);
      if (verdict.action === "allow") {
        if (verdict.rule !== "read-only tool") {
          emit({
            type: "permission",
            turn,
            callId: call.id,
            tool: call.name,
            action: "allow",
            by: "policy",
            rule: verdict.rule,
          });
        }
        return { allowed: true };
      }
      if (verdict.action === "deny") {
        refuse(call, turn, verdict.rule, verdict.reason, "policy");
        return {
          allowed: false,
          content: `Blocked: ${verdict.reason}`,
          display: `blocked (${verdict.rule})`,
        };
      }
      if (verdict.kind === "edit") {
        // Asked when the tool knows the exact change, right before it writes.
        const approveWrite: WriteApprover = async (change) => {
          const request = {
            ...verdict.request,
            path: change.path,
            diff: await unifiedDiff(change.path, change.before, change.after),
          };
          const refusal = await askPerson(call, turn, verdict, request, signal);
          return refusal === null ? { approved: true } : { approved: false, message: refusal };
        };
        return { allowed: true, approveWrite };
      }
      const refusal = await askPerson(call, turn, verdict, verdict.request, signal);
      if (refusal === null) return { allowed: true };
      return { allowed: false, content: refusal, display: "not approved" };
    },
    denials: () => [...denials],
  };
}

function targetOf(call: ToolCall): string | undefined {
  if (typeof call.args.command === "string") return call.args.command;
  if (typeof call.args.path === "string") return call.args.path;
  return undefined;
}

/** A unified diff of one file's change, capped for a prompt. The diff library loads on the first approval. */
export async function unifiedDiff(file: string, before: string | null, after: string): Promise<string> {
  const { createTwoFilesPatch } = await import("diff");
  const patch = createTwoFilesPatch(
    before === null ? "/dev/null" : `a/${file}`,
    `b/${file}`,
    before ?? "",
    after,
    undefined,
    undefined,
    { context: 3 },
  );
  const lines = patch.split("\n").filter((line) => !line.startsWith("====="));
  if (lines.length <= MAX_DIFF_LINES) return lines.join("\n").trimEnd();
  const rest = lines.length - MAX_DIFF_LINES;
  return `${lines.slice(0, MAX_DIFF_LINES).join("\n")}\n… ${rest} more diff lines`;
}
