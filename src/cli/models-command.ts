/**
 * `parecode models [--profile NAME] [--json]`: the models the profile's server offers
 * (an OpenAI-compatible /v1/models, Ollama's installed models, Anthropic's model list),
 * one id per line; the profile's own model is marked with `*` on a terminal.
 */
import { projectConfigLayer } from "../runtime/project-layer.js";
import type { CliCommand } from "./args.js";

type ModelsCommand = Extract<CliCommand, { kind: "models" }>;

export interface ModelsIo {
  env: NodeJS.ProcessEnv;
  out: NodeJS.WritableStream & { isTTY?: boolean };
  err: NodeJS.WritableStream;
}

export async function runModelsCommand(command: ModelsCommand, io: ModelsIo): Promise<number> {
  const [{ resolveProfile }, { fetchModelList }, { displayUrl }] = await Promise.all([
    import("../config/resolve.js"),
    import("../runtime/models.js"),
    import("../providers/error-map.js"),
  ]);
  // An unknown --profile is a ConfigError naming the profiles there are (exit 2).
  const project = await projectConfigLayer(process.cwd(), io.env);
  const { profile } = await resolveProfile({ env: io.env, profileName: command.profile, project });
  const list = await fetchModelList(profile, undefined, 10_000);
  if (command.json) {
    const body = { profile: profile.name, provider: profile.provider, current: profile.model, models: list.models };
    io.out.write(`${JSON.stringify(list.error ? { ...body, error: list.error } : body)}\n`);
  } else if (io.out.isTTY) {
    for (const id of list.models) io.out.write(`${id === profile.model ? "*" : " "} ${id}\n`);
  } else {
    for (const id of list.models) io.out.write(`${id}\n`);
  }
  if (list.error) {
    io.err.write(
      `parecode: could not list the models of profile "${profile.name}" at ${displayUrl(list.url)}: ${list.error}. Check the endpoint and key (parecode doctor --profile ${profile.name}).\n`,
    );
    return 1;
  }
  if (list.models.length === 0) io.err.write(`The server of profile "${profile.name}" lists no models.\n`);
  return 0;
}
