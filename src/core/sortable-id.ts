import { randomBytes } from "node:crypto";

const ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";

/**
 * An id that sorts by creation time and is still unique when two are made in the same
 * second: `20260115-143012-k3f9q2` (UTC date and time, then 6 random base-36 characters,
 * about 2 billion values). People type a unique prefix of it, or of its random part.
 */
export function newSortableId(now: Date = new Date()): string {
  const iso = now.toISOString(); // 2026-01-15T14:30:12.345Z
  const stamp = `${iso.slice(0, 10).replaceAll("-", "")}-${iso.slice(11, 19).replaceAll(":", "")}`;
  return `${stamp}-${randomBase36(6)}`;
}

export function randomBase36(length: number): string {
  const bytes = randomBytes(length);
  let out = "";
  for (const byte of bytes) out += ALPHABET[byte % 36];
  return out;
}
