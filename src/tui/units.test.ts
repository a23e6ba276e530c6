import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createCommandRegistry } from "./commands/registry.js";
import { splitDiff } from "./components/diff-view.js";
import { listProjectFiles } from "./file-index.js";
import { createHistoryStore } from "./history-store.js";
import { createKeyDecoder, decodeChunk, keyId } from "./keys/decode.js";
import { initialSetup, PROVIDER_CHOICES, setupKey } from "./setup/setup-state.js";
import { splitStreaming } from "./state/streaming.js";
import { createTheme } from "./theme.js";

describe("key decoding", () => {
  it("tells Enter, Ctrl+J, the Shift+Enter encodings, arrows with modifiers and Ctrl letters apart", () => {
    const ids = (raw: string) => decodeChunk(raw).map(keyId);
    expect(ids("\r")).toEqual(["enter"]);
    expect(ids("\n")).toEqual(["ctrl+j"]);
    expect(ids("\u001b[13;2u")).toEqual(["shift+enter"]);
    expect(ids("\u001b[27;2;13~")).toEqual(["shift+enter"]);
    expect(ids("\u001b\r")).toEqual(["alt+enter"]);
    expect(ids("\u001b[1;5C")).toEqual(["ctrl+right"]);
    expect(ids("\u001b[99;5u")).toEqual(["ctrl+c"]);
    expect(ids("\u0003\u001b[Z\u001b[3~")).toEqual(["ctrl+c", "shift+tab", "delete"]);
  });

  it("joins a bracketed paste split across reads and keeps its newlines", () => {
    const decoder = createKeyDecoder();
    expect(decoder.push("\u001b[200~line one\r")).toEqual([]);
    expect(decoder.push("line two\u001b[201~x")).toEqual([
      { name: "paste", text: "line one\nline two" },
      { name: "char", text: "x" },
    ]);
  });
});

describe("streaming blocks", () => {
  it("cuts an overlong code block inside its fence and reopens it with the same language", () => {
    const code = Array.from({ length: 30 }, (_, i) => `line ${i}`).join("\n");
    const split = splitStreaming(`\`\`\`ts\n${code}\n`, 10);
    expect(split.done).toHaveLength(1);
    expect(split.done[0].startsWith("```ts\nline 0")).toBe(true);
    expect(split.done[0].endsWith("```")).toBe(true);
    expect(split.rest.startsWith("```ts\n")).toBe(true);
    expect(split.rest).toContain("line 29");
  });

  it("never ends a block at a blank line inside a fence", () => {
    const split = splitStreaming("```\na\n\nb\n", 20);
    expect(split.done).toEqual([]);
  });
});

describe("diffs", () => {
  it("splits a multi-file diff into sections named by file", () => {
    const files = splitDiff(
      "diff --git a/x.ts b/x.ts\n--- a/x.ts\n+++ b/x.ts\n@@ -1 +1 @@\n-a\n+b\ndiff --git a/y.ts b/y.ts\n--- /dev/null\n+++ b/y.ts\n@@ -0,0 +1 @@\n+new",
    );
    expect(files.map((f) => f.name)).toEqual(["x.ts", "y.ts"]);
    expect(files[1].lines).toEqual(["@@ -0,0 +1 @@", "+new"]);
  });
});

describe("command registry", () => {
  it("refuses a second command with a taken name or alias", () => {
    const registry = createCommandRegistry([
      { name: "quit", aliases: ["exit"], description: "q", run: () => undefined },
    ]);
    expect(() => registry.register({ name: "exit", description: "x", run: () => undefined })).toThrow(
      /already registered/,
    );
    expect(registry.find("exit")?.name).toBe("quit");
    expect(registry.infos().map((i) => i.name)).toEqual(["quit", "exit"]);
  });
});

describe("files and history on disk", () => {
  it("lists project files breadth-first and leaves out what .gitignore excludes", async () => {
    const root = await mkdtemp(path.join(tmpdir(), "tui-files-"));
    try {
      await mkdir(path.join(root, "src", "deep"), { recursive: true });
      await mkdir(path.join(root, "build"), { recursive: true });
      await writeFile(path.join(root, ".gitignore"), "build/\n*.log\n");
      for (const file of ["a.md", "src/b.ts", "src/deep/c.ts", "build/out.js", "debug.log"]) {
        await writeFile(path.join(root, file), "x");
      }
      expect(await listProjectFiles(root)).toEqual([".gitignore", "a.md", "src/b.ts", "src/deep/c.ts"]);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it("keeps prompt history across runs, mode 0600, skipping a line cut by a crash", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "tui-history-"));
    try {
      const file = path.join(dir, "data", "prompt-history.jsonl");
      const first = createHistoryStore(file);
      await first.append("fix the bug");
      await first.append("multi\nline");
      await writeFile(file, '"fix the bug"\n"multi\\nline"\n"cut off', { flag: "w" });
      expect(await createHistoryStore(file).load()).toEqual(["fix the bug", "multi\nline"]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("first-run setup", () => {
  it("walks provider → key (required for hosted APIs) → model and asks to save", () => {
    let state = initialSetup();
    const press = (key: Parameters<typeof setupKey>[1]) => {
      const out = setupKey(state, key);
      state = out.state;
      return out.effects;
    };
    const anthropic = PROVIDER_CHOICES.findIndex((c) => c.id === "anthropic");
    for (let i = 0; i < anthropic; i++) press({ name: "down" });
    press({ name: "enter" });
    expect(state.step).toBe("key");
    press({ name: "enter" });
    expect(state.error).toMatch(/needs an API key/);
    press({ name: "char", text: "sk-ant-x" });
    press({ name: "enter" });
    expect(state.step).toBe("model");
    expect(state.model.text).toBe("claude-sonnet-4-5");
    const effects = press({ name: "enter" });
    expect(effects).toEqual([
      {
        type: "save",
        choice: PROVIDER_CHOICES[anthropic],
        endpoint: "https://api.anthropic.com/v1",
        apiKey: "sk-ant-x",
        model: "claude-sonnet-4-5",
      },
    ]);
  });
});

describe("colour", () => {
  it("NO_COLOR (any value) and TERM=dumb drop every colour", () => {
    expect(createTheme({}).c("error")).toBe("red");
    expect(createTheme({ NO_COLOR: "" }).c("error")).toBeUndefined();
    expect(createTheme({ TERM: "dumb" }).scope("keyword")).toBeUndefined();
  });
});
