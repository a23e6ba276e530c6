/**
 * First run, as a pure state machine: choose a provider, give its endpoint (for a server
 * of your own), its key (typed hidden), and a model (Ollama's and an OpenAI-compatible
 * server's own list when they have one). The IO — listing models, writing the config —
 * is the caller's (run-setup.ts), driven by the effects this returns.
 */
import type { ProviderKind } from "../../config/types.js";
import type { KeyPress } from "../keys/decode.js";
import * as ed from "../state/editor.js";

export interface ProviderChoice {
  id: string;
  label: string;
  provider: ProviderKind;
  /** The profile name written to config.toml. */
  name: string;
  endpoint: string;
  /** "required": hosted APIs; "optional": a server of your own; "none": Ollama. */
  key: "required" | "optional" | "none";
  /** Asked for (a server of your own). */
  askEndpoint: boolean;
  defaultModel: string;
  contextTokens: number;
}

export const PROVIDER_CHOICES: readonly ProviderChoice[] = [
  {
    id: "ollama",
    label: "Ollama — local models on this machine",
    provider: "ollama",
    name: "local",
    endpoint: "http://127.0.0.1:11434",
    key: "none",
    askEndpoint: false,
    defaultModel: "qwen3:14b",
    contextTokens: 32_768,
  },
  {
    id: "anthropic",
    label: "Anthropic — Claude",
    provider: "anthropic",
    name: "claude",
    endpoint: "https://api.anthropic.com/v1",
    key: "required",
    askEndpoint: false,
    defaultModel: "claude-sonnet-4-5",
    contextTokens: 200_000,
  },
  {
    id: "openai",
    label: "OpenAI",
    provider: "openai",
    name: "openai",
    endpoint: "https://api.openai.com/v1",
    key: "required",
    askEndpoint: false,
    defaultModel: "gpt-4.1",
    contextTokens: 128_000,
  },
  {
    id: "openrouter",
    label: "OpenRouter — many vendors, one key",
    provider: "openrouter",
    name: "openrouter",
    endpoint: "https://openrouter.ai/api/v1",
    key: "required",
    askEndpoint: false,
    defaultModel: "anthropic/claude-sonnet-4.5",
    contextTokens: 128_000,
  },
  {
    id: "gemini",
    label: "Google Gemini",
    provider: "gemini",
    name: "gemini",
    endpoint: "https://generativelanguage.googleapis.com/v1beta/openai/",
    key: "required",
    askEndpoint: false,
    defaultModel: "gemini-2.5-flash",
    contextTokens: 1_000_000,
  },
  {
    id: "custom",
    label: "Another OpenAI-compatible server (vLLM, llama.cpp, LM Studio…)",
    provider: "openai",
    name: "server",
    endpoint: "http://127.0.0.1:8000/v1",
    key: "optional",
    askEndpoint: true,
    defaultModel: "",
    contextTokens: 32_768,
  },
];

export type SetupStep = "provider" | "endpoint" | "key" | "model" | "saving" | "done" | "cancelled";

export interface SetupState {
  step: SetupStep;
  selected: number;
  choice: ProviderChoice | null;
  endpoint: ed.EditorState;
  key: ed.EditorState;
  /** The model typed, or the filter over `models`. */
  model: ed.EditorState;
  /** The server's models; null while asking it, [] when it listed none. */
  models: string[] | null;
  modelSelected: number;
  error: string | null;
  /** Where the config was written (for the closing message). */
  savedTo: string | null;
}

export type SetupEffect =
  | { type: "list-models"; choice: ProviderChoice; endpoint: string; apiKey: string }
  | { type: "save"; choice: ProviderChoice; endpoint: string; apiKey: string; model: string };

export function initialSetup(): SetupState {
  return {
    step: "provider",
    selected: 0,
    choice: null,
    endpoint: ed.EMPTY_EDITOR,
    key: ed.EMPTY_EDITOR,
    model: ed.EMPTY_EDITOR,
    models: null,
    modelSelected: 0,
    error: null,
    savedTo: null,
  };
}

export interface SetupUpdate {
  state: SetupState;
  effects: SetupEffect[];
}

const stay = (state: SetupState): SetupUpdate => ({ state, effects: [] });

function edit(editor: ed.EditorState, key: KeyPress): ed.EditorState {
  if ((key.name === "char" && !key.ctrl && !key.alt) || key.name === "paste")
    return ed.insertText(editor, (key.text ?? "").replace(/\s+$/, ""));
  if (key.name === "backspace") return ed.deleteBack(editor);
  if (key.name === "left") return ed.moveLeft(editor);
  if (key.name === "right") return ed.moveRight(editor);
  if (key.name === "char" && key.ctrl && key.text === "u") return ed.EMPTY_EDITOR;
  return editor;
}

/** The models shown: the server's list filtered by what is typed. */
export function visibleModels(state: SetupState): string[] {
  const typed = state.model.text.trim().toLowerCase();
  const all = state.models ?? [];
  return typed === "" ? all : all.filter((m) => m.toLowerCase().includes(typed));
}

function toModelStep(state: SetupState): SetupUpdate {
  const choice = state.choice as ProviderChoice;
  const listed = choice.provider === "ollama" || choice.askEndpoint;
  const next: SetupState = {
    ...state,
    step: "model",
    error: null,
    models: listed ? null : [],
    model: listed ? ed.EMPTY_EDITOR : ed.editorOf(choice.defaultModel),
  };
  if (!listed) return stay(next);
  return {
    state: next,
    effects: [{ type: "list-models", choice, endpoint: state.endpoint.text.trim(), apiKey: state.key.text.trim() }],
  };
}

export function setupKey(state: SetupState, key: KeyPress): SetupUpdate {
  if (key.name === "char" && key.ctrl && key.text === "c") return stay({ ...state, step: "cancelled" });
  switch (state.step) {
    case "provider": {
      const n = PROVIDER_CHOICES.length;
      if (key.name === "up") return stay({ ...state, selected: (state.selected - 1 + n) % n });
      if (key.name === "down") return stay({ ...state, selected: (state.selected + 1) % n });
      if (key.name !== "enter") return stay(state);
      const choice = PROVIDER_CHOICES[state.selected];
      const base = { ...state, choice, endpoint: ed.editorOf(choice.endpoint), error: null };
      if (choice.askEndpoint) return stay({ ...base, step: "endpoint" });
      if (choice.key !== "none") return stay({ ...base, step: "key" });
      return toModelStep(base);
    }
    case "endpoint":
      if (key.name === "escape") return stay({ ...state, step: "provider" });
      if (key.name !== "enter") return stay({ ...state, endpoint: edit(state.endpoint, key) });
      if (!/^https?:\/\/\S+$/.test(state.endpoint.text.trim())) {
        return stay({ ...state, error: "Give the server's URL, e.g. http://127.0.0.1:8000/v1" });
      }
      return stay({ ...state, step: "key", error: null });
    case "key":
      if (key.name === "escape") return stay({ ...state, step: state.choice?.askEndpoint ? "endpoint" : "provider" });
      if (key.name !== "enter") return stay({ ...state, key: edit(state.key, key) });
      if (state.choice?.key === "required" && state.key.text.trim() === "") {
        return stay({ ...state, error: "This provider needs an API key." });
      }
      return toModelStep(state);
    case "model": {
      const shown = visibleModels(state);
      if (key.name === "escape") return stay({ ...state, step: state.choice?.key === "none" ? "provider" : "key" });
      if (key.name === "up" && shown.length > 0)
        return stay({ ...state, modelSelected: Math.max(0, state.modelSelected - 1) });
      if (key.name === "down" && shown.length > 0) {
        return stay({ ...state, modelSelected: Math.min(shown.length - 1, state.modelSelected + 1) });
      }
      if (key.name !== "enter") return stay({ ...state, model: edit(state.model, key), modelSelected: 0 });
      const model = shown[state.modelSelected] ?? state.model.text.trim();
      if (model === "") return stay({ ...state, error: "Type the model's name." });
      const choice = state.choice as ProviderChoice;
      return {
        state: { ...state, step: "saving", error: null },
        effects: [{ type: "save", choice, endpoint: state.endpoint.text.trim(), apiKey: state.key.text.trim(), model }],
      };
    }
    default:
      return stay(state);
  }
}
