import { chmod } from "node:fs/promises";
import { afterEach, describe, expect, it } from "vitest";
import { ERROR_EXCERPT_CHARS } from "../../src/providers/error-map.js";
import { makeTempProject, parseJsonLines, runCli, type TempProject } from "../support/cli.js";
import { type ScriptedServer, type ScriptedTurn, startScriptedServer } from "../support/scripted-server.js";

/**
 * Secrets never shown, through the built CLI and the real SDKs: the profile's key and a
 * secret-looking environment value, echoed by the model's answer, by a command's output
 * and by a server's error, reach neither stdout nor stderr, in --json or plain mode.
 */

type Wire = "openai" | "anthropic" | "ollama";

/** Shaped like no known credential: only the profile wiring (collectSecrets) can hide it. */
const KEY = "plainprofilekey0123456789";
const ENV_TOKEN = "envtokenvalue-abcdef-987654";

let server: ScriptedServer | undefined;
let project: TempProject | undefined;

afterEach(async () => {
  await server?.close();
  await project?.cleanup();
  server = undefined;
  project = undefined;
});

function configFor(wire: Wire, srv: ScriptedServer): string {
  return `default_profile = "test"
provider_max_retries = 0
provider_stall_timeout = 2

[profiles.test]
provider = "${wire}"
endpoint = "${{ openai: srv.openaiBaseUrl, anthropic: `${srv.url}/v1`, ollama: srv.url }[wire]}"
model = "${{ openai: "test-model", anthropic: "claude-test", ollama: "qwen3:14b" }[wire]}"
api_key = "${KEY}"
context_tokens = 32000
`;
}

async function setup(wire: Wire, script: ScriptedTurn[]): Promise<{ project: TempProject; server: ScriptedServer }> {
  project = await makeTempProject({ "notes.txt": `api: ${KEY}\nservice: ${ENV_TOKEN}\nport: 8080\n` });
  project.env.MY_SERVICE_TOKEN = ENV_TOKEN;
  server = await startScriptedServer({ script });
  await project.writeConfig(configFor(wire, server));
  return { project, server };
}

function expectNoSecret(text: string): void {
  for (const secret of [KEY, ENV_TOKEN]) {
    expect(text).not.toContain(secret);
    // Not even a first part, as a delta split in the middle of the key would show.
    expect(text).not.toContain(secret.slice(0, 10));
  }
}

const ANSWER = `Your key is ${KEY} and the service token is ${ENV_TOKEN}.`;
const REDACTED_ANSWER = "Your key is [REDACTED] and the service token is [REDACTED].";

describe.each<Wire>(["openai", "anthropic"])("secrets over the %s wire format", (wire) => {
  const script: ScriptedTurn[] = [
    { text: "Reading the notes.", toolCalls: [{ name: "bash", args: { command: "cat notes.txt" } }] },
    { text: ANSWER },
  ];

  it("--json: the answer and a command's output carry neither the key nor the env token", async () => {
    const { project, server } = await setup(wire, script);
    const run = await runCli(["--json", "--yes", "read notes.txt"], { cwd: project.dir, env: project.env });

    expect(run.code).toBe(0);
    expectNoSecret(run.stdout + run.stderr);
    const events = parseJsonLines(run.stdout);
    const text = events.flatMap((e) => (e.type === "text_delta" ? [String(e.delta)] : [])).join("");
    expect(text).toBe(`Reading the notes.${REDACTED_ANSWER}`);
    expect(events.at(-1)).toMatchObject({ type: "result", status: "done", message: REDACTED_ANSWER });
    // The model itself was handed the command's output redacted.
    const sent = JSON.stringify(server.requests[1].body);
    expect(sent).toContain("api: [REDACTED]");
    expect(sent).toContain("service: [REDACTED]");
    expect(sent).toContain("port: 8080");
  });

  it("plain output: the answer on stdout and the tool lines on stderr are redacted too", async () => {
    const { project } = await setup(wire, script);
    const run = await runCli(["--yes", "read notes.txt"], { cwd: project.dir, env: project.env });

    expect(run.code).toBe(0);
    expectNoSecret(run.stdout + run.stderr);
    expect(run.stdout).toContain(REDACTED_ANSWER);
  });
});

describe.each<Wire>(["openai", "anthropic", "ollama"])("errors from a %s server echoing the key", (wire) => {
  const filler = "z".repeat(5000);
  const malformed = {
    openai: `data: {"id": "c1", "choices": [{"delta": {"content": "${KEY} ${filler}\n\n`,
    anthropic: `event: content_block_delta\ndata: {"type": "content_block_delta", "delta": {"text": "${KEY} ${filler}\n\n`,
    ollama: `{"message": {"role": "assistant", "content": "${KEY} ${filler}\n`,
  }[wire];
  const cases: Array<[string, ScriptedTurn]> = [
    [
      "a 500 whose plain-text body echoes the key",
      {
        fault: "raw",
        status: 500,
        contentType: "text/plain",
        body: `proxy failed for Authorization: Bearer ${KEY} ${filler}`,
      },
    ],
    ["a stream whose data is not JSON", { fault: "raw", body: malformed }],
    // Data that starts with the key: the JSON parser's own message quotes its first characters.
    [
      "a stream that starts with the key",
      { fault: "raw", body: wire === "ollama" ? `${KEY} ${filler}\n` : `event: error\ndata: ${KEY} ${filler}\n\n` },
    ],
  ];
  if (wire === "ollama") {
    cases.push(["a stream line that is JSON but no object", { fault: "raw", body: `"${KEY} ${filler}"\n` }]);
  }

  it.each(cases)("%s: the printed failure has neither the key nor more than an excerpt", async (_label, fault) => {
    // The wire format decides how the failure is read, the output format how it is printed:
    // both printers over one wire, the event stream over the others.
    for (const json of wire === "openai" ? [false, true] : [true]) {
      const { project } = await setup(wire, [fault]);
      const run = await runCli([...(json ? ["--json"] : []), "say hi"], { cwd: project.dir, env: project.env });

      expect(run.code).toBe(1);
      const output = run.stdout + run.stderr;
      expect(json ? run.stdout : run.stderr).toContain("failed");
      expectNoSecret(output);
      expect(output.split("z").length - 1).toBeLessThanOrEqual(ERROR_EXCERPT_CHARS);
      expect(output).not.toContain("Could not parse message into JSON");
      await server?.close();
      await project.cleanup();
    }
  });
});

describe("one-shot output of model-controlled text", () => {
  it("escapes terminal control sequences in an answer redirected to a file", async () => {
    const { project } = await setup("openai", [{ text: "Title\u001b[2J\u001b]0;owned\u0007\n\tindented\n" }]);
    const run = await runCli(["say hi"], { cwd: project.dir, env: project.env });

    expect(run.code).toBe(0);
    expect(run.stdout).toBe("Title\\x1b[2J\\x1b]0;owned\\x07\n\tindented\n");
  });

  it("warns once when the config file holding the key is readable by others", async () => {
    const { project } = await setup("openai", [{ text: "ok" }]);
    const file = await project.writeConfig(configFor("openai", server as ScriptedServer));
    await chmod(file, 0o644);
    const run = await runCli(["say hi"], { cwd: project.dir, env: project.env });

    expect(run.code).toBe(0);
    const shown = "~/config/parecode/config.toml";
    const warning = `${shown} holds an API key and is readable by others: chmod 600 ${shown}`;
    expect(run.stderr.split(warning).length - 1).toBe(1);
  });
});
