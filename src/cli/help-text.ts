/** `parecode --help`, `parecode help` and `parecode help COMMAND`. */

export const HELP_TEXT = `parecode: a terminal coding agent that keeps every model call small.

Usage
  parecode                      open the interactive UI (on a terminal)
  parecode "task"               run one task in the current directory, then exit
  parecode -p "task"            the same, never the interactive UI (as claude -p)
  echo "task" | parecode        the task read from stdin
  cat a.log | parecode "why?"   piped text is added to the task as context (capped)
  parecode --quick "task"       one model call, no history, at most one tool call (an edit,
                                a search or a read-only command), on the quick route
  parecode plan "task" [--yes]  plan the task in steps, show the plan and its estimated cost,
                                ask to run it (--yes runs it without asking); each step runs
                                in a fresh context with only its files. Saved in .parecode/plan.md
  parecode plan --resume        continue the saved plan from the step that failed
  parecode --mechanical "replace OLD with NEW in src/"
                                a deterministic edit, no model call: also "rename A to B",
                                "remove lines matching TEXT"; shows the diff, applies after
                                confirmation (or --yes) with a checkpoint (parecode undo)
  parecode help [COMMAND]       this help, or one command's usage
  parecode profiles [list]      list configured profiles
  parecode models [--profile NAME] [--json]
                                the models the profile's server offers
  parecode completion bash|zsh|fish
                                print a shell completion script
  parecode init [--force]       write .parecode/conventions.md from the project's files (no model call)
  parecode doctor [--json] [--no-network] [--profile NAME]
                                check config, profiles (a one-token request each), folders,
                                git, ripgrep, sandbox and hooks; exit 1 if any check fails
  parecode tool NAME --json ARGS
                                run one native tool and print what the model would see
  parecode stats [--days N] [--json]
                                tokens, cost and checks of this project's tasks per day
                                and per model (default the last 7 days)
  parecode mcp list|tools|logs|add|remove|serve
                                MCP servers: inspect, configure, or serve parecode's tools
                                (parecode mcp --help for the details)
  parecode acp [--profile NAME] [--permission-mode MODE]
                                run as an agent for editors (Zed, JetBrains, Neovim) over the
                                Agent Client Protocol on stdio; approvals are asked in the editor
  parecode diff [N|ID]          what changed since the checkpoint taken before the latest
                                (or the Nth latest) task
  parecode undo [N|ID] [--yes]  put the files back as they were before the latest (or Nth
                                latest) task; shows the changes and asks first. Undoable.
  parecode undo --list          the checkpoints of this folder, newest first
  parecode sessions list [--all]
                                this folder's sessions (--all: every folder's)
  parecode sessions show|export|rename|delete ID
                                one session; export writes Markdown (--output FILE),
                                delete asks first (--yes without a terminal)

Options
  -C, --cd DIR      run as if started in DIR (any command)
  --profile NAME    use this profile from config.toml for this run
  --model ID        use this model for this run (overrides the profile's model)
  -p, --print       run the task and print the answer (no interactive UI)
  --output-format text|json|stream-json
                    text (default): the answer on stdout, the rest on stderr;
                    json: one result object at the end; stream-json: one JSON message
                    per line in Claude Code's shape (system, assistant, user, result)
  --json            parecode's own event stream: one JSON object per event per line
  --input-format text|stream-json
                    stream-json: read user messages as JSON lines from stdin (several
                    tasks in one session) and answer permission requests there
  --max-turns N     at most N model calls per task (reason "max_turns")
  --max-budget-usd X
                    stop before the model call that would take the run past X dollars
                    (reason "budget"; needs the model's price)
  --timeout SECONDS stop a task after this long, running commands included (reason
                    "timeout", exit 124)
  --output-schema FILE
                    the final answer must be JSON matching this JSON Schema; asked again
                    once, then the task fails (reason "output_schema")
  --append-system-prompt TEXT
                    add TEXT to the end of the system prompt
  -v, --verbose     print token counts and the permission rule behind every decision
  --permission-mode MODE
                    ask (default): ask before edits, commands and MCP calls;
                    accept-edits: edits inside the project go through, commands ask;
                    read-only: nothing is changed; trust: everything no rule denies
  --trust           the same as --permission-mode trust
  -y, --yes         approve every action that would ask (dangerous commands stay blocked)
  --trust-project   trust this folder's .parecode/permissions.toml and config.toml (remembered)
  --sandbox, --no-sandbox
                    run commands in the OS sandbox when available (default), or not
  -c, --continue    continue the latest session of this folder (its earlier tasks as context)
  --resume ID       continue a chosen session (an id or a unique prefix; parecode sessions list)
  -V, --version     print the version
  -h, --help        print this help

Every result names its reason: done, max_turns, loop, budget, timeout, auth,
provider_error, output_schema, empty_reply, tool_error, denied, interrupted.
Exit codes: 0 done, 1 task failed, 2 usage or config error, 3 an action was denied,
4 done but a check (hook, test or build) failed after the last edit, 124 --timeout ran out,
130 interrupted (Ctrl+C), 143 terminated (SIGTERM), 129 hung up (SIGHUP).
Config: $XDG_CONFIG_HOME/parecode/config.toml (default ~/.config/parecode/config.toml),
with the project's .parecode/config.toml laid over it.
Sessions and checkpoints outside git: $XDG_DATA_HOME/parecode (default ~/.local/share/parecode).
`;

/** One command's usage (every block of the overview that starts with it), for `parecode help COMMAND`. */
export function helpFor(topic: string | undefined): string {
  if (topic === undefined) return HELP_TEXT;
  const lines = HELP_TEXT.split("\n");
  const own: string[] = [];
  let inBlock = false;
  for (const line of lines) {
    if (line.startsWith("  parecode "))
      inBlock = line === `  parecode ${topic}` || line.startsWith(`  parecode ${topic} `);
    else if (!line.startsWith("                                ")) inBlock = false;
    if (inBlock) own.push(line);
  }
  return own.length === 0 ? HELP_TEXT : `Usage\n${own.join("\n")}\n`;
}
