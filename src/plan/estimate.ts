/**
 * What a plan will cost, before it runs; no model call. Each step's first request is
 * known closely (the fixed prompt and tool schemas, its attached files, its instruction,
 * the summaries before it); every later call resends that plus what the tools returned.
 * The number of calls is the unknown, so a step gets a low and a high count by its
 * category, capped by its tool budget. Compared with the measured total afterwards.
 */
import { countTokensNow } from "../context/tokens.js";
import type { ModelPrice } from "../providers/pricing.js";
import type { ModelChoice } from "./routes.js";
import type { Plan, PlanEstimate, StepCategory, StepEstimate } from "./types.js";

export interface EstimateInput {
  models: ModelChoice;
  /** Tokens of the fixed part of a request (system prompt, tool schemas), per step. */
  fixedTokens(step: number): number;
  /** Tokens of a file as attached (capped), 0 for a missing one. */
  fileTokens(path: string): number;
  price(model: string): ModelPrice | undefined;
}

/** Model calls a step of each kind usually makes: [low, high]. */
const CALLS: Record<StepCategory, [number, number]> = {
  quick: [2, 3],
  search: [2, 5],
  standard: [2, 6],
  deep: [3, 9],
};
/** What one more call adds to the context: the call itself and its (excerpted) result. */
const GROWTH_PER_CALL = 350;
/** A step's carry-forward summary, as the later steps see it. */
const SUMMARY_TOKENS = 60;
const OUTPUT_PER_CALL = 120;
/** Section headings, the plan note and the closing lines of the step message. */
const FRAMING_TOKENS = 80;

export function estimatePlan(plan: Plan, input: EstimateInput): PlanEstimate {
  const steps = plan.steps.map((step, index): StepEstimate => {
    const files = step.files.reduce((sum, file) => sum + input.fileTokens(file), 0);
    const instruction = countTokensNow(`${step.description}\n${step.instruction}\n${step.annotation ?? ""}`).tokens;
    const first = input.fixedTokens(index) + files + instruction + SUMMARY_TOKENS * index + FRAMING_TOKENS;
    const [low, high] = CALLS[step.category];
    const cap = Math.max(1, step.toolBudget + 1);
    const calls = (n: number) => Math.min(n, cap);
    const tokens = (n: number) => n * first + (GROWTH_PER_CALL * n * (n - 1)) / 2;
    const lowTokens = Math.round(tokens(calls(low)));
    const highTokens = Math.round(tokens(calls(high)));
    const output = OUTPUT_PER_CALL * Math.round((calls(low) + calls(high)) / 2);
    const price = input.price(input.models.routes[step.category]);
    const usd = (inputTokens: number) =>
      price ? (inputTokens * price.input + output * price.output) / 1_000_000 : null;
    return { low: lowTokens, high: highTokens, output, usdLow: usd(lowTokens), usdHigh: usd(highTokens) };
  });
  const sum = (pick: (s: StepEstimate) => number | null): number | null =>
    steps.some((s) => pick(s) === null) ? null : steps.reduce((total, s) => total + (pick(s) ?? 0), 0);
  return {
    steps,
    low: sum((s) => s.low) ?? 0,
    high: sum((s) => s.high) ?? 0,
    usdLow: sum((s) => s.usdLow),
    usdHigh: sum((s) => s.usdHigh),
  };
}

/** Measured input tokens ÷ the estimate's midpoint: 1.0 is a perfect guess. */
export function estimateRatio(estimate: Pick<PlanEstimate, "low" | "high">, measuredInput: number): number {
  const mid = (estimate.low + estimate.high) / 2;
  return mid > 0 ? measuredInput / mid : 0;
}

/** `12.3k`, `950`: token counts as people read them. */
export function formatTokens(tokens: number): string {
  if (tokens < 1_000) return String(Math.round(tokens));
  return `${(tokens / 1_000).toFixed(tokens < 10_000 ? 1 : 0)}k`;
}

/** `~$0.004–$0.012`, or "" when the price is unknown. */
export function formatUsdRange(low: number | null, high: number | null): string {
  if (low === null || high === null) return "";
  const fmt = (usd: number) => (usd === 0 ? "$0" : usd < 0.01 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`);
  return low === high ? `~${fmt(low)}` : `~${fmt(low)}–${fmt(high)}`;
}

/** One line for review: `4 steps · est. 9.8k–15k input tokens · ~$0.03–$0.05`. */
export function describeEstimate(plan: Pick<Plan, "steps" | "estimate">): string {
  const count = `${plan.steps.length} ${plan.steps.length === 1 ? "step" : "steps"}`;
  if (!plan.estimate) return count;
  const { low, high, usdLow, usdHigh } = plan.estimate;
  const money = formatUsdRange(usdLow, usdHigh);
  return `${count} · est. ${formatTokens(low)}–${formatTokens(high)} input tokens${money ? ` · ${money}` : ""}`;
}
