/**
 * Workspace trust, remembered in the user's data dir (never in the project, which is
 * what is being judged). A project's own permission file may always tighten rules; what
 * loosens them applies only in a folder the user trusted once, or when the file is
 * exactly what parecode itself last wrote there for the user's "always, this project".
 */
import { createHash } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";

interface TrustFile {
  version: 1;
  /** Trusted project roots (absolute, resolved). */
  folders: Record<string, { trustedAt: string }>;
  /** Project permission files parecode wrote, by absolute path: the sha256 of what it wrote. */
  written: Record<string, string>;
}

export interface TrustStore {
  isTrusted(folder: string): Promise<boolean>;
  trust(folder: string): Promise<void>;
  /** True when `content` is what parecode last wrote to `file` on the user's answer. */
  isOwnWrite(file: string, content: string): Promise<boolean>;
  recordOwnWrite(file: string, content: string): Promise<void>;
}

export function contentHash(content: string): string {
  return createHash("sha256").update(content).digest("hex");
}

/** `file` is e.g. `$XDG_DATA_HOME/parecode/trusted-folders.json`. */
export function createTrustStore(file: string): TrustStore {
  const load = async (): Promise<TrustFile> => {
    try {
      const parsed = JSON.parse(await readFile(file, "utf8")) as Partial<TrustFile>;
      return { version: 1, folders: parsed.folders ?? {}, written: parsed.written ?? {} };
    } catch {
      // Missing or unreadable: nothing is trusted, which is the safe reading.
      return { version: 1, folders: {}, written: {} };
    }
  };
  const save = async (data: TrustFile): Promise<void> => {
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    const temp = `${file}.${process.pid}.tmp`;
    await writeFile(temp, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
    await rename(temp, file);
  };
  return {
    async isTrusted(folder) {
      return (await load()).folders[path.resolve(folder)] !== undefined;
    },
    async trust(folder) {
      const data = await load();
      data.folders[path.resolve(folder)] = { trustedAt: new Date().toISOString() };
      await save(data);
    },
    async isOwnWrite(target, content) {
      return (await load()).written[path.resolve(target)] === contentHash(content);
    },
    async recordOwnWrite(target, content) {
      const data = await load();
      data.written[path.resolve(target)] = contentHash(content);
      await save(data);
    },
  };
}
