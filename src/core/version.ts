declare const PARECODE_VERSION: string | undefined;

/** Injected by the bundler; "dev" when running from source (tests through tsx/vitest). */
export const VERSION: string = typeof PARECODE_VERSION === "string" ? PARECODE_VERSION : "dev";
