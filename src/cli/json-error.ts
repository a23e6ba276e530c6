/**
 * Whether a failed command line asked for JSON on stdout (`--json`, `--output-format
 * json|stream-json`), read from the raw argv because the error may be in parsing it.
 * Subcommands with a `--json` of their own (tool, doctor, stats, mcp, sessions) report
 * their errors themselves.
 */
const OWN_JSON = new Set(["tool", "doctor", "stats", "mcp", "sessions", "init", "diff", "undo"]);

export function jsonErrorFormat(argv: readonly string[]): boolean {
  const words = argv.filter(
    (arg, i) => !(arg === "-C" || arg === "--cd" || argv[i - 1] === "-C" || argv[i - 1] === "--cd"),
  );
  if (words.length > 0 && OWN_JSON.has(words[0])) return false;
  for (let i = 0; i < words.length; i++) {
    const arg = words[i];
    if (arg === "--") return false;
    if (arg === "--json") return true;
    const format =
      arg === "--output-format" ? words[i + 1] : arg.startsWith("--output-format=") ? arg.slice(16) : undefined;
    if (format === "json" || format === "stream-json") return true;
  }
  return false;
}
