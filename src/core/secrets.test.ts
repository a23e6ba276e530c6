import { describe, expect, it } from "vitest";
import { hasUrlCredentials, isSecretName, looksLikeSecretValue, secretValuesOf } from "./secrets.js";

describe("secret names", () => {
  it.each([
    "OPENAI_API_KEY",
    "ANTHROPIC_API_KEY",
    "STRIPE_KEY",
    "GITHUB_TOKEN",
    "gh_token",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "CLIENT_SECRET",
    "PGPASSWORD",
    "DB_PASSWORD",
    "GOOGLE_APPLICATION_CREDENTIALS",
    "GITLAB_PAT",
    "SSH_PRIVATE_KEY",
  ])("%s is secret", (name) => expect(isSecretName(name)).toBe(true));

  it.each(["PATH", "HOME", "SSH_AUTH_SOCK", "KEYBOARD", "TOKENIZERS_PARALLELISM", "MONKEY_BUSINESS", "LANG"])(
    "%s is not secret",
    (name) => expect(isSecretName(name)).toBe(false),
  );
});

describe("secret values", () => {
  it("recognises credential shapes and URLs with passwords", () => {
    expect(looksLikeSecretValue("sk-ant-api03-abcdefghijklmnopqrstuvwxyz")).toBe(true);
    expect(looksLikeSecretValue(`ghp_${"a".repeat(36)}`)).toBe(true);
    expect(looksLikeSecretValue("AKIAABCDEFGHIJKLMNOP")).toBe(true);
    expect(looksLikeSecretValue("hello world")).toBe(false);
    expect(hasUrlCredentials("postgres://app:hunter2@db:5432/x")).toBe(true);
    expect(hasUrlCredentials("https://example.com/path")).toBe(false);
  });

  it("collects the values of an environment that must never be shown", () => {
    const values = secretValuesOf({
      OPENAI_API_KEY: "sk-test-1234567890",
      HARMLESS: `ghp_${"b".repeat(36)}`,
      DATABASE_URL: "postgres://app:hunter2@db/x",
      SHORT_TOKEN: "abc",
      PATH: "/usr/bin",
    });
    expect(values.sort()).toEqual(
      ["postgres://app:hunter2@db/x", "sk-test-1234567890", `ghp_${"b".repeat(36)}`].sort(),
    );
  });
});
