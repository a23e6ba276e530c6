/**
 * Type checks for config.toml values that throw a ConfigError naming the file, the line
 * and the key, and saying what to write instead.
 */
import { ConfigError } from "../core/errors.js";
import { tomlKey } from "./toml-text.js";

type Table = Record<string, unknown>;

/** Where a key was written: the file it came from (shown as in messages) and its line there. */
export type Locate = (keyPath: readonly string[]) => { file: string; shown: string; line?: number };

/** `file:line`, or the file alone when the line is unknown. */
export function whereIs(shown: string, line: number | undefined): string {
  return line === undefined ? shown : `${shown}:${line}`;
}

/** Type checks that throw a ConfigError pointing at the key's line. */
export class Checker {
  constructor(private readonly locate: Locate) {}

  fail(path: string[], problem: string): never {
    const { file, shown, line } = this.locate(path);
    const key = path.map(tomlKey).join(".");
    throw new ConfigError(`${whereIs(shown, line)}: ${key} ${problem}.`, { file, line, key });
  }

  requiredString(table: Table, at: string[], key: string, example: string): string {
    const value = this.optString(table, at, key, example);
    if (value === undefined || value.trim() === "") this.fail([...at, key], `is missing; add ${example}`);
    return value;
  }

  optString(table: Table, at: string[], key: string, example: string): string | undefined {
    const value = table[key];
    if (value === undefined || typeof value === "string") return value;
    return this.fail([...at, key], `must be a string in quotes (got ${describe(value)}); write it like ${example}`);
  }

  optInt(table: Table, at: string[], key: string, min: number, example: string): number | undefined {
    const value = table[key];
    if (value === undefined) return undefined;
    if (typeof value !== "number" || !Number.isInteger(value)) {
      return this.fail([...at, key], `must be a whole number (got ${describe(value)}); write it like ${example}`);
    }
    if (value < min) this.fail([...at, key], `must be at least ${min} (got ${value}); write it like ${example}`);
    return value;
  }

  optNumber(table: Table, at: string[], key: string, example: string, opts: { positive: boolean }): number | undefined {
    const value = table[key];
    if (value === undefined) return undefined;
    if (typeof value !== "number" || !Number.isFinite(value)) {
      return this.fail([...at, key], `must be a number (got ${describe(value)}); write it like ${example}`);
    }
    if (opts.positive ? value <= 0 : value < 0) {
      const bound = opts.positive ? "greater than 0" : "0 or more";
      this.fail([...at, key], `must be ${bound} (got ${value}); write it like ${example}`);
    }
    return value;
  }

  optBool(table: Table, at: string[], key: string, example: string): boolean | undefined {
    const value = table[key];
    if (value === undefined || typeof value === "boolean") return value;
    return this.fail([...at, key], `must be true or false (got ${describe(value)}); write it like ${example}`);
  }
}

export function isTable(value: unknown): value is Table {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
  } catch {
    return false;
  }
}

/** How a wrong value reads in a message: strings quoted, containers named. */
export function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return "a list";
  if (value instanceof Date) return "a date";
  if (isTable(value)) return "a table";
  return String(value);
}
