/** The first-run screens: one question at a time, the key never shown. */
import { Box, Text } from "ink";
import { useTheme } from "../theme.js";
import { PROVIDER_CHOICES, type SetupState, visibleModels } from "./setup-state.js";

export function SetupView({ state, configPath }: { state: SetupState; configPath: string }) {
  const theme = useTheme();
  const choice = state.choice;
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={theme.c("accent")} paddingX={1}>
      <Text bold color={theme.c("accent")}>
        parecode setup — no model is configured yet
      </Text>
      <Text color={theme.c("muted")}>Answers are saved to {configPath} (readable only by you).</Text>
      <Text> </Text>
      {state.step === "provider" && (
        <>
          <Text bold>Which provider?</Text>
          {PROVIDER_CHOICES.map((c, i) => (
            <Text key={c.id} color={i === state.selected ? theme.c("accent") : undefined} bold={i === state.selected}>
              {i === state.selected ? "› " : "  "}
              {c.label}
            </Text>
          ))}
          <Text color={theme.c("muted")}>↑↓ choose · Enter next · Ctrl+C quit</Text>
        </>
      )}
      {state.step === "endpoint" && (
        <>
          <Text bold>Server URL (with its API prefix, usually /v1):</Text>
          <Text>
            › {state.endpoint.text}
            <Text inverse> </Text>
          </Text>
          <Text color={theme.c("muted")}>Enter next · Esc back</Text>
        </>
      )}
      {state.step === "key" && choice && (
        <>
          <Text bold>
            API key for {choice.label.split(" — ")[0]}
            {choice.key === "optional" ? " (Enter to skip if the server needs none)" : ""}:
          </Text>
          <Text>
            › {"•".repeat(Array.from(state.key.text).length)}
            <Text inverse> </Text>
          </Text>
          <Text color={theme.c("muted")}>The key is hidden as you type · Enter next · Esc back</Text>
        </>
      )}
      {state.step === "model" && (
        <>
          <Text bold>Model:</Text>
          <Text>
            › {state.model.text}
            <Text inverse> </Text>
          </Text>
          {state.models === null && <Text color={theme.c("muted")}>asking the server for its models…</Text>}
          {visibleModels(state)
            .slice(0, 8)
            .map((m, i) => (
              <Text key={m} color={i === state.modelSelected ? theme.c("accent") : undefined}>
                {i === state.modelSelected ? "› " : "  "}
                {m}
              </Text>
            ))}
          {state.models !== null && state.models.length === 0 && choice?.provider === "ollama" && (
            <Text color={theme.c("warn")}>Ollama lists no models: run ollama pull qwen3:14b or type a name.</Text>
          )}
          <Text color={theme.c("muted")}>Type to filter or name one · ↑↓ choose · Enter save · Esc back</Text>
        </>
      )}
      {state.step === "saving" && <Text>Saving…</Text>}
      {state.error && <Text color={theme.c("error")}>{state.error}</Text>}
    </Box>
  );
}
