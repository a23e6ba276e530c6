import { describe, expect, it } from "vitest";
import { createReadCache } from "./read-cache.js";

const stamp = { mtimeMs: 1000, size: 42 };

describe("read cache", () => {
  it("returns the turn of an identical earlier read", () => {
    const cache = createReadCache();
    expect(cache.lookup("/p/a.ts", "1-150", stamp)).toBeUndefined();
    cache.remember("/p/a.ts", "1-150", stamp, 3);
    expect(cache.lookup("/p/a.ts", "1-150", { ...stamp })).toEqual({ turn: 3 });
    expect(cache.lookup("/p/a.ts", "151-300", stamp)).toBeUndefined();
    expect(cache.lookup("/p/b.ts", "1-150", stamp)).toBeUndefined();
  });

  it("forgets a file whose mtime or size changed", () => {
    const cache = createReadCache();
    cache.remember("/p/a.ts", "k", stamp, 1);
    expect(cache.lookup("/p/a.ts", "k", { mtimeMs: 1001, size: 42 })).toBeUndefined();
    expect(cache.lookup("/p/a.ts", "k", stamp)).toBeUndefined();
    cache.remember("/p/a.ts", "k", stamp, 2);
    expect(cache.lookup("/p/a.ts", "k", { mtimeMs: 1000, size: 43 })).toBeUndefined();
  });

  it("keeps several keys per file and drops them on a new stamp", () => {
    const cache = createReadCache();
    cache.remember("/p/a.ts", "a", stamp, 1);
    cache.remember("/p/a.ts", "b", stamp, 2);
    expect(cache.lookup("/p/a.ts", "a", stamp)).toEqual({ turn: 1 });
    const next = { mtimeMs: 2000, size: 42 };
    cache.remember("/p/a.ts", "b", next, 5);
    expect(cache.lookup("/p/a.ts", "a", next)).toBeUndefined();
    expect(cache.lookup("/p/a.ts", "b", next)).toEqual({ turn: 5 });
  });

  it("invalidate and clear forget reads", () => {
    const cache = createReadCache();
    cache.remember("/p/a.ts", "k", stamp, 1);
    cache.remember("/p/b.ts", "k", stamp, 1);
    cache.invalidate("/p/a.ts");
    expect(cache.lookup("/p/a.ts", "k", stamp)).toBeUndefined();
    expect(cache.lookup("/p/b.ts", "k", stamp)).toEqual({ turn: 1 });
    cache.clear();
    expect(cache.lookup("/p/b.ts", "k", stamp)).toBeUndefined();
  });
});
