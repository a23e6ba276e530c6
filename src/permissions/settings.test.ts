import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseToml } from "../config/load.js";
import { ConfigError } from "../core/errors.js";
import { appendProjectRules, readProjectPermissions } from "./project-file.js";
import { resolvePermissions } from "./resolve.js";
import { readPermissionSettings, type SettingsLocation } from "./settings.js";
import { emptySettings } from "./types.js";
import { createTrustStore } from "./workspace-trust.js";

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "parecode-perm-"));
  dirs.push(dir);
  return dir;
}

async function readUserConfig(text: string) {
  const dir = await tempDir();
  const file = path.join(dir, "config.toml");
  await writeFile(file, text);
  const where: SettingsLocation = {
    file,
    shown: "config.toml",
    at: ["permissions"],
    source: { kind: "user", file: "config.toml" },
  };
  return readPermissionSettings(parseToml(text, file).permissions, where);
}

describe("[permissions] in config.toml", () => {
  it("reads mode, tool rules, bash rules, [[rules]] and the read-only lists", async () => {
    const { settings, warnings } = await readUserConfig(`
[permissions]
mode = "accept-edits"
extra_read_only_commands = ["make -n"]
[permissions.tools]
"github__*" = "ask"
write_file = "deny"
[permissions.bash]
allow = ["npm test"]
deny = ["git push"]
[[permissions.rules]]
tool = "bash"
command = "npm install"
action = "allow"
`);
    expect(warnings).toEqual([]);
    expect(settings.mode).toBe("accept-edits");
    expect(settings.extraReadOnlyCommands).toEqual(["make -n"]);
    expect(settings.tools.map((r) => `${r.pattern}=${r.action}`)).toEqual(["github__*=ask", "write_file=deny"]);
    expect(settings.bash.map((r) => `${r.pattern}=${r.action}`)).toEqual([
      "npm test=allow",
      "git push=deny",
      "npm install=allow",
    ]);
  });

  it("names the file, line and key of a mistake, and warns about unknown keys", async () => {
    await expect(readUserConfig(`[permissions]\nmode = "yolo"\n`)).rejects.toThrow(
      /config\.toml:2: permissions\.mode must be one of ask, accept-edits, read-only, trust/,
    );
    await expect(readUserConfig(`[permissions.bash]\nallow = "npm test"\n`)).rejects.toBeInstanceOf(ConfigError);
    const { warnings } = await readUserConfig(`[permissions]\nmodes = "ask"\n`);
    expect(warnings[0]).toMatch(/unknown key permissions\.modes ignored; did you mean mode\?/);
  });
});

describe("a project's own permission file", () => {
  const project = (text: string) => {
    const table = parseToml(text, "p.toml");
    const { settings } = readPermissionSettings(table, {
      file: "p.toml",
      shown: ".parecode/permissions.toml",
      at: [],
      source: { kind: "project", file: ".parecode/permissions.toml" },
    });
    return { settings, shown: ".parecode/permissions.toml" };
  };

  it("untrusted, it may only tighten: deny and ask rules and a stricter mode apply, allows are ignored", () => {
    const resolved = resolvePermissions({
      user: { ...emptySettings(), mode: "accept-edits" },
      project: project(`mode = "read-only"\n[bash]\ndeny = ["git push"]\nallow = ["curl"]\n[tools]\nbash = "allow"\n`),
      projectTrusted: false,
    });
    expect(resolved.mode).toBe("read-only");
    expect(resolved.bash.map((r) => r.pattern)).toEqual(["git push"]);
    expect(resolved.tools).toEqual([]);
    expect(resolved.ignored).toEqual(["allow tool bash", 'allow command "curl"']);
  });

  it("untrusted, a looser mode is ignored; trusted, everything applies; the command line wins over both", () => {
    const loose = project(`mode = "trust"\n[bash]\nallow = ["curl"]\n`);
    expect(resolvePermissions({ user: emptySettings(), project: loose, projectTrusted: false }).mode).toBe("ask");
    const trusted = resolvePermissions({ user: emptySettings(), project: loose, projectTrusted: true });
    expect(trusted.mode).toBe("trust");
    expect(trusted.bash.map((r) => r.pattern)).toEqual(["curl"]);
    expect(
      resolvePermissions({ user: emptySettings(), project: loose, projectTrusted: true, cliMode: "read-only" }).mode,
    ).toBe("read-only");
  });

  it("answers 'always, this project' are appended as [[rules]] and read back, comments kept", async () => {
    const root = await tempDir();
    await appendProjectRules(root, [{ tool: "bash", command: "npm install" }]);
    const file = path.join(root, ".parecode", "permissions.toml");
    await writeFile(file, `${await readFile(file, "utf8")}# my note\n`);
    const text = await appendProjectRules(root, [{ tool: "edit_file" }]);
    expect(text).toContain("# my note");
    const read = await readProjectPermissions(root);
    expect(read?.settings.bash).toMatchObject([{ pattern: "npm install", action: "allow" }]);
    expect(read?.settings.tools).toMatchObject([{ pattern: "edit_file", action: "allow" }]);
  });
});

describe("workspace trust", () => {
  it("remembers trusted folders and the files parecode wrote, nothing else", async () => {
    const dir = await tempDir();
    const store = createTrustStore(path.join(dir, "data", "trusted-folders.json"));
    expect(await store.isTrusted("/work/app")).toBe(false);
    await store.trust("/work/app");
    expect(await store.isTrusted("/work/app/")).toBe(true);
    expect(await store.isTrusted("/work/other")).toBe(false);
    await store.recordOwnWrite("/work/x/.parecode/permissions.toml", "a");
    expect(await store.isOwnWrite("/work/x/.parecode/permissions.toml", "a")).toBe(true);
    expect(await store.isOwnWrite("/work/x/.parecode/permissions.toml", "a changed by someone else")).toBe(false);
  });
});
