// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are shell lines, where ${…} is shell syntax
import { describe, expect, it } from "vitest";
import {
  MAX_COMMANDS,
  MAX_NESTING,
  MAX_SYNTAX_DEPTH,
  type ParsedShell,
  parseShell,
  type ShellCommand,
} from "./shell-parse.js";

/** The words of every command found, in the order the shell would start them. */
const words = (parsed: ParsedShell) => parsed.commands.map((c) => c.words);
const find = (parsed: ParsedShell, first: string) => {
  const found = parsed.commands.find((c) => c.words[0] === first);
  if (!found) throw new Error(`no command ${first} in ${JSON.stringify(words(parsed))}`);
  return found;
};
const vias = (command: ShellCommand) => command.via.map((v) => v.kind);
const cwd = (command: ShellCommand) => command.cwd?.map((w) => w.value) ?? null;
const redirects = (command: ShellCommand) =>
  command.redirects.map((r) => `${r.fd ?? ""}${r.operator}${r.target?.value ?? ""}:${r.direction}`);

interface Case {
  line: string;
  parts: string[][];
  check?: (parsed: ParsedShell) => void;
}

const CASES: Record<string, Case> = {
  // quoting and escapes
  "single, double and ANSI-C quotes are removed": {
    line: `echo 'a b' "c d" $'e\\tf\\x41' "g'h" 'i"j'`,
    parts: [["echo", "a b", "c d", "e\tfA", "g'h", 'i"j']],
  },
  "backslash escapes resolve, also inside the command name": {
    line: String.raw`r\m -rf x\ y "a\"b" "\$HOME" \$PATH`,
    parts: [["rm", "-rf", "x y", 'a"b', "$HOME", "$PATH"]],
    check: (p) => expect(p.commands[0].argv.every((w) => !w.dynamic)).toBe(true),
  },
  "a quoted command name is the command": { line: `"rm" -f 'x'`, parts: [["rm", "-f", "x"]] },
  "adjacent pieces form one word": {
    line: `echo a"b"'c'$'d'`,
    parts: [["echo", "abcd"]],
  },
  "an expansion keeps its text and is flagged dynamic": {
    line: `echo $X "$Y" \${Z:-z} "pre$W"`,
    parts: [["echo", "$X", '"$Y"', "${Z:-z}", '"pre$W"']],
    check: (p) => expect(p.commands[0].argv.slice(1).map((w) => w.dynamic)).toEqual([true, true, true, true]),
  },
  "globs and brace expansion are flagged": {
    line: `ls *.ts src/{a,b}.js '*.md'`,
    parts: [["ls", "*.ts", "src/{a,b}.js", "*.md"]],
    check: (p) => expect(p.commands[0].argv.map((w) => w.glob)).toEqual([false, true, true, false]),
  },
  "a leading tilde is kept and recognised, a quoted one is not": {
    line: `ls ~/src ~ "~/x"`,
    parts: [["ls", "~/src", "~", "~/x"]],
    check: (p) => {
      const kinds = p.commands[0].argv.map((w) => w.segments[0].kind);
      expect(kinds).toEqual(["text", "tilde", "tilde", "text"]);
    },
  },
  "a comment is not a command": { line: "ls -la # rm -rf /", parts: [["ls", "-la"]] },
  "a line continuation joins the words": { line: "ls \\\n  -la \\\n  src", parts: [["ls", "-la", "src"]] },

  // lists, pipelines, grouping
  "lists with && || ; & and newlines": {
    line: "a && b || c; d & e\nf",
    parts: [["a"], ["b"], ["c"], ["d"], ["e"], ["f"]],
    check: (p) => {
      expect(find(p, "d").background).toBe(true);
      expect(find(p, "e").background).toBe(false);
    },
  },
  "pipeline stages are numbered": {
    line: "cat f | grep x |& sort | uniq -c",
    parts: [["cat", "f"], ["grep", "x"], ["sort"], ["uniq", "-c"]],
    check: (p) => expect(p.commands.map((c) => c.pipeline?.stage)).toEqual([0, 1, 2, 3]),
  },
  "subshells and groups": {
    line: "(cd sub && make) ; { echo a; echo b; } > log",
    parts: [["cd", "sub"], ["make"], ["echo", "a"], ["echo", "b"]],
    check: (p) => {
      expect(vias(find(p, "make"))).toEqual(["subshell"]);
      expect(redirects(p.commands[3])).toEqual([">log:out"]);
      expect(p.commands[3].redirects[0].inherited).toBe(true);
    },
  },
  negation: {
    line: "! grep -q x f && echo missing",
    parts: [
      ["grep", "-q", "x", "f"],
      ["echo", "missing"],
    ],
  },

  // substitutions
  "nested command substitutions, backticks inside $()": {
    line: "echo $(echo `pwd`; echo $(rm -rf x))",
    parts: [
      ["pwd"],
      ["echo", "`pwd`"],
      ["rm", "-rf", "x"],
      ["echo", "$(rm -rf x)"],
      ["echo", "$(echo `pwd`; echo $(rm -rf x))"],
    ],
    check: (p) => expect(vias(find(p, "rm"))).toEqual(["substitution", "substitution"]),
  },
  "substitution inside double quotes": {
    line: `echo "today: $(date +%F) and \`whoami\`"`,
    parts: [["date", "+%F"], ["whoami"], ["echo", '"today: $(date +%F) and `whoami`"']],
  },
  "an assignment with a substitution runs it": {
    line: 'X=$(rm -rf /) FOO="a $(id) b"',
    parts: [["rm", "-rf", "/"], ["id"]],
  },
  "a prefix assignment belongs to its command": {
    line: "LANG=C X=$(hostname) sort f",
    parts: [["hostname"], ["sort", "f"]],
    check: (p) => {
      const sort = find(p, "sort");
      expect(sort.assignments.map((a) => a.name)).toEqual(["LANG", "X"]);
      expect(find(p, "hostname").parent).toEqual({ id: sort.id, word: "assignment" });
    },
  },
  "process substitution both ways": {
    line: "diff <(ls a) >(tee b)",
    parts: [
      ["ls", "a"],
      ["tee", "b"],
      ["diff", "<(ls a)", ">(tee b)"],
    ],
    check: (p) => {
      expect(find(p, "ls").via).toEqual([{ kind: "process-substitution", direction: "<", parent: find(p, "diff").id }]);
      expect(find(p, "tee").parent).toEqual({ id: find(p, "diff").id, word: 2 });
    },
  },
  "arithmetic with a substitution inside": {
    line: "echo $((1 + $(rm x))); ((n++))",
    parts: [["rm", "x"], ["echo", "$((1 + $(rm x)))"], ["(("]],
  },
  "a default value that runs a command": {
    line: "echo ${X:-$(rm y)}",
    parts: [
      ["rm", "y"],
      ["echo", "${X:-$(rm y)}"],
    ],
  },
  "an array assignment with a substitution": {
    line: "a=(1 $(rm x)); echo ${a[@]}",
    parts: [
      ["rm", "x"],
      ["echo", "${a[@]}"],
    ],
  },

  // redirections and heredocs
  "redirections: operator, descriptor, target": {
    line: "cmd > out 2>&1 2>/dev/null &> all >> app >| clob < in 3>&-",
    parts: [["cmd"]],
    check: (p) =>
      expect(redirects(p.commands[0])).toEqual([
        ">out:out",
        "2>&1:dup",
        "2>/dev/null:out",
        "&>all:out",
        ">>app:out",
        ">|clob:out",
        "<in:in",
        "3>&-:dup",
      ]),
  },
  "a quoted heredoc body is data: nothing in it runs": {
    line: "cat <<'EOF'\n$(rm x)\n`reboot`\nEOF",
    parts: [["cat"]],
    check: (p) => expect(p.commands[0].redirects[0].body?.value).toBe("$(rm x)\n`reboot`\n"),
  },
  "an unquoted heredoc runs its substitutions": {
    line: "cat <<EOF\nhello $(whoami)\nEOF",
    parts: [["whoami"], ["cat"]],
  },
  "<<- strips leading tabs and the heredoc can still write a file": {
    line: 'cat <<-"END" > notes.txt\n\tline one\n\tline two\n\tEND',
    parts: [["cat"]],
    check: (p) => {
      expect(redirects(p.commands[0])).toEqual(["<<-:data", ">notes.txt:out"]);
      expect(p.commands[0].redirects[0].body?.value).toBe("line one\nline two\n");
    },
  },
  "a heredoc followed by a pipeline and a list": {
    line: "cat <<EOF | wc -l && echo done\nx\nEOF",
    parts: [["cat"], ["wc", "-l"], ["echo", "done"]],
    check: (p) => expect(find(p, "wc").pipeline?.stage).toBe(1),
  },
  "a herestring is data": {
    line: 'grep x <<< "$(cat y)"',
    parts: [
      ["cat", "y"],
      ["grep", "x"],
    ],
    check: (p) => expect(redirects(find(p, "grep"))).toEqual(['<<<"$(cat y)":data']),
  },
  "a bare redirection is a command with no words": {
    line: "> empty.txt",
    parts: [[]],
    check: (p) => expect(redirects(p.commands[0])).toEqual([">empty.txt:out"]),
  },

  // compound commands
  "if / elif / else: conditions and bodies": {
    line: "if [ -f a ]; then rm b; elif test -d c; then rm -r c; else touch d; fi",
    parts: [
      ["[", "-f", "a"],
      ["rm", "b"],
      ["test", "-d", "c"],
      ["rm", "-r", "c"],
      ["touch", "d"],
    ],
  },
  "while, until and for loops": {
    line: "while read l; do echo $l; done < f; until false; do break; done; for x in $(ls); do rm $x; done",
    parts: [["read", "l"], ["echo", "$l"], ["false"], ["break"], ["ls"], ["rm", "$x"]],
    check: (p) => expect(redirects(find(p, "echo"))).toEqual(["<f:in"]),
  },
  "a C-style for loop": { line: "for ((i=0; i<3; i++)); do touch f$i; done", parts: [["touch", "f$i"]] },
  "case: subject, patterns and bodies": {
    line: "case $(uname) in Linux|Darwin) rm -f x;; *) echo other;; esac",
    parts: [["uname"], ["rm", "-f", "x"], ["echo", "other"]],
  },
  "[[ ]] with a substitution, and [ ] where > is a redirection": {
    line: '[[ -n $(git status --short) ]] && [ "$a" > /etc/x ]',
    parts: [
      ["git", "status", "--short"],
      ["[[", "-n", "$(git status --short)"],
      ["[", '"$a"'],
    ],
    check: (p) => expect(redirects(p.commands[2])).toEqual([">/etc/x:out"]),
  },
  "a function body counts, and so does the call": {
    line: 'cleanup() { rm -rf "$1"; }; cleanup build',
    parts: [
      ["rm", "-rf", '"$1"'],
      ["cleanup", "build"],
    ],
    check: (p) => {
      expect(p.functions.map((f) => f.name)).toEqual(["cleanup"]);
      expect(vias(p.commands[0])).toEqual(["function", "group"]);
    },
  },
  "declarations and unset": {
    line: "export A=1 B=$(id); local c; unset A",
    parts: [["id"], ["export", "A=1", "B=$(id)"], ["local", "c"], ["unset", "A"]],
  },

  // wrappers
  "sudo, env, timeout, nice and xargs stacked": {
    line: "sudo -u root env -i FOO=1 timeout -s KILL 5 nice -n 10 xargs -0 -n1 rm -f",
    parts: [["rm", "-f"]],
    check: (p) => {
      const rm = p.commands[0];
      expect(rm.wrappers.map((w) => w.words.join(" "))).toEqual([
        "sudo -u root",
        "env -i FOO=1",
        "timeout -s KILL 5",
        "nice -n 10",
        "xargs -0 -n1",
      ]);
      expect(rm.assignments.map((a) => `${a.name}=${a.value.value}`)).toEqual(["FOO=1"]);
      expect(rm.extraArgs).toBe(true);
    },
  },
  "nohup, time, stdbuf, ionice, setsid, doas, flock, exec, command, builtin": {
    line: "time -p nohup stdbuf -oL ionice -c3 setsid doas -u bob flock -n /tmp/l ls; exec cat f; command rm x; builtin cd /",
    parts: [["ls"], ["cat", "f"], ["rm", "x"], ["cd", "/"]],
    check: (p) => {
      expect(p.commands[0].wrappers.map((w) => w.name)).toEqual([
        "time",
        "nohup",
        "stdbuf",
        "ionice",
        "setsid",
        "doas",
        "flock",
      ]);
      expect(vias(find(p, "rm"))).toEqual(["wrapper"]);
    },
  },
  "command -v is a lookup, not a wrapper; a wrapper with nothing to run stays itself": {
    line: "command -v git; env; sudo -l",
    parts: [["command", "-v", "git"], ["env"], ["sudo", "-l"]],
  },
  "env -S splits, env -C changes the directory, env -u takes a name": {
    line: 'env -S "rm -rf x" y; env -C /tmp -u HOME rm a',
    parts: [
      ["rm", "-rf", "x", "y"],
      ["rm", "a"],
    ],
    check: (p) => expect(cwd(p.commands[1])).toEqual(["/tmp"]),
  },
  "xargs -I substitutes into the command": {
    line: "find . -name '*.bak' | xargs -I{} mv {} old/",
    parts: [
      ["find", ".", "-name", "*.bak"],
      ["mv", "{}", "old/"],
    ],
    check: (p) => expect(find(p, "mv").argv[1].dynamic).toBe(true),
  },
  "watch and flock -c run a shell string": {
    line: "watch -n 1 'ls | wc -l'; flock /tmp/lock -c 'rm z'",
    parts: [["ls"], ["wc", "-l"], ["rm", "z"]],
    check: (p) => expect(vias(find(p, "rm"))).toEqual(["wrapper", "shell-c"]),
  },
  "find -exec and -execdir run commands": {
    line: "find . -name '*.o' -exec rm {} \\; -o -execdir chmod 644 {} +",
    parts: [
      ["find", ".", "-name", "*.o", "-exec", "rm", "{}", ";", "-o", "-execdir", "chmod", "644", "{}", "+"],
      ["rm", "{}"],
      ["chmod", "644", "{}"],
    ],
    check: (p) => {
      expect(find(p, "rm").parent?.id).toBe(find(p, "find").id);
      expect(find(p, "chmod").extraArgs).toBe(true);
      expect(find(p, "chmod").cwd).toBeNull();
    },
  },

  // shells inside shells
  "bash -c with nested quoting is parsed again": {
    line: `bash -c "rm -rf \\"/tmp/x y\\" && echo 'hi' \\$(whoami)"`,
    parts: [["rm", "-rf", "/tmp/x y"], ["whoami"], ["echo", "hi", "$(whoami)"]],
    check: (p) => expect(p.commands[0].via).toEqual([{ kind: "shell-c", shell: "bash -c" }]),
  },
  "sh -lc, bash -ec and sudo bash -c": {
    line: `sh -lc 'bash -ec "git push -f"'; sudo bash -xc 'reboot'`,
    parts: [["git", "push", "-f"], ["reboot"]],
    check: (p) => expect(vias(find(p, "reboot"))).toEqual(["wrapper", "shell-c"]),
  },
  "a prefix assignment is the inner shell's environment": {
    line: "HOME=/ bash -c 'rm -rf ~'",
    parts: [["rm", "-rf", "/"]],
  },
  "eval of a static string is parsed; its cd carries on": {
    line: `eval "cd /tmp && git reset --hard"; rm x`,
    parts: [
      ["cd", "/tmp"],
      ["git", "reset", "--hard"],
      ["rm", "x"],
    ],
    check: (p) => expect(cwd(find(p, "rm"))).toEqual(["/tmp"]),
  },
  "a shell reading a script from echo, a heredoc or a herestring": {
    line: `echo "rm -rf ~" | bash; sh <<'EOF'\nmake clean\nEOF\nbash <<< "git stash drop"`,
    parts: [
      ["echo", "rm -rf ~"],
      ["rm", "-rf", "~"],
      ["make", "clean"],
      ["git", "stash", "drop"],
    ],
    check: (p) => expect(find(p, "make").redirects).toEqual([]),
  },

  // directory and variable tracking
  "cd applies to later commands in the same shell only": {
    line: "cd src && rm a; (cd /; rm b); rm c; cd ../lib; rm d",
    parts: [
      ["cd", "src"],
      ["rm", "a"],
      ["cd", "/"],
      ["rm", "b"],
      ["rm", "c"],
      ["cd", "../lib"],
      ["rm", "d"],
    ],
    check: (p) =>
      expect(p.commands.filter((c) => c.words[0] === "rm").map(cwd)).toEqual([
        ["src"],
        ["/"],
        ["src"],
        ["src", "../lib"],
      ]),
  },
  "a dynamic cd, cd - and a loop that moves make the directory unknown": {
    line: 'cd "$X"; rm a; cd /tmp; rm b; cd -; rm c; cd /; while true; do cd ..; rm -rf d; done',
    parts: [
      ["cd", '"$X"'],
      ["rm", "a"],
      ["cd", "/tmp"],
      ["rm", "b"],
      ["cd", "-"],
      ["rm", "c"],
      ["cd", "/"],
      ["true"],
      ["cd", ".."],
      ["rm", "-rf", "d"],
    ],
    check: (p) => expect(p.commands.filter((c) => c.words[0] === "rm").map(cwd)).toEqual([null, ["/tmp"], null, null]),
  },
  "a bare cd goes home; a redirection resolves where its statement starts": {
    line: "cd; { cd /; ls; } > out",
    parts: [["cd"], ["cd", "/"], ["ls"]],
    check: (p) => {
      expect(cwd(find(p, "ls"))).toEqual(["/"]);
      expect(find(p, "ls").redirects[0].cwd?.map((w) => w.value)).toEqual(["~"]);
    },
  },
  "variables the line sets statically are substituted": {
    line: "D=/; R=rm; $R -rf $D; D=$(pwd); rm -rf $D",
    parts: [["rm", "-rf", "/"], ["pwd"], ["rm", "-rf", "$D"]],
    check: (p) => expect(p.unparseable).toBeUndefined(),
  },
  "trap and su -c run their command strings": {
    line: "trap 'rm -f /tmp/lock' EXIT; su -c 'apt-get update' root",
    parts: [
      ["rm", "-f", "/tmp/lock"],
      ["apt-get", "update"],
    ],
    check: (p) => expect(p.commands.map(vias)).toEqual([["trap"], ["shell-c"]]),
  },
  "a value holding ~ is not taken as static (the parser does not know home)": {
    line: "D=~/bin; cp tool $D",
    parts: [["cp", "tool", "$D"]],
    check: (p) => expect(p.commands[0].argv[2].dynamic).toBe(true),
  },
  "a value with spaces is not substituted unquoted (it would split)": {
    line: 'F="a b"; rm $F "$F"',
    parts: [["rm", "$F", "a b"]],
  },
};

describe("parseShell", () => {
  for (const [name, c] of Object.entries(CASES)) {
    it(name, async () => {
      const parsed = await parseShell(c.line);
      expect(words(parsed)).toEqual(c.parts);
      c.check?.(parsed);
    });
  }

  it("has at least 40 tricky lines", () => {
    expect(Object.keys(CASES).length).toBeGreaterThanOrEqual(40);
  });
});

describe("parseShell: what it cannot judge", () => {
  const UNPARSEABLE: Record<string, { line: string; reason: RegExp }> = {
    "an unterminated quote": { line: 'echo "unterminated', reason: /cannot parse/ },
    "a pipe to nothing": { line: "ls |", reason: /incomplete/ },
    "an if without fi": { line: "if true; then", reason: /incomplete.*fi/ },
    "a stray parenthesis": { line: "ls )", reason: /cannot parse/ },
    "a command name from a variable": { line: "$CMD args", reason: /command name is known only at run time: `\$CMD`/ },
    "a command name from a substitution": { line: "$(echo rm) -rf x", reason: /only at run time: `\$\(echo rm\)`/ },
    "bash -c with a string known at run time": {
      line: 'bash -c "$SCRIPT"',
      reason: /bash -c runs a command string known only at run time/,
    },
    "eval of a variable": { line: 'eval "$X"', reason: /eval runs text known only at run time/ },
    "a shell reading a piped script": {
      line: "cat install.sh | sh",
      reason: /sh runs a script piped from another command/,
    },
    "aliases switched on": { line: "shopt -s expand_aliases; ls", reason: /aliases are expanded/ },
    "a trap with a command known at run time": {
      line: 'trap "$CLEANUP" EXIT',
      reason: /trap runs a command string known only at run time/,
    },
  };
  for (const [name, c] of Object.entries(UNPARSEABLE)) {
    it(name, async () => {
      expect((await parseShell(c.line)).unparseable).toMatch(c.reason);
    });
  }

  it("nesting past the limit is refused; at the limit it is parsed", async () => {
    const nest = (depth: number) => {
      let line = "rm -rf x";
      for (let i = 0; i < depth; i++) line = `bash -c '${line.replaceAll("'", `'\\''`)}'`;
      return line;
    };
    const atLimit = await parseShell(nest(MAX_NESTING));
    expect(atLimit.unparseable).toBeUndefined();
    expect(words(atLimit)).toEqual([["rm", "-rf", "x"]]);
    expect((await parseShell(nest(MAX_NESTING + 1))).unparseable).toMatch(/nested more than/);
  });

  it("syntax nested past the limit and lines with too many commands are refused, not a crash", async () => {
    const deep = `echo ${"$(echo ".repeat(MAX_SYNTAX_DEPTH + 50)}x${")".repeat(MAX_SYNTAX_DEPTH + 50)}`;
    expect((await parseShell(deep)).unparseable).toMatch(/nested more than/);
    const many = Array.from({ length: MAX_COMMANDS + 5 }, (_, i) => `echo ${i}`).join("; ");
    expect((await parseShell(many)).unparseable).toBe(`more than ${MAX_COMMANDS} commands in one line`);
  });

  it("what it found in an unparseable line is still reported", async () => {
    const parsed = await parseShell("rm -rf / && $X");
    expect(words(parsed)).toEqual([["rm", "-rf", "/"], ["$X"]]);
    expect(parsed.unparseable).toBeDefined();
  });
});
