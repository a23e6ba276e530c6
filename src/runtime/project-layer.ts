/**
 * The project's own config layer (`.parecode/config.toml`) as every command reads it:
 * laid over the user's config, with what loosens permissions or runs commands honoured
 * only in a folder the user trusts (or trusts now with --trust-project).
 */
import { createTrustStore } from "../permissions/workspace-trust.js";
import { trustStoreFile } from "./permissions.js";

export interface ProjectConfigLayer {
  root: string;
  trusted: boolean;
}

export async function projectConfigLayer(
  root: string,
  env: NodeJS.ProcessEnv,
  trustProject = false,
): Promise<ProjectConfigLayer> {
  const trusted = trustProject || (await createTrustStore(trustStoreFile(env)).isTrusted(root));
  return { root, trusted };
}
