import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { liveInGroup, survivors } from "../../test/support/processes.js";
import { makeTree, toolContext } from "../../test/support/tool-tree.js";
import { createBashTool } from "./bash.js";
import { createOutputStore } from "./output-store.js";
import { createRecallTool } from "./recall.js";
import { createToolRegistry } from "./registry.js";

function groupOf(content: string): number {
  const pgid = Number(/pgid=(\d+)/.exec(content)?.[1]);
  if (!(pgid > 0)) throw new Error(`no pgid in ${content}`);
  return pgid;
}

describe("bash", () => {
  let tree: Awaited<ReturnType<typeof makeTree>>;
  beforeAll(async () => {
    tree = await makeTree({ "dir with space/a.txt": "hello\n" });
  });
  afterAll(() => tree.cleanup());

  it("can see a live process group (so the checks below mean something)", () => {
    const child = spawn("sleep", ["30"], { detached: true, stdio: "ignore" });
    try {
      expect(liveInGroup(child.pid as number)).toEqual([child.pid]);
    } finally {
      child.kill("SIGKILL");
    }
  });

  it("reports the exit code and merges stdout and stderr", async () => {
    const bash = createBashTool({ root: tree.root });
    const ok = await bash.execute({ command: "echo out; echo err >&2" }, toolContext());
    expect(ok.isError).toBe(false);
    expect(ok.content.split("\n")[0]).toBe("exit 0");
    expect(ok.content.split("\n").slice(1).sort()).toEqual(["err", "out"]);
    const failed = await bash.execute({ command: "cat 'dir with space/a.txt'; exit 3" }, toolContext());
    expect(failed).toMatchObject({ content: "exit 3\nhello", isError: true });
    const silent = await bash.execute({ command: "true" }, toolContext());
    expect(silent.content).toBe("exit 0\n(no output)");
  });

  it("runs in the project root with pagers and colour off", async () => {
    const bash = createBashTool({ root: tree.root });
    const result = await bash.execute({ command: 'pwd; echo "$PAGER $GIT_PAGER $NO_COLOR $TERM"' }, toolContext());
    expect(result.content).toBe(`exit 0\n${tree.root}\ncat cat 1 dumb`);
  });

  it("cuts 100,000 lines to at most 200, keeps the error line, and recall hands over all of it", async () => {
    const outputs = createOutputStore();
    const spillDir = path.join(tree.root, "..", "spill");
    const registry = createToolRegistry(
      [createBashTool({ root: tree.root }), createRecallTool({ outputs, spillDir })],
      {
        outputs,
      },
    );
    const command = "seq 1 50000; echo 'error: boom in the middle'; seq 50001 100000";
    const result = await registry.execute(
      { id: "call_7", name: "bash", args: { command }, rawArgs: "" },
      toolContext("call_7"),
    );
    const lines = result.content.split("\n");
    expect(lines.length).toBeLessThanOrEqual(200);
    expect(lines[0]).toBe("exit 0");
    expect(result.content).toContain("50001: error: boom in the middle");
    expect(lines.at(-2)).toBe("100000");
    expect(lines.at(-1)).toMatch(
      /^\[output cut: \d+ of 100,001 lines shown; recall \{"tool_call_id":"call_7"\} for all of it\]$/,
    );
    const recalled = await registry.execute(
      { id: "call_8", name: "recall", args: { tool_call_id: "call_7" }, rawArgs: "" },
      toolContext("call_8"),
    );
    // Too long to return whole: the tail comes back, and the full text is in a file for bash.
    const saved = path.join(spillDir, "call_7.txt");
    expect(recalled.content.split("\n")[0]).toBe(
      `[100,002 lines, too long to return whole. Saved to ${saved}; search it with bash, e.g. grep -n "error" ${JSON.stringify(saved)}, or read a part with sed -n '100,200p' ${JSON.stringify(saved)}. Last lines:]`,
    );
    expect(recalled.content.split("\n").at(-1)).toBe("100000");
    const all = (await readFile(saved, "utf8")).split("\n");
    expect(all).toHaveLength(100_002);
    expect(all[0]).toBe("exit 0");
    expect(all[100_001]).toBe("100000");
    const byName = await registry.execute(
      { id: "call_9", name: "recall", args: { tool_name: "bash" }, rawArgs: "" },
      toolContext("call_9"),
    );
    expect(byName.content).toBe(recalled.content);
  });

  it("kills the whole process group on timeout", async () => {
    const bash = createBashTool({ root: tree.root });
    const started = Date.now();
    const result = await bash.execute(
      { command: "echo pgid=$$; sleep 30 & echo started; wait", timeout: 1 },
      toolContext(),
    );
    expect(Date.now() - started).toBeLessThan(5000);
    expect(result.isError).toBe(true);
    expect(result.content.split("\n")[0]).toBe("timed out after 1s — killed");
    expect(result.content).toContain("started");
    expect(await survivors(() => liveInGroup(groupOf(result.content)))).toEqual([]);
  });

  it("escalates to SIGKILL for processes that ignore SIGTERM", async () => {
    const bash = createBashTool({ root: tree.root, killGraceMs: 300 });
    const result = await bash.execute(
      { command: "echo pgid=$$; (trap '' TERM; exec sleep 30) & wait", timeout: 1 },
      toolContext(),
    );
    expect(result.content.split("\n")[0]).toBe("timed out after 1s — killed");
    expect(await survivors(() => liveInGroup(groupOf(result.content)))).toEqual([]);
  });

  it("kills the group when the call is cancelled", async () => {
    const bash = createBashTool({ root: tree.root });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const started = Date.now();
    const result = await bash.execute(
      { command: "echo pgid=$$; sleep 1000 & sleep 1000; wait" },
      toolContext("c", controller.signal),
    );
    expect(Date.now() - started).toBeLessThan(4000);
    expect(result.content.split("\n")[0]).toBe("cancelled");
    expect(result.isError).toBe(true);
    expect(await survivors(() => liveInGroup(groupOf(result.content)))).toEqual([]);
  });

  it("does not wait for, or leave behind, background processes after a normal exit", async () => {
    const bash = createBashTool({ root: tree.root });
    const started = Date.now();
    const result = await bash.execute({ command: "echo pgid=$$; sleep 30 & echo done" }, toolContext());
    expect(Date.now() - started).toBeLessThan(3000);
    expect(result.content.split("\n")[0]).toBe("exit 0");
    expect(await survivors(() => liveInGroup(groupOf(result.content)))).toEqual([]);
  });

  it("shows binary output and invalid UTF-8 as U+FFFD, never raw control bytes", async () => {
    const bash = createBashTool({ root: tree.root });
    const result = await bash.execute({ command: "printf 'a\\000b\\001\\377c\\n'" }, toolContext());
    expect(result.content).toBe("exit 0\na\ufffdb\ufffd\ufffdc");
  });

  it("gives commands an empty stdin and a fresh start in the project root", async () => {
    const bash = createBashTool({ root: tree.root });
    const started = Date.now();
    const read = await bash.execute({ command: "cat; read -r x; echo read=$?; cd ..; pwd" }, toolContext());
    expect(Date.now() - started).toBeLessThan(3000);
    expect(read.content).toBe(`exit 0\nread=1\n${path.dirname(tree.root)}`);
    expect((await bash.execute({ command: "pwd" }, toolContext())).content).toBe(`exit 0\n${tree.root}`);
  });

  it("hides the provider keys and every secret-looking variable from commands, keeping PATH and allowlisted names", async () => {
    const env = {
      PATH: process.env.PATH,
      HOME: tree.root,
      OPENAI_API_KEY: "sk-proj-abcdefghijklmnopqrstuvwxyz0123",
      ANTHROPIC_API_KEY: "not-shaped-like-a-key",
      MY_SERVICE_TOKEN: "tok-123456789",
      DATABASE_URL: "postgres://app:hunter2hunter2@db.internal:5432/app",
      INNOCENT_NAME: "ghp_abcdefghijklmnopqrstuvwxyz0123456789",
      GITHUB_TOKEN: "ghp_allowlistedallowlistedallowlisted12",
      FORCE_COLOR: "1",
      PLAIN: "kept",
    };
    const bash = createBashTool({ root: tree.root, env, envAllow: ["GITHUB_TOKEN"] });
    const result = await bash.execute({ command: "env | sort" }, toolContext());
    const names = result.content
      .split("\n")
      .slice(1)
      .map((line) => line.slice(0, line.indexOf("=")));
    expect(names).toEqual(expect.arrayContaining(["PATH", "HOME", "PLAIN", "GITHUB_TOKEN", "PAGER", "NO_COLOR"]));
    for (const hidden of ["OPENAI_API_KEY", "ANTHROPIC_API_KEY", "MY_SERVICE_TOKEN", "DATABASE_URL", "INNOCENT_NAME"]) {
      expect(names).not.toContain(hidden);
    }
    expect(names).not.toContain("FORCE_COLOR");
    expect(result.content).not.toMatch(/sk-proj|hunter2|tok-123|ghp_abc/);
    expect(result.content).toContain(`PATH=${process.env.PATH}`);
  });

  it("never opens an editor: git commit without -m fails at once instead of hanging", async () => {
    const bash = createBashTool({ root: tree.root, env: { ...process.env, EDITOR: "vim", VISUAL: "vim" } });
    const started = Date.now();
    const result = await bash.execute(
      {
        command:
          "git init -q repo && cd repo && echo a > a && git add a && " +
          "git -c user.email=a@b.c -c user.name=t -c core.editor=vim commit 2>&1 | tail -1; cd .. && rm -rf repo",
        timeout: 20,
      },
      toolContext(),
    );
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(result.content).toBe("exit 0\nAborting commit due to empty commit message.");
  });

  it("caps the timeout argument and says so", async () => {
    const bash = createBashTool({ root: tree.root, maxTimeoutSeconds: 2 });
    const result = await bash.execute({ command: "echo hi", timeout: 100 }, toolContext());
    expect(result.content).toBe("exit 0 (timeout capped at 2s)\nhi");
  });

  it("falls back to an error result when the shell cannot start", async () => {
    const bash = createBashTool({ root: tree.root, shell: "/nonexistent/shell" });
    const result = await bash.execute({ command: "echo hi" }, toolContext());
    expect(result.isError).toBe(true);
    expect(result.content).toMatch(/^could not start \/nonexistent\/shell/);
  });
});
