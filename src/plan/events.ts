/**
 * What plan mode reports while it plans and runs, in order. Front ends (the TUI's Plan
 * tab, the one-shot printer, `--json`) only consume this stream; `progress.ts` folds it
 * into per-step status for display. Every step's own agent events arrive wrapped in
 * `plan_agent`, so tool lines and approvals render as in a normal task.
 */
import type { AgentEvent, Usage } from "../core/types.js";
import type { Plan, StepCategory, StepStatus, Verification } from "./types.js";

export type PlanEvent =
  | { type: "plan_planning"; task: string; model: string }
  /** An agent event of the planner (`step: 0`) or of a step (1-based). */
  | { type: "plan_agent"; step: number; event: AgentEvent }
  /** The planner's reply could not be read; it is asked once more. */
  | { type: "plan_retry"; reason: string }
  | { type: "plan_notice"; message: string }
  /** The plan as made, estimated and saved, before review. */
  | { type: "plan_ready"; plan: Plan }
  | {
      type: "plan_step_start";
      step: number;
      description: string;
      model: string;
      category: StepCategory;
      /** Runs beside other steps (no shared files, no commands). */
      concurrent: boolean;
    }
  | { type: "plan_step_verify"; step: number; verify: Verification; ok: boolean; message: string }
  | {
      type: "plan_step_end";
      step: number;
      status: Extract<StepStatus, "done" | "failed">;
      /** The carry-forward summary (done) or why it failed. */
      summary: string;
      usage: Usage;
      costUsd: number | null;
      toolCalls: number;
      filesChanged: string[];
      durationMs: number;
    }
  /** Steps that ran at once changed the same files. */
  | { type: "plan_conflict"; steps: number[]; files: string[] }
  | { type: "plan_paused"; step: number; reason: string }
  | {
      type: "plan_done";
      usage: Usage;
      costUsd: number | null;
      /** The estimate made before running, in input tokens, and measured ÷ its midpoint. */
      estimate?: { low: number; high: number; ratio: number };
    };
