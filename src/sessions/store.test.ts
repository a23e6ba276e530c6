import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { UsageError } from "../core/errors.js";
import type { AgentEvent } from "../core/types.js";
import type { Session } from "./session.js";
import { SessionFormatError } from "./session-file.js";
import { createSessionStore, type SessionStore } from "./store.js";

let dir: string;
let store: SessionStore;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "sessions-"));
  store = createSessionStore(path.join(dir, "sessions"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** The events one task emits, in the order the agent emits them, with a streamed reply. */
function runTurn(session: Session, task: string, answer: string, files: string[] = [], cost = 0.001): void {
  session.appendTask(task);
  const events: AgentEvent[] = [
    { type: "task_start", task, profile: "p", model: "m", provider: "openai" },
    { type: "turn_start", turn: 1 },
    { type: "request", turn: 1, estimatedInputTokens: 900, systemTokens: 300, toolSchemaTokens: 500, messageCount: 1 },
    { type: "reasoning_delta", turn: 1, delta: "Thinking " },
    { type: "reasoning_delta", turn: 1, delta: "hard." },
    { type: "assistant_message", turn: 1, text: "", toolCalls: [{ id: "c1", name: "bash", args: {}, rawArgs: "{}" }] },
    { type: "tool_start", turn: 1, callId: "c1", name: "bash", args: { command: "ls" }, summary: "ls" },
    {
      type: "tool_end",
      turn: 1,
      callId: "c1",
      name: "bash",
      display: "bash ls (exit 0)",
      isError: false,
      durationMs: 5,
    },
    { type: "turn_start", turn: 2 },
    ...[...answer].map((ch): AgentEvent => ({ type: "text_delta", turn: 2, delta: ch })),
    // As the agent emits them: usage comes between a reply's deltas and its assistant_message.
    {
      type: "usage",
      turn: 2,
      usage: { inputTokens: 1000, outputTokens: 50 },
      estimated: false,
      costUsd: cost,
    },
    { type: "assistant_message", turn: 2, text: answer, toolCalls: [] },
    {
      type: "result",
      status: "done",
      message: answer,
      turns: 2,
      toolCalls: 1,
      usage: { inputTokens: 2000, outputTokens: 80 },
      costUsd: cost,
      filesChanged: files,
      durationMs: 1234,
      denials: [],
      verification: [],
      proof: "none",
    },
  ];
  for (const event of events) session.append(event);
}

describe("session store", () => {
  it("appends a task's events, coalesces streamed deltas, and reopens with the carry-over turns", async () => {
    const session = store.create({ root: "/work/project", profile: "p", model: "m" });
    const longAnswer = "Done: I renamed the function and updated both callers. ".repeat(20);
    runTurn(session, "rename foo to bar", longAnswer, ["src/a.ts", "src/b.ts"]);
    runTurn(session, "now add a test", "Added test/a.test.ts.", ["test/a.test.ts"]);
    session.close();

    const lines = (await readFile(session.file, "utf8")).trim().split("\n");
    // ~1,100 deltas, none stored one by one: header + 2 × (task + 10 events/replies).
    expect(lines.length).toBe(1 + 2 * 11);
    expect(lines.some((l) => l.includes("text_delta") || l.includes("reasoning_delta"))).toBe(false);
    const header = JSON.parse(lines[0]);
    expect(header).toMatchObject({ type: "session", version: 1, id: session.id, root: "/work/project", model: "m" });
    const firstReply = JSON.parse(lines[5]);
    expect(firstReply).toMatchObject({ type: "assistant", reasoning: "Thinking hard.", text: "" });

    const reopened = store.open(session.id);
    expect(reopened.warnings).toEqual([]);
    expect(reopened.completedTurns()).toEqual([
      {
        task: "rename foo to bar",
        answer: longAnswer,
        filesChanged: ["src/a.ts", "src/b.ts"],
        toolCalls: 1,
        status: "done",
      },
      {
        task: "now add a test",
        answer: "Added test/a.test.ts.",
        filesChanged: ["test/a.test.ts"],
        toolCalls: 1,
        status: "done",
      },
    ]);
    expect(reopened.title()).toBe("rename foo to bar");
  });

  it("keeps text that streamed before an interruption, and drops text voided by a retry", async () => {
    const session = store.create({ root: dir });
    session.appendTask("explain");
    session.append({ type: "text_delta", turn: 1, delta: "voided" });
    session.append({ type: "retry", turn: 1, attempt: 1, delayMs: 100, reason: "500" });
    session.append({ type: "text_delta", turn: 1, delta: "Half an ans" });
    session.append({
      type: "result",
      status: "interrupted",
      message: "Interrupted by the user.",
      turns: 1,
      toolCalls: 0,
      usage: { inputTokens: 1, outputTokens: 1 },
      costUsd: 0,
      filesChanged: [],
      durationMs: 1,
      denials: [],
      verification: [],
      proof: "none",
    });
    const text = await readFile(session.file, "utf8");
    expect(text).not.toContain("voided");
    const [turn] = store.open(session.id).turns();
    expect(turn.steps.map((s) => (s.type === "assistant" ? `reply:${s.text}:${s.partial}` : s.event.type))).toEqual([
      "retry",
      "reply:Half an ans:true",
    ]);
    expect(turn.result?.status).toBe("interrupted");
  });

  it("opens a file cut mid-line with a warning, keeps the turns before the cut, and appends cleanly after it", async () => {
    const session = store.create({ root: dir });
    runTurn(session, "first task", "first answer");
    runTurn(session, "second task", "second answer");
    session.close();
    const size = (await readFile(session.file)).length;
    await truncate(session.file, size - 40); // inside the last (result) line

    const cut = store.open(session.id);
    expect(cut.warnings).toHaveLength(1);
    expect(cut.warnings[0]).toMatch(/last line is incomplete.*skipped/);
    const turns = cut.completedTurns();
    expect(turns.map((t) => [t.task, t.status])).toEqual([
      ["first task", "done"],
      ["second task", "interrupted"],
    ]);
    expect(turns[1].answer).toContain("second answer");

    runTurn(cut, "third task", "third answer");
    cut.close();
    const again = store.open(session.id);
    expect(again.warnings).toHaveLength(1);
    expect(again.warnings[0]).toMatch(/line 23 is not valid JSON/);
    expect(again.completedTurns().map((t) => t.task)).toEqual(["first task", "second task", "third task"]);
  });

  it("skips a corrupt line in the middle with a warning naming it, and keeps the rest of the chain", async () => {
    const session = store.create({ root: dir });
    runTurn(session, "first task", "first answer");
    runTurn(session, "second task", "second answer");
    session.close();
    const lines = (await readFile(session.file, "utf8")).split("\n");
    lines[3] = '{"id": "x", "parentId": nul'; // line 4: the first turn's turn_start
    await writeFile(session.file, lines.join("\n"));

    const reopened = store.open(session.id);
    expect(reopened.warnings).toEqual([`${session.file}: line 4 is not valid JSON; it was skipped.`]);
    expect(reopened.completedTurns().map((t) => [t.task, t.answer])).toEqual([
      ["first task", "first answer"],
      ["second task", "second answer"],
    ]);
  });

  it("refuses a session written by a newer format with a message naming the fix", async () => {
    const session = store.create({ root: dir });
    session.close();
    const text = await readFile(session.file, "utf8");
    await writeFile(session.file, text.replace('"version":1', '"version":7'));
    expect(() => store.open(session.id)).toThrow(SessionFormatError);
    expect(() => store.open(session.id)).toThrow(/newer parecode \(session format 7.*Upgrade parecode/);
    // Listing survives it and says why it was skipped.
    expect(store.list().skipped).toEqual([{ file: session.file, reason: expect.stringMatching(/newer parecode/) }]);
  });

  it("finds a session by a unique prefix of its id or of its random tail, and lists candidates when ambiguous", () => {
    const a = store.create({ root: dir });
    const b = store.create({ root: dir });
    const tail = (id: string) => id.split("-")[2];
    expect(store.open(a.id).id).toBe(a.id);
    expect(store.open(tail(a.id)).id).toBe(a.id);
    const date = a.id.slice(0, 8);
    let error: unknown;
    try {
      store.open(date);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toContain(`"${date}" matches 2 sessions`);
    expect((error as Error).message).toContain(a.id);
    expect((error as Error).message).toContain(b.id);
    expect(() => store.open("zzzz-nothing")).toThrow(/No session matches "zzzz-nothing"/);
  });

  it("rolls back turns by appending a marker, and continues the branch from there", async () => {
    const session = store.create({ root: dir });
    runTurn(session, "one", "1");
    runTurn(session, "two", "2");
    runTurn(session, "three", "3");
    const before = (await readFile(session.file, "utf8")).split("\n").length;
    session.rollback(2);
    expect(session.completedTurns().map((t) => t.task)).toEqual(["one"]);
    runTurn(session, "four", "4");
    session.close();
    const text = await readFile(session.file, "utf8");
    // Nothing was rewritten: the rolled-back turns are still in the file.
    expect(text.split("\n").length).toBe(before + 1 + 11);
    expect(text).toContain('"task":"three"');

    const reopened = store.open(session.id);
    expect(reopened.completedTurns().map((t) => t.task)).toEqual(["one", "four"]);
    expect(() => reopened.rollback(3)).toThrow(/has 2 turns; roll back at most that many/);
    expect(() => reopened.rollback(0)).toThrow(UsageError);
    reopened.rollback(2);
    expect(reopened.completedTurns()).toEqual([]);
  });

  it("branches into a new session that records its parent and diverges independently", () => {
    const session = store.create({ root: dir, profile: "p" });
    runTurn(session, "one", "1");
    runTurn(session, "two", "2");
    session.rollback(1);
    const child = session.branch();
    expect(child.id).not.toBe(session.id);
    expect(child.header.parent).toEqual({ session: session.id, entry: session.entries().at(-1)?.id });
    expect(child.header.profile).toBe("p");
    expect(child.completedTurns().map((t) => t.task)).toEqual(["one"]);
    runTurn(child, "child task", "c");
    expect(
      store
        .open(child.id)
        .completedTurns()
        .map((t) => t.task),
    ).toEqual(["one", "child task"]);
    expect(
      store
        .open(session.id)
        .completedTurns()
        .map((t) => t.task),
    ).toEqual(["one"]);
  });

  it("lists sessions newest first with title, turns and cost; finds the latest for a root; renames; deletes", async () => {
    const other = store.create({ root: path.join(dir, "other") });
    runTurn(other, "elsewhere", "x", [], 0.5);
    await new Promise((r) => setTimeout(r, 20));
    const mine = store.create({ root: dir });
    runTurn(mine, "first\n  task with a very long description that goes on and on past the title width", "a", [], 0.25);
    runTurn(mine, "second", "b", [], 0.125);

    const all = store.list();
    expect(all.sessions.map((s) => s.id)).toEqual([mine.id, other.id]);
    expect(all.sessions[0]).toMatchObject({
      root: dir,
      turns: 2,
      costUsd: 0.375,
      title: "first task with a very long description that goes on and on…",
    });
    expect(store.list({ root: dir }).sessions.map((s) => s.id)).toEqual([mine.id]);
    expect(store.latestFor(dir)?.id).toBe(mine.id);
    expect(store.latestFor(path.join(dir, "nowhere"))).toBeUndefined();

    store.rename(mine.id, "  Rename   work ");
    expect(store.open(mine.id).title()).toBe("Rename work");
    expect(store.delete(other.id)).toBe(other.id);
    expect(store.list().sessions.map((s) => s.id)).toEqual([mine.id]);
  });

  it("keeps every turn on the branch when a rename from another process lands in the middle of a run", () => {
    const writer = store.create({ root: dir });
    runTurn(writer, "one", "1");
    const renamer = store.open(writer.id); // `parecode sessions rename` in another terminal
    runTurn(writer, "two", "2");
    renamer.rename("Named elsewhere");
    renamer.close();
    const reopened = store.open(writer.id);
    expect(reopened.title()).toBe("Named elsewhere");
    expect(reopened.completedTurns().map((t) => t.task)).toEqual(["one", "two"]);
  });

  it("exports the current branch as Markdown", () => {
    const session = store.create({ root: dir, profile: "work", model: "gpt-x" });
    runTurn(session, "fix the `parse` bug", "Fixed it in src/parse.ts.", ["src/parse.ts"]);
    const md = store.exportMarkdown(session.id);
    expect(md).toContain("# fix the `parse` bug");
    expect(md).toContain(`- Session: ${session.id}`);
    expect(md).toContain("- Profile: work, model gpt-x");
    expect(md).toContain("## 1. fix the `parse` bug (done)");
    expect(md).toContain("> fix the `parse` bug");
    expect(md).toContain("<details><summary>Reasoning</summary>\n\nThinking hard.");
    expect(md).toContain("- ✓ `bash ls (exit 0)`");
    expect(md).toContain("Fixed it in src/parse.ts.");
    expect(md).toContain("**Result:** done · 1 tool call · 2,000 in / 80 out tokens · $0.0010 · 1.2 s");
    expect(md).toContain("**Changed:** `src/parse.ts`");
  });

  it("loses at most the turn in flight when the writing process is killed with SIGKILL", async () => {
    const sessionsDir = path.join(dir, "sessions");
    const storeModule = fileURLToPath(new URL("./store.ts", import.meta.url));
    const script = `
      import { createSessionStore } from ${JSON.stringify(storeModule)};
      const s = createSessionStore(${JSON.stringify(sessionsDir)}).create({ root: "/p" });
      s.appendTask("finished task");
      s.append({ type: "result", status: "done", message: "ok", turns: 1, toolCalls: 0,
        usage: { inputTokens: 1, outputTokens: 1 }, costUsd: 0, filesChanged: ["a"], durationMs: 1, denials: [], verification: [], proof: "none" });
      s.appendTask("task in flight");
      console.log(s.id);
      for (let i = 0; ; i++) {
        s.append({ type: "notice", level: "info", message: "step " + i });
        s.append({ type: "text_delta", turn: 1, delta: "x" });
      }
    `;
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const id = await new Promise<string>((resolve) =>
      child.stdout.once("data", (d: Buffer) => resolve(d.toString().trim())),
    );
    await new Promise((r) => setTimeout(r, 300));
    child.kill("SIGKILL");
    await new Promise((r) => child.once("close", r));

    const session = store.open(id);
    const turns = session.completedTurns();
    expect(turns[0]).toEqual({
      task: "finished task",
      answer: "ok",
      filesChanged: ["a"],
      toolCalls: 0,
      status: "done",
    });
    expect(turns[1]).toMatchObject({ task: "task in flight", status: "interrupted" });
    expect(session.turns()[1].steps.length).toBeGreaterThan(10);
  });
});
