import { describe, expect, it } from "vitest";
import { commandEnvironment } from "./environment.js";

describe("commandEnvironment", () => {
  const base = {
    PATH: "/usr/bin:/bin",
    HOME: "/home/u",
    LANG: "C.UTF-8",
    SSH_AUTH_SOCK: "/run/user/1000/agent.sock",
    GEMINI_API_KEY: "short",
    OPENROUTER_API_KEY: "sk-or-v1-0123456789abcdefghijkl",
    STRIPE_SECRET: "whatever",
    PGPASSWORD: "pw",
    github_token: "lowercase-name-still-a-token",
    BUILD_ID: "AKIAABCDEFGHIJKLMNOP",
    REDIS_URL: "redis://default:s3cretpass@cache:6379",
    DOCS_URL: "https://user@example.com/docs",
    EDITOR: "vim",
    FORCE_COLOR: "3",
  };

  it("removes keys, secret names, credential-shaped values and URLs with a password, and lists only their names", () => {
    const { env, removed } = commandEnvironment(base);
    expect(removed).toEqual([
      "BUILD_ID",
      "GEMINI_API_KEY",
      "OPENROUTER_API_KEY",
      "PGPASSWORD",
      "REDIS_URL",
      "STRIPE_SECRET",
      "github_token",
    ]);
    for (const name of removed) expect(env).not.toHaveProperty(name);
    expect(env).toMatchObject({
      PATH: "/usr/bin:/bin",
      HOME: "/home/u",
      LANG: "C.UTF-8",
      SSH_AUTH_SOCK: "/run/user/1000/agent.sock",
      DOCS_URL: "https://user@example.com/docs",
    });
    expect(JSON.stringify(removed)).not.toMatch(/sk-or|s3cret|AKIA/);
  });

  it("keeps exactly the allowlisted names, case-sensitively, and removes extra names on request", () => {
    const { env, removed } = commandEnvironment(base, {
      allow: ["STRIPE_SECRET", "GITHUB_TOKEN"],
      remove: ["DOCS_URL"],
    });
    expect(env.STRIPE_SECRET).toBe("whatever");
    expect(env).not.toHaveProperty("github_token");
    expect(env).not.toHaveProperty("DOCS_URL");
    expect(removed).toContain("DOCS_URL");
    expect(removed).not.toContain("STRIPE_SECRET");
  });

  it("turns off pagers, colour, prompts and editors whatever the base says", () => {
    const { env } = commandEnvironment(base);
    expect(env).toMatchObject({
      PAGER: "cat",
      GIT_PAGER: "cat",
      NO_COLOR: "1",
      TERM: "dumb",
      GIT_TERMINAL_PROMPT: "0",
      GIT_EDITOR: "true",
      EDITOR: "true",
      VISUAL: "true",
    });
    expect(env).not.toHaveProperty("FORCE_COLOR");
  });
});
