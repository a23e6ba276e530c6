import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseConfig } from "../config/load.js";
import { emptyHookSet } from "./config.js";
import { appendHooksBlock } from "./config-block.js";
import type { DetectedHooks } from "./detect.js";

let dir: string;
let file: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "parecode-hookblock-"));
  file = path.join(dir, "config.toml");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const ORIGINAL = `# my settings, keep this comment
default_profile = "local"

[profiles.local]
endpoint = "http://localhost:11434"   # the ollama box
model = "qwen3:14b"
`;

const cargo: DetectedHooks = {
  found: ["Cargo.toml"],
  hooks: { ...emptyHookSet(), on_edit: ["cargo check -q"], on_task_done: ["cargo test -q 2>&1 | tail -5"] },
};

describe("appendHooksBlock", () => {
  it("appends an editable block once, keeping the file byte for byte, mode 0600", async () => {
    writeFileSync(file, ORIGINAL, { mode: 0o644 });
    const env = { HOME: dir };
    expect(
      await appendHooksBlock(file, { kind: "profile", profile: "local" }, cargo, {
        project: path.join(dir, "app"),
        env,
      }),
    ).toBe("written");
    const text = await readFile(file, "utf8");
    expect(text.startsWith(ORIGINAL)).toBe(true);
    expect(text.slice(ORIGINAL.length)).toBe(
      [
        "",
        "# Hooks parecode detected in ~/app (Cargo.toml). Edit freely:",
        "# detection does not run again for this profile. on_edit output reaches the model after",
        "# every edit; hooks_disabled = true in the profile turns all hooks off.",
        "[profiles.local.hooks]",
        'on_edit = ["cargo check -q"]',
        'on_task_done = ["cargo test -q 2>&1 | tail -5"]',
        "# on_plan_step_done = []",
        "# on_session_start = []",
        "# on_session_end = []",
        "",
      ].join("\n"),
    );
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const profile = parseConfig(text, { path: file }).profiles[0];
    expect(profile.raw?.hooks).toEqual({
      on_edit: ["cargo check -q"],
      on_task_done: ["cargo test -q 2>&1 | tail -5"],
    });

    expect(await appendHooksBlock(file, { kind: "profile", profile: "local" }, cargo, { project: dir, env })).toBe(
      "exists",
    );
    expect(await readFile(file, "utf8")).toBe(text);
  });

  it("records an empty detection as a commented-out table, which counts as existing", async () => {
    writeFileSync(file, ORIGINAL);
    const nothing: DetectedHooks = { found: [], hooks: emptyHookSet() };
    await appendHooksBlock(file, { kind: "profile", profile: "local" }, nothing, { project: dir });
    const text = await readFile(file, "utf8");
    expect(text).toContain("[profiles.local.hooks]\n# on_edit = []\n");
    expect(parseConfig(text, { path: file }).profiles[0].raw?.hooks).toEqual({});
    expect(await appendHooksBlock(file, { kind: "profile", profile: "local" }, cargo, { project: dir })).toBe("exists");
  });

  it("writes the top-level [hooks] for profiles with no table, creating the file if needed", async () => {
    expect(await appendHooksBlock(file, { kind: "global" }, cargo, { project: dir })).toBe("written");
    const text = await readFile(file, "utf8");
    expect(text).toContain("\n[hooks]\n");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(parseConfig(text, { path: file }).raw?.hooks).toMatchObject({ on_edit: ["cargo check -q"] });
  });

  it("refuses, writing nothing, when the profile is an inline table or missing", async () => {
    const inline = 'profiles.local = { endpoint = "http://localhost:11434", model = "m" }\n';
    writeFileSync(file, inline);
    await expect(
      appendHooksBlock(file, { kind: "profile", profile: "local" }, cargo, { project: dir }),
    ).rejects.toThrow(/add the table by hand/);
    await expect(
      appendHooksBlock(file, { kind: "profile", profile: "other" }, cargo, { project: dir }),
    ).rejects.toThrow(/has no \[profiles.other\]/);
    expect(await readFile(file, "utf8")).toBe(inline);
  });
});
