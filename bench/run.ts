/**
 * `npm run bench`: measures what DESIGN.md budgets. Speed lives here, never in timed tests.
 * Exits non-zero when a budget is exceeded.
 */
import { measureFirstRequest } from "./first-request.js";
import { measureLaunchToFirstRequest, measureVersion } from "./startup.js";

interface Check {
  name: string;
  value: string;
  budget: string;
  ok: boolean;
}

const checks: Check[] = [];
const record = (name: string, value: string, budget: string, ok: boolean) => {
  checks.push({ name, value, budget, ok });
  console.log(`${ok ? "ok  " : "FAIL"} ${name.padEnd(46)} ${value.padStart(12)}   budget ${budget}`);
};

console.log("parecode benchmark\n");

const first = await measureFirstRequest();
record("first request: system prompt tokens", String(first.systemTokens), "-", true);
record("first request: tool schema tokens", String(first.toolSchemaTokens), "-", true);
record("first request: task tokens", String(first.taskTokens), "-", true);
record("first request: total tokens (o200k)", String(first.totalTokens), "<= 1000", first.totalTokens <= 1000);

const version = await measureVersion(5);
record("node -e 0 (median of 5)", `${version.nodeMs.toFixed(0)} ms`, "-", true);
record(
  "parecode --version (median of 5)",
  `${version.versionMs.toFixed(0)} ms`,
  `<= 1.5x node (${(version.nodeMs * 1.5).toFixed(0)} ms)`,
  version.ratio <= 1.5,
);
const launch = await measureLaunchToFirstRequest(5);
record("launch -> first model request (median of 5)", `${launch.toFixed(0)} ms`, "<= 250 ms", launch <= 250);

const failed = checks.filter((c) => !c.ok);
console.log(failed.length === 0 ? "\nall budgets met" : `\n${failed.length} budget(s) exceeded`);
process.exitCode = failed.length === 0 ? 0 : 1;
