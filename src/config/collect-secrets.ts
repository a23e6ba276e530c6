/**
 * Every value a run must never show: the API keys of the profiles it knows, credentials
 * written into their endpoints (`https://user:pass@proxy`, `?key=…`), and the secret
 * values of the environment. The redactor (core/redact) is built from this list.
 */

import { MIN_SECRET_LENGTH, secretValuesOf } from "../core/secrets.js";
import type { Profile } from "./types.js";

export function collectSecrets(
  env: NodeJS.ProcessEnv,
  profiles: Iterable<Pick<Profile, "apiKey" | "endpoint">>,
): string[] {
  const secrets = new Set(secretValuesOf(env));
  for (const profile of profiles) {
    if (profile.apiKey) secrets.add(profile.apiKey);
    for (const value of endpointSecrets(profile.endpoint)) secrets.add(value);
  }
  return [...secrets].filter((secret) => secret.length >= MIN_SECRET_LENGTH);
}

function endpointSecrets(endpoint: string): string[] {
  try {
    const url = new URL(endpoint);
    // A user name without a password (`https://TOKEN@host`) is itself the credential.
    const userinfo = url.password === "" ? url.username : url.password;
    return [userinfo, decodeURIComponent(userinfo), ...url.searchParams.values()];
  } catch {
    return [];
  }
}
