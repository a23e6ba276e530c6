/**
 * First run: when nothing is configured, no API key is in the environment and no Ollama
 * answers, a short setup runs before the UI and writes config.toml (mode 0600).
 */
import { render, Text, useStdin } from "ink";
import { useEffect, useRef, useState } from "react";
import { envProfiles } from "../../config/env.js";
import { loadConfig } from "../../config/load.js";
import { detectOllama, ollamaBaseUrl } from "../../config/ollama-detect.js";
import { configPath, displayPath } from "../../config/paths.js";
import { appendProfile } from "../../config/write.js";
import { listModels } from "../../runtime/models.js";
import { createKeyDecoder } from "../keys/decode.js";
import { createTheme, ThemeContext } from "../theme.js";
import { initialSetup, type SetupEffect, type SetupState, setupKey } from "./setup-state.js";
import { SetupView } from "./setup-view.js";

export async function needsSetup(env: NodeJS.ProcessEnv): Promise<boolean> {
  const config = await loadConfig(env).catch(() => undefined);
  // A config that does not parse is reported by the runtime with its line number, not replaced.
  if (!config || config.profiles.length > 0 || envProfiles(env).length > 0) return false;
  const ollama = await detectOllama({ env });
  return !ollama || ollama.models.length === 0;
}

export interface SetupOptions {
  env: NodeJS.ProcessEnv;
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
}

/** Resolves true once a profile is saved, false when the person quit. */
export async function runSetup(options: SetupOptions): Promise<boolean> {
  const file = configPath(options.env);
  let saved = false;
  const instance = render(
    <ThemeContext.Provider value={createTheme(options.env)}>
      <Setup
        env={options.env}
        file={file}
        onDone={(ok) => {
          saved = ok;
          instance.unmount();
        }}
      />
    </ThemeContext.Provider>,
    { stdin: options.stdin, stdout: options.stdout, exitOnCtrlC: false, patchConsole: false },
  );
  await instance.waitUntilExit();
  return saved;
}

function Setup({ env, file, onDone }: { env: NodeJS.ProcessEnv; file: string; onDone(ok: boolean): void }) {
  const [state, setRendered] = useState<SetupState>(initialSetup);
  const current = useRef(state);
  const setState = (next: (s: SetupState) => SetupState) => {
    current.current = next(current.current);
    setRendered(current.current);
  };
  const { setRawMode, internal_eventEmitter: events } = useStdin();

  useEffect(() => {
    if (state.step === "done") onDone(true);
    if (state.step === "cancelled") onDone(false);
  }, [state.step, onDone]);

  // setState only touches a ref and React's setter, so the listener is set up once.
  // biome-ignore lint/correctness/useExhaustiveDependencies: setState is stable in effect
  useEffect(() => {
    setRawMode(true);
    const decoder = createKeyDecoder();
    const perform = (effect: SetupEffect) => {
      if (effect.type === "list-models") {
        const endpoint = effect.choice.provider === "ollama" ? ollamaBaseUrl(env.OLLAMA_HOST) : effect.endpoint;
        const probe =
          effect.choice.provider === "ollama"
            ? detectOllama({ env }).then((d) => d?.models ?? [])
            : Promise.resolve([]);
        const fromServer = listModels({
          name: effect.choice.name,
          provider: effect.choice.provider,
          endpoint,
          model: "",
          apiKey: effect.apiKey || undefined,
          contextTokens: effect.choice.contextTokens,
          source: "config",
        });
        Promise.all([probe, fromServer]).then(([detected, listed]) => {
          const models = [...new Set([...detected, ...listed])];
          setState((s) => (s.step === "model" ? { ...s, models } : s));
        });
        return;
      }
      appendProfile(file, effect.choice.name, {
        provider: effect.choice.provider,
        endpoint:
          effect.choice.provider === "ollama"
            ? ollamaBaseUrl(env.OLLAMA_HOST)
            : effect.endpoint || effect.choice.endpoint,
        model: effect.model,
        apiKey: effect.apiKey || undefined,
        contextTokens: effect.choice.contextTokens,
      }).then(
        () => setState((s) => ({ ...s, step: "done", savedTo: file })),
        (err: unknown) =>
          setState((s) => ({ ...s, step: "model", error: `Could not save: ${(err as Error).message}` })),
      );
    };
    const onInput = (raw: string) => {
      for (const key of decoder.push(raw)) {
        const out = setupKey(current.current, key);
        setState(() => out.state);
        for (const effect of out.effects) perform(effect);
      }
    };
    events.on("input", onInput);
    return () => {
      events.off("input", onInput);
      setRawMode(false);
    };
  }, [env, events, file, setRawMode]);

  if (state.step === "done") return <Text>Saved {displayPath(file, env)}.</Text>;
  return <SetupView state={state} configPath={displayPath(file, env)} />;
}
