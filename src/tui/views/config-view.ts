/** /config: the active profile, settings, permissions, hooks and MCP servers — never a key. */
import { displayPath } from "../../config/paths.js";
import type { Runtime } from "../../runtime/runtime.js";
import type { ViewLine } from "./view-frame.js";

function tableKeys(value: unknown): string[] {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? Object.keys(value) : [];
}

export function configLines(runtime: Runtime, env: NodeJS.ProcessEnv): ViewLine[] {
  const p = runtime.profile;
  const c = runtime.config;
  const key = p.apiKey
    ? p.apiKeyEnv
      ? `from $${p.apiKeyEnv}`
      : p.source === "env"
        ? "from the environment"
        : "set in the config"
    : "none";
  const s = c.settings;
  const hooks = [...tableKeys(p.raw?.hooks), ...tableKeys(c.raw?.hooks)];
  const mcp = [...tableKeys(p.raw?.mcp_servers), ...tableKeys(c.raw?.mcp_servers)];
  return [
    { text: "profile", bold: true },
    {
      text: `  name       ${p.name} (${p.source === "config" ? "config" : p.source === "env" ? "environment key" : "detected Ollama"})`,
    },
    { text: `  provider   ${p.provider}` },
    { text: `  endpoint   ${p.endpoint}` },
    { text: `  model      ${p.model}` },
    {
      text: `  window     ${runtime.contextWindow.toLocaleString("en-US")} tokens (configured ${p.contextTokens.toLocaleString("en-US")})`,
    },
    { text: `  api key    ${key}` },
    { text: "" },
    { text: "settings", bold: true },
    { text: `  config     ${displayPath(c.path, env)}${c.exists ? "" : " (not created yet)"}` },
    { text: `  project    ${runtime.root}` },
    { text: `  permission mode ${runtime.permissionMode}` },
    { text: `  sandbox    ${s.sandbox}${s.sandbox === "auto" ? `, network ${s.sandboxNetwork ? "on" : "off"}` : ""}` },
    {
      text: `  max iterations ${s.maxIterations} · bash timeout ≤ ${s.bashMaxTimeoutSeconds}s · retries ${s.providerMaxRetries}`,
    },
    { text: "" },
    { text: "hooks", bold: true },
    { text: hooks.length > 0 ? `  configured: ${hooks.join(", ")}` : "  none configured", dim: hooks.length === 0 },
    { text: "" },
    { text: "MCP servers", bold: true },
    { text: mcp.length > 0 ? `  configured: ${mcp.join(", ")}` : "  none configured", dim: mcp.length === 0 },
    { text: "" },
    {
      text: `other profiles: ${
        c.profiles
          .filter((x) => x.name !== p.name)
          .map((x) => x.name)
          .join(", ") || "none"
      } (/profile NAME switches)`,
      dim: true,
    },
  ];
}
