import { describe, expect, it } from "vitest";
import { closestKey, editDistance, PROFILE_KEYS, TOP_LEVEL_KEYS, unknownKeys } from "./known-keys.js";

describe("closest known key", () => {
  it("finds the key a typo meant, and nothing for a word far from all of them", () => {
    expect(closestKey("max_iteration", TOP_LEVEL_KEYS)).toBe("max_iterations");
    expect(closestKey("maxIterations", TOP_LEVEL_KEYS)).toBe("max_iterations");
    expect(closestKey("provider_stall_timout", TOP_LEVEL_KEYS)).toBe("provider_stall_timeout");
    expect(closestKey("context_token", PROFILE_KEYS)).toBe("context_tokens");
    expect(closestKey("modle", PROFILE_KEYS)).toBe("model");
    expect(closestKey("api-key", PROFILE_KEYS)).toBe("api_key");
    expect(closestKey("colour_scheme", TOP_LEVEL_KEYS)).toBeUndefined();
    expect(editDistance("ab", "ba")).toBe(1);
  });

  it("lists unknown top-level and profile keys with their paths", () => {
    expect(
      unknownKeys({ max_iteration: 1, profiles: { p: { modle: "x", model: "y" } }, sandbox: "auto" }).map((k) => [
        k.path.join("."),
        k.closest,
      ]),
    ).toEqual([
      ["max_iteration", "max_iterations"],
      ["profiles.p.modle", "model"],
    ]);
  });
});
