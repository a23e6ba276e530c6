/** A session's current branch as a Markdown document people can read or share. */
import type { Session } from "./session.js";
import type { AssistantEntry, EventEntry, TurnRecord } from "./types.js";

export function renderSessionMarkdown(session: Session): string {
  const { header } = session;
  const out: string[] = [`# ${oneLine(session.title())}`, ""];
  out.push(`- Session: ${header.id}`);
  out.push(`- Project: ${header.root}`);
  out.push(`- Created: ${header.created}`);
  if (header.profile || header.model) {
    out.push(`- Profile: ${[header.profile, header.model && `model ${header.model}`].filter(Boolean).join(", ")}`);
  }
  if (header.parent) out.push(`- Branched from: session ${header.parent.session}`);
  const turns = session.turns();
  out.push(`- Turns: ${turns.length}`, "");
  turns.forEach((turn, i) => {
    out.push(...renderTurn(turn, i + 1));
  });
  return `${out.join("\n").trimEnd()}\n`;
}

function renderTurn(turn: TurnRecord, number: number): string[] {
  const status = turn.result?.status ?? "unfinished";
  const out = [`## ${number}. ${clip(oneLine(turn.task.task), 80)} (${status})`, "", quote(turn.task.task), ""];
  let lastText = "";
  for (const step of turn.steps) {
    if (step.type === "assistant") {
      out.push(...renderReply(step));
      if (step.text.trim() !== "") lastText = step.text.trim();
    } else {
      const line = renderEvent(step);
      if (line) out.push(line);
    }
  }
  if (out.at(-1) !== "") out.push("");
  const result = turn.result;
  if (!result) {
    out.push("_The run stopped before this task finished._", "");
    return out;
  }
  if (result.message.trim() !== "" && result.message.trim() !== lastText) out.push(result.message.trim(), "");
  const facts = [
    result.status,
    `${result.toolCalls} tool call${result.toolCalls === 1 ? "" : "s"}`,
    `${result.usage.inputTokens.toLocaleString("en-US")} in / ${result.usage.outputTokens.toLocaleString("en-US")} out tokens`,
    result.costUsd === null ? "cost unknown" : `$${result.costUsd.toFixed(4)}`,
    `${(result.durationMs / 1000).toFixed(1)} s`,
  ];
  out.push(`**Result:** ${facts.join(" · ")}`);
  if (result.filesChanged.length > 0) out.push(`**Changed:** ${result.filesChanged.map(code).join(", ")}`);
  out.push("");
  return out;
}

function renderReply(step: AssistantEntry): string[] {
  const out: string[] = [];
  if (step.reasoning?.trim()) {
    out.push("<details><summary>Reasoning</summary>", "", step.reasoning.trim(), "", "</details>", "");
  }
  if (step.text.trim() !== "") out.push(step.text.trim(), "");
  if (step.partial) out.push("_(reply cut off)_", "");
  return out;
}

function renderEvent(step: EventEntry): string | undefined {
  const event = step.event;
  switch (event.type) {
    case "tool_end":
      return `- ${event.isError ? "✗" : "✓"} ${code(event.display)}`;
    case "notice":
      return `- _${event.level}: ${oneLine(event.message)}_`;
    default:
      return undefined;
  }
}

function quote(text: string): string {
  return text
    .trim()
    .split("\n")
    .map((line) => (line === "" ? ">" : `> ${line}`))
    .join("\n");
}

/** Inline code that survives backticks inside the text. */
function code(text: string): string {
  const flat = oneLine(text);
  const longest = Math.max(0, ...[...flat.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  const pad = flat.startsWith("`") || flat.endsWith("`") ? " " : "";
  return `${fence}${pad}${flat}${pad}${fence}`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}
