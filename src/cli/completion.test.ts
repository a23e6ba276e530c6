import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { completionScript } from "./completion.js";

describe("shell completion", () => {
  it("offers the subcommands and flags in each shell's own syntax", () => {
    const bash = completionScript("bash");
    expect(bash).toContain("complete -o default -F _parecode parecode");
    expect(bash).toContain("--max-budget-usd");
    expect(bash).toMatch(/--output-format\) COMPREPLY=\(\$\(compgen -W "text json stream-json"/);
    // bash itself accepts the script.
    execFileSync("bash", ["-n"], { input: bash });
    expect(completionScript("zsh")).toMatch(/^#compdef parecode\n/);
    expect(completionScript("zsh")).toContain(
      "'--permission-mode[permission-mode]:value:(ask accept-edits read-only trust)'",
    );
    const fish = completionScript("fish");
    expect(fish).toContain('complete -c parecode -n "__fish_use_subcommand" -a "help profiles models completion');
    expect(fish).toContain("complete -c parecode -l timeout -r");
  });
});
