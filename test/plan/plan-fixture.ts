/**
 * A five-file project, a four-step plan for it, and a scripted model that plays both the
 * planner and each step's executor. The executor only knows what its request shows: it
 * finds its step in the user message and the text to change in the attached files, so a
 * step that was not given its file cannot do its edit.
 */
import type { Policy, RecordedRequest, ScriptedTurn } from "../support/scripted-server.js";

export const FILES: Record<string, string> = {
  "src/greet.js": 'export function greet(name) {\n  return "Hello " + name;\n}\n',
  "src/math.js": "export function add(a, b) {\n  return a + b;\n}\n",
  "src/format.js": "export function pad(text) {\n  return text;\n}\n",
  "src/index.js": 'export { greet } from "./greet.js";\n',
  "README.md": "# demo\n\nA tiny project.\n",
};

export const TASK = "tidy greet, add multiply, make pad pad to 10, export everything from index";

export interface StepScript {
  description: string;
  instruction: string;
  files: string[];
  verify: Record<string, unknown>;
  category: string;
  bash: boolean;
  /** The edit the executor makes: which attached file, what to replace. */
  edit: { path: string; old: string; new: string };
}

export const STEPS: StepScript[] = [
  {
    description: "Add a comma to the greeting",
    instruction: 'In src/greet.js make greet return "Hello, " + name.',
    // A symbol name: the index resolves it to src/greet.js.
    files: ["greet"],
    verify: { kind: "pattern_absent", pattern: '"Hello " \\+' },
    category: "quick",
    bash: false,
    edit: { path: "src/greet.js", old: '  return "Hello " + name;', new: '  return "Hello, " + name;' },
  },
  {
    description: "Add multiply to math",
    instruction: "Add and export multiply(a, b) to src/math.js.",
    files: ["src/math.js"],
    verify: { kind: "file_changed", path: "src/math.js" },
    category: "standard",
    bash: false,
    edit: {
      path: "src/math.js",
      old: "  return a + b;\n}",
      new: "  return a + b;\n}\n\nexport function multiply(a, b) {\n  return a * b;\n}",
    },
  },
  {
    description: "Pad to 10 characters",
    instruction: "Make pad in src/format.js pad its text to 10 characters with padEnd.",
    files: ["src/format.js"],
    verify: {
      kind: "command_success",
      command: "node -e \"import('./src/format.js').then((m) => process.exit(m.pad('a').length === 10 ? 0 : 1))\"",
    },
    category: "quick",
    bash: false,
    edit: { path: "src/format.js", old: "  return text;", new: "  return text.padEnd(10);" },
  },
  {
    description: "Export everything from index",
    instruction: "Re-export add, multiply and pad from src/index.js.",
    files: ["src/index.js"],
    verify: { kind: "pattern_absent", pattern: "TODO" },
    category: "standard",
    bash: true,
    edit: {
      path: "src/index.js",
      old: 'export { greet } from "./greet.js";',
      new: 'export { greet } from "./greet.js";\nexport { add, multiply } from "./math.js";\nexport { pad } from "./format.js";',
    },
  },
];

export function planJson(steps: StepScript[] = STEPS): string {
  return JSON.stringify({
    steps: steps.map(({ edit: _edit, ...step }) => ({ ...step, tool_budget: 4 })),
  });
}

interface WireMessage {
  role: string;
  content: string | null;
  tool_calls?: Array<{ function: { name: string } }>;
}

export function messagesOf(request: RecordedRequest): WireMessage[] {
  return request.body.messages as WireMessage[];
}

export function systemOf(request: RecordedRequest): string {
  return messagesOf(request)[0]?.content ?? "";
}

export function userOf(request: RecordedRequest): string {
  return messagesOf(request).find((m) => m.role === "user")?.content ?? "";
}

export function toolNames(request: RecordedRequest): string[] {
  const tools = (request.body.tools ?? []) as Array<{ function: { name: string } }>;
  return tools.map((tool) => tool.function.name);
}

export function isPlanning(request: RecordedRequest): boolean {
  return userOf(request).startsWith("Break this task into steps");
}

/** The 1-based step a request belongs to, or 0 for planning. */
export function stepOf(request: RecordedRequest): number {
  return Number(/^Step (\d+) of \d+:/.exec(userOf(request))?.[1] ?? 0);
}

export interface PolicyOptions {
  steps?: StepScript[];
  /** Planner replies in order; the last one repeats. Default: one read of the README, then the plan. */
  plannerReplies?: string[];
  /** Steps whose executor answers without editing (their verification then fails). */
  skipEdit?: ReadonlySet<number>;
  /** Delay before each step's first answer. */
  firstReplyDelayMs?: number;
}

export function createPlanPolicy(options: PolicyOptions = {}): Policy {
  const steps = options.steps ?? STEPS;
  let planningCalls = 0;
  return (request): ScriptedTurn => {
    const messages = messagesOf(request);
    const last = messages.at(-1);
    if (isPlanning(request)) {
      planningCalls += 1;
      if (options.plannerReplies) {
        return { text: options.plannerReplies[Math.min(planningCalls, options.plannerReplies.length) - 1] };
      }
      // Looks around once with a read-only tool, then answers.
      if (last?.role !== "tool") return { toolCalls: [{ name: "read_file", args: { path: "README.md" } }] };
      return { text: `Here is the plan:\n${planJson(steps)}` };
    }
    const number = stepOf(request);
    const step = steps[number - 1];
    if (!step) return { text: "I do not know which step this is." };
    if (last?.role === "tool") return { text: `Changed ${step.edit.path}.` };
    if (options.skipEdit?.has(number)) return { text: "Nothing needed changing." };
    const system = systemOf(request);
    // Only a step that was given its file can copy the text it replaces.
    if (!system.includes(`## File ${step.edit.path}`) || !system.includes(step.edit.old)) {
      return { text: `I was not shown ${step.edit.path}.` };
    }
    return {
      delayMs: options.firstReplyDelayMs,
      toolCalls: [
        { name: "edit_file", args: { path: step.edit.path, old_str: step.edit.old, new_str: step.edit.new } },
      ],
    };
  };
}
