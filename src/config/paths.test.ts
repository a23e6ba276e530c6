import { describe, expect, it } from "vitest";
import { cacheDir, configDir, configPath, dataDir, displayPath, sessionsDir } from "./paths.js";

const HOME = "/home/tester";

describe("paths", () => {
  it("defaults to XDG locations under $HOME", () => {
    const env = { HOME };
    expect(configDir(env)).toBe("/home/tester/.config/parecode");
    expect(configPath(env)).toBe("/home/tester/.config/parecode/config.toml");
    expect(dataDir(env)).toBe("/home/tester/.local/share/parecode");
    expect(cacheDir(env)).toBe("/home/tester/.cache/parecode");
    expect(sessionsDir(env)).toBe("/home/tester/.local/share/parecode/sessions");
  });

  it("honours XDG_*_HOME and ignores empty or relative values", () => {
    const env = { HOME, XDG_CONFIG_HOME: "/x/conf", XDG_DATA_HOME: "/x/data", XDG_CACHE_HOME: "relative/cache" };
    expect(configPath(env)).toBe("/x/conf/parecode/config.toml");
    expect(dataDir(env)).toBe("/x/data/parecode");
    expect(cacheDir(env)).toBe("/home/tester/.cache/parecode");
    expect(configDir({ HOME, XDG_CONFIG_HOME: "" })).toBe("/home/tester/.config/parecode");
  });

  it("puts everything under PARECODE_HOME when set", () => {
    const env = { HOME, XDG_CONFIG_HOME: "/x/conf", PARECODE_HOME: "/opt/pc" };
    expect(configPath(env)).toBe("/opt/pc/config.toml");
    expect(dataDir(env)).toBe("/opt/pc/data");
    expect(cacheDir(env)).toBe("/opt/pc/cache");
  });

  it("shows paths under home with ~", () => {
    expect(displayPath("/home/tester/.config/parecode/config.toml", { HOME })).toBe("~/.config/parecode/config.toml");
    expect(displayPath("/home/testerX/a", { HOME })).toBe("/home/testerX/a");
    expect(displayPath("/etc/x", { HOME })).toBe("/etc/x");
  });
});
