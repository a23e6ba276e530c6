/**
 * `parecode completion bash|zsh|fish`: a completion script for the shell, printed to
 * stdout, e.g. `parecode completion bash > ~/.local/share/bash-completion/completions/parecode`.
 * It completes subcommands, flags and the values of the flags that take a fixed set.
 */
import { type Shell, SUBCOMMANDS } from "./args.js";
import { OUTPUT_FORMATS } from "./task-args.js";

/** Flags of a task run; a trailing "=" marks one that takes a value. */
const TASK_FLAGS = [
  "--profile=",
  "--model=",
  "--print",
  "--output-format=",
  "--json",
  "--input-format=",
  "--max-turns=",
  "--max-budget-usd=",
  "--timeout=",
  "--output-schema=",
  "--append-system-prompt=",
  "--mechanical",
  "--quick",
  "--verbose",
  "--permission-mode=",
  "--trust",
  "--yes",
  "--trust-project",
  "--sandbox",
  "--no-sandbox",
  "--continue",
  "--resume=",
  "--cd=",
  "--version",
  "--help",
] as const;

const VALUES: Record<string, readonly string[]> = {
  "--output-format": OUTPUT_FORMATS,
  "--input-format": ["text", "stream-json"],
  "--permission-mode": ["ask", "accept-edits", "read-only", "trust"],
};

const flagNames = TASK_FLAGS.map((flag) => flag.replace(/=$/, ""));

export function completionScript(shell: Shell): string {
  if (shell === "bash") return bashScript();
  if (shell === "zsh") return zshScript();
  return fishScript();
}

function bashScript(): string {
  const cases = Object.entries(VALUES)
    .map(([flag, values]) => `    ${flag}) COMPREPLY=($(compgen -W "${values.join(" ")}" -- "$cur")); return ;;`)
    .join("\n");
  return `# parecode completion for bash: source it, or save it as
# ~/.local/share/bash-completion/completions/parecode
_parecode() {
  local cur prev
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  case "$prev" in
${cases}
    -C|--cd) COMPREPLY=($(compgen -d -- "$cur")); return ;;
    --output-schema) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    completion) COMPREPLY=($(compgen -W "bash zsh fish" -- "$cur")); return ;;
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "${flagNames.join(" ")} -C -p -v -y -c -V -h" -- "$cur"))
  elif [[ $COMP_CWORD -eq 1 ]]; then
    COMPREPLY=($(compgen -W "${SUBCOMMANDS.join(" ")}" -- "$cur"))
  fi
}
complete -o default -F _parecode parecode
`;
}

function zshScript(): string {
  const describe = (flag: string) => {
    const name = flag.replace(/=$/, "");
    const values = VALUES[name];
    if (values) return `    '${name}[${name.slice(2)}]:value:(${values.join(" ")})'`;
    if (name === "--cd") return `    '${name}[run in DIR]:directory:_directories'`;
    if (name === "--output-schema") return `    '${name}[JSON Schema file]:file:_files'`;
    return flag.endsWith("=") ? `    '${name}[${name.slice(2)}]:value:'` : `    '${name}[${name.slice(2)}]'`;
  };
  return `#compdef parecode
# parecode completion for zsh: save it as _parecode in a folder on $fpath
_parecode() {
  _arguments -s \\
    '-C[run in DIR]:directory:_directories' \\
${TASK_FLAGS.map(describe).join(" \\\n")} \\
    '1: :(${SUBCOMMANDS.join(" ")})' \\
    '*::task:'
}
_parecode "$@"
`;
}

function fishScript(): string {
  const lines = [
    "# parecode completion for fish: save it as ~/.config/fish/completions/parecode.fish",
    `complete -c parecode -n "__fish_use_subcommand" -a "${SUBCOMMANDS.join(" ")}"`,
    `complete -c parecode -n "__fish_seen_subcommand_from completion" -a "bash zsh fish"`,
    `complete -c parecode -s C -l cd -r -a "(__fish_complete_directories)" -d "run in DIR"`,
  ];
  for (const flag of TASK_FLAGS) {
    const name = flag.replace(/=$/, "").slice(2);
    if (name === "cd") continue;
    const values = VALUES[`--${name}`];
    const takes = flag.endsWith("=") ? " -r" : "";
    lines.push(`complete -c parecode -l ${name}${takes}${values ? ` -a "${values.join(" ")}"` : ""}`);
  }
  return `${lines.join("\n")}\n`;
}
