import { describe, expect, it } from "vitest";
import { createRedactingStream, createRedactor, REDACTED, redactPatterns } from "./redact.js";

const KEY = "sk-ant-api03-Zq8xYw7VuT6sR5qP4oN3mL2kJ1iH0gF";

describe("createRedactor: known secrets", () => {
  it("replaces every occurrence of a known secret, and of one added later", () => {
    const redactor = createRedactor(["hunter2hunter2"]);
    expect(redactor.text("pw=hunter2hunter2; again hunter2hunter2")).toBe(`pw=${REDACTED}; again ${REDACTED}`);
    expect(redactor.text("token plain-old-value-1")).toBe("token plain-old-value-1");
    redactor.add("plain-old-value-1");
    expect(redactor.text("token plain-old-value-1")).toBe(`token ${REDACTED}`);
  });

  it("ignores values too short to search for, and replaces a longer secret before one it contains", () => {
    const redactor = createRedactor(["abc", "secret-value", "secret-value-extended"]);
    expect(redactor.text("abc secret-value-extended secret-value")).toBe(`abc ${REDACTED} ${REDACTED}`);
  });

  it("hides the trimmed form of a value read with a trailing newline", () => {
    const redactor = createRedactor(["trailing-newline-secret\n"]);
    expect(redactor.text("it is trailing-newline-secret.")).toBe(`it is ${REDACTED}.`);
  });

  it("redacts strings deep inside plain objects and arrays, leaving other values alone", () => {
    const redactor = createRedactor(["hunter2hunter2"]);
    const event = { type: "x", n: 3, ok: true, nested: { list: ["a hunter2hunter2", 4, null] } };
    expect(redactor.value(event)).toEqual({ type: "x", n: 3, ok: true, nested: { list: [`a ${REDACTED}`, 4, null] } });
    expect(event.nested.list[0]).toBe("a hunter2hunter2");
  });
});

describe("credential shapes", () => {
  it.each([
    ["an Anthropic key", `key is ${KEY} ok`, `key is ${REDACTED} ok`],
    ["a GitHub token", `ghp_${"a1".repeat(18)}`, REDACTED],
    ["an AWS key id", "AKIAABCDEFGHIJKLMNOP", REDACTED],
    ["a bearer header", "Authorization: Bearer abcdef0123456789xyz", `Authorization: Bearer ${REDACTED}`],
    ["a JSON header echo", '{"authorization":"bearer abcdef0123456789"}', `{"authorization":"bearer ${REDACTED}"}`],
    ["an x-api-key header", "x-api-key: test-key-1234567890", `x-api-key: ${REDACTED}`],
    ["a URL password", "postgres://app:s3cretpass@db:5432/x", `postgres://app:${REDACTED}@db:5432/x`],
    ["a key query value", "GET /v1?key=abc123def456ghi&x=1", `GET /v1?key=${REDACTED}&x=1`],
    [
      "a PEM private key",
      "a\n-----BEGIN RSA PRIVATE KEY-----\nMIIabc\n-----END RSA PRIVATE KEY-----\nb",
      `a\n${REDACTED}\nb`,
    ],
  ])("hides %s", (_label, input, expected) => {
    expect(createRedactor([]).text(input)).toBe(expected);
    expect(redactPatterns(input)).toBe(expected);
  });

  it.each([
    'headers: { "x-api-key": apiKey }',
    // Template placeholders as they appear in a source file the model reads.
    `Authorization: \`Bearer $\{token}\``,
    `const url = \`postgres://app:$\{password}@db/x\``,
    "postgres://app:<password>@db/x",
    "the bearer of bad news",
    "https://example.com/path?page=2&sort=name",
  ])("leaves source code and prose alone: %s", (input) => {
    expect(createRedactor([]).text(input)).toBe(input);
  });

  it("is idempotent", () => {
    const redactor = createRedactor([KEY]);
    const once = redactor.text(`Bearer ${KEY} postgres://u:pass12345@h ?token=abcdefgh12345`);
    expect(redactor.text(once)).toBe(once);
  });

  it("redacts 1 MB of tool output quickly enough to run on every result", () => {
    const redactor = createRedactor([KEY, "hunter2hunter2", "another-known-secret"]);
    const line = "const value = compute(input, options); // http://example.com/a?page=1 x-api-key: apiKey\n";
    const input = `${line.repeat(Math.ceil(1_000_000 / line.length))}${KEY}\n`;
    const started = performance.now();
    const out = redactor.text(input);
    const elapsed = performance.now() - started;
    expect(out).not.toContain(KEY);
    expect(out.length).toBe(input.length - KEY.length + REDACTED.length);
    // Generous for a shared 2-core machine; measured ~15 ms.
    expect(elapsed).toBeLessThan(500);
  });
});

describe("createRedactingStream", () => {
  const redactor = createRedactor([KEY]);

  function streamed(pieces: string[]): { shown: string[]; total: string } {
    const stream = createRedactingStream(redactor.text);
    const shown = pieces.map((piece) => stream.push(piece));
    shown.push(stream.flush());
    return { shown, total: shown.join("") };
  }

  it("never shows part of a key split across deltas", () => {
    const text = `Your key is ${KEY} and it works.`;
    const cut = text.indexOf(KEY) + 10;
    const { shown, total } = streamed([text.slice(0, cut), text.slice(cut)]);
    expect(total).toBe(`Your key is ${REDACTED} and it works.`);
    for (const piece of shown) expect(piece).not.toContain(KEY.slice(0, 10));
  });

  it("hides a key streamed in 8-character pieces, as servers send it", () => {
    const text = `export ANTHROPIC_API_KEY=${KEY}\nthen run it`;
    const pieces = text.match(/[\s\S]{1,8}/g) ?? [];
    const { shown, total } = streamed(pieces);
    expect(total).toBe(`export ANTHROPIC_API_KEY=${REDACTED}\nthen run it`);
    expect(shown.join("|")).not.toMatch(/sk-ant-a/);
  });

  it("keeps a header label with its token when the token arrives later", () => {
    const { total } = streamed(["curl -H 'Authorization: Bearer ", "abcdef0123", "456789xyz' url"]);
    expect(total).toBe(`curl -H 'Authorization: Bearer ${REDACTED}' url`);
  });

  it("holds a private key until its END line", () => {
    const lines = ["-----BEGIN OPENSSH PRIVATE KEY-----\n", "b3BlbnNzaC1rZXktdjEAAAAA\n", "AAAAAAAAAA\n"];
    const { shown, total } = streamed(["key:\n", ...lines, "-----END OPENSSH PRIVATE KEY-----\ndone"]);
    expect(total).toBe(`key:\n${REDACTED}\ndone`);
    expect(shown.join("")).not.toContain("b3BlbnNz");
  });

  it("shows prose with only a word or two of lag, and everything by the end", () => {
    const stream = createRedactingStream(redactor.text);
    expect(stream.push("The quick brown ")).toBe("The ");
    expect(stream.push("fox jumps")).toBe("quick brown ");
    expect(stream.flush()).toBe("fox jumps");
    expect(stream.flush()).toBe("");
  });

  it("holds back at most 512 characters of a run without spaces", () => {
    const stream = createRedactingStream(redactor.text);
    expect(stream.push("x".repeat(2000)).length).toBe(2000 - 512);
  });
});
