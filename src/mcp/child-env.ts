/**
 * The environment a stdio MCP server starts with: a small allowlist of what programs
 * need to run (PATH, HOME, locale, temp dir, proxies), never the provider keys or any
 * other secret-looking variable, plus the server's own configured `env`, which the user
 * wrote for it and which therefore wins.
 */

import { hasUrlCredentials, isSecretName, looksLikeSecretValue } from "../core/secrets.js";

const ALLOWED: readonly string[] = [
  "PATH",
  "HOME",
  "USER",
  "LOGNAME",
  "SHELL",
  "LANG",
  "LANGUAGE",
  "LC_ALL",
  "LC_CTYPE",
  "TERM",
  "TZ",
  "TMPDIR",
  "TEMP",
  "TMP",
  "XDG_RUNTIME_DIR",
  "XDG_CONFIG_HOME",
  "XDG_DATA_HOME",
  "XDG_CACHE_HOME",
  // Corporate networks: servers that fetch need the proxy and the extra CA bundle.
  "HTTP_PROXY",
  "HTTPS_PROXY",
  "NO_PROXY",
  "http_proxy",
  "https_proxy",
  "no_proxy",
  "NODE_EXTRA_CA_CERTS",
  "SSL_CERT_FILE",
  "SSL_CERT_DIR",
  // Windows: what node, npx and uvx need to find the user's folders and the system.
  "APPDATA",
  "LOCALAPPDATA",
  "HOMEDRIVE",
  "HOMEPATH",
  "USERNAME",
  "USERPROFILE",
  "SYSTEMDRIVE",
  "SYSTEMROOT",
  "COMSPEC",
  "PATHEXT",
  "PROGRAMFILES",
  "PROCESSOR_ARCHITECTURE",
];

export function mcpChildEnvironment(
  base: NodeJS.ProcessEnv,
  configured: Readonly<Record<string, string>>,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of ALLOWED) {
    const value = base[name];
    if (value === undefined || value.startsWith("()")) continue; // exported shell functions
    if (isSecretName(name) || looksLikeSecretValue(value) || hasUrlCredentials(value)) continue;
    env[name] = value;
  }
  return { ...env, ...configured };
}
