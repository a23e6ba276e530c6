/**
 * The always-denied list: what no mode lets a command do, trust included, unless the
 * user's own rule names the exact command. Judges a parsed line command by command:
 * writes outside the project and the temp dir (redirections and the path arguments of
 * known writers), recursive deletes of /, home, the project or its parents, destructive
 * git, disks, power, fork bombs, downloads run as code, credential files. A target it
 * cannot resolve statically is not proof of harm: that finding is an "ask".
 *
 * Everything about the machine comes in through GuardContext; the guard never reads
 * process.env or the real home directory itself.
 */
import path from "node:path";
import { finding, type GuardFinding, overrideWords, shown } from "./guard-findings.js";
import {
  directoryOf,
  globReaches,
  isDevice,
  isHarmlessDevice,
  isInside,
  type PathContext,
  type ResolvedPath,
  realTarget,
  resolveWord,
  staticText,
} from "./guard-paths.js";
import { lineRules, wordRules } from "./guard-rules.js";
import { programName } from "./shell-options.js";
import type { ParsedShell, ShellCommand, ShellWord } from "./shell-types.js";
import { valueWord } from "./shell-words.js";
import { writeTargets } from "./write-targets.js";

export type { GuardFinding, GuardRuleId } from "./guard-findings.js";
export { overrideWords } from "./guard-findings.js";

/** Credential files and folders under the home directory that no command may name. */
export const CREDENTIAL_PATHS: readonly string[] = [
  ".ssh",
  ".aws",
  ".gnupg",
  ".netrc",
  ".git-credentials",
  ".docker/config.json",
  ".kube",
  ".npmrc",
  ".pypirc",
  ".config/gh",
  ".config/gcloud",
  ".azure",
];

export interface GuardContext {
  /** The project root. */
  root: string;
  /** The directory commands start in. */
  cwd: string;
  home: string;
  tmpDir: string;
  /** More paths no command may read or name (parecode's own config and data dirs, XDG-resolved by the caller). */
  protectedPaths: readonly string[];
  /** Whether the working tree has uncommitted changes; asked only when a command would discard them. */
  isTreeDirty(): Promise<boolean>;
}

export interface CommandGuard {
  /** Findings per command id; a command with none is not the guard's business. */
  check(parsed: ParsedShell): Promise<Map<number, GuardFinding[]>>;
}

interface Protected {
  /** Literal and real forms. */
  paths: string[];
  /** As shown in messages (`~/.ssh`). */
  shown: string;
  /** As it may appear inside a word: the absolute path, `~/.ssh`, `$HOME/.ssh`, `${HOME}/.ssh`. */
  spellings: string[];
}

interface Prepared {
  paths: PathContext;
  /** Deleting any of these recursively is never right: /, home, the root and its parents, the temp dir. */
  noRecursiveDelete: Set<string>;
  credentials: Protected[];
}

export function createCommandGuard(context: GuardContext): CommandGuard {
  let prepared: Promise<Prepared> | undefined;
  return {
    async check(parsed) {
      prepared ??= prepare(context);
      const env = await prepared;
      let dirty: Promise<boolean> | undefined;
      const isTreeDirty = () => {
        dirty ??= context.isTreeDirty();
        return dirty;
      };
      const line = await lineFacts(parsed, env);
      const findings = new Map<number, GuardFinding[]>();
      const add = (id: number, found: GuardFinding[]) => {
        if (found.length > 0) findings.set(id, [...(findings.get(id) ?? []), ...found]);
      };
      for (const command of parsed.commands) {
        const dir = directoryOf(command.cwd, env.paths);
        add(command.id, await pathRules(command, dir, env, line));
        add(command.id, await wordRules(command, { dir, isTreeDirty }));
      }
      for (const [id, found] of lineRules(parsed)) add(id, [found]);
      return findings;
    },
  };
}

async function lineFacts(parsed: ParsedShell, env: Prepared): Promise<LineFacts> {
  const linksMade: LineFacts["linksMade"] = [];
  for (const command of parsed.commands) {
    if (command.words.length === 0 || programName(command.words[0]) !== "ln") continue;
    const dir = directoryOf(command.cwd, env.paths);
    for (const target of writeTargets(command)) {
      for (const resolved of await resolveWord(target.word, dir, env.paths, false)) {
        if (resolved.kind === "path") linksMade.push({ by: command.id, path: resolved.path });
      }
    }
  }
  return { linksMade };
}

async function prepare(context: GuardContext): Promise<Prepared> {
  const root = await realTarget(context.root);
  const home = path.resolve(context.home);
  const paths: PathContext = {
    root,
    tmpDir: await realTarget(context.tmpDir),
    home,
    cwd: path.resolve(context.root, context.cwd),
  };
  const noRecursiveDelete = new Set(["/", home, await realTarget(home), paths.tmpDir, path.resolve(context.tmpDir)]);
  for (let dir = root; ; dir = path.dirname(dir)) {
    noRecursiveDelete.add(dir);
    if (dir === path.dirname(dir)) break;
  }
  noRecursiveDelete.add(path.resolve(context.root));
  const credentialPaths = [...CREDENTIAL_PATHS.map((rel) => path.join(home, rel)), ...context.protectedPaths];
  const credentials = await Promise.all(
    credentialPaths.map(async (literal): Promise<Protected> => {
      const absolute = path.resolve(literal);
      const rel = path.relative(home, absolute);
      const underHome = rel !== "" && !rel.startsWith("..") && !path.isAbsolute(rel);
      const spellings = [absolute];
      if (underHome) spellings.push(`~/${rel}`, `$HOME/${rel}`, `\${HOME}/${rel}`);
      return {
        paths: [...new Set([absolute, await realTarget(absolute)])],
        shown: underHome ? `~/${rel}` : absolute,
        spellings,
      };
    }),
  );
  return { paths, noRecursiveDelete, credentials };
}

/** Per line: links the line itself creates, which a later write in the same line may go through. */
interface LineFacts {
  linksMade: { by: number; path: string }[];
}

async function pathRules(
  command: ShellCommand,
  dir: string | undefined,
  env: Prepared,
  facts: LineFacts,
): Promise<GuardFinding[]> {
  // A command's own links are what it makes, not what it writes through.
  const line = { linksMade: facts.linksMade.filter((link) => link.by !== command.id) };
  const out: GuardFinding[] = [];
  const { redirectTarget } = overrideWords(command);
  const text = shown(command.text);
  for (const [index, redirect] of command.redirects.entries()) {
    if (redirect.direction !== "out" || !redirect.target) continue;
    const resolved = await resolveWord(redirect.target, directoryOf(redirect.cwd, env.paths), env.paths, true);
    const found = judgeWrites(
      resolved,
      redirect.target,
      `${text}: the redirection writes`,
      redirectTarget[index],
      env,
      line,
    );
    if (found) out.push(found);
  }
  for (const target of writeTargets(command)) {
    const resolved = await resolveWord(target.word, dir, env.paths, target.followLast);
    const verb = `${text}: ${target.verb}`;
    const deleted = target.recursiveDelete
      ? judgeRecursiveDelete(resolved, target.word, verb, target.index, env)
      : undefined;
    const found = deleted ?? judgeWrites(resolved, target.word, verb, target.index, env, line);
    if (found) out.push(found);
  }
  out.push(...(await credentialRules(command, dir, env)));
  return out;
}

/** The worst finding over every path a target word resolves to: a deny before an ask. */
function judgeWrites(
  resolved: ResolvedPath[],
  word: ShellWord,
  verb: string,
  trigger: number,
  env: Prepared,
  line: LineFacts,
): GuardFinding | undefined {
  const found = resolved.map((r) => judgeWrite(r, word, verb, trigger, env, line)).filter((f) => f !== undefined);
  return found.find((f) => f.action === "deny") ?? found[0];
}

function judgeWrite(
  resolved: ResolvedPath,
  word: ShellWord,
  verb: string,
  trigger: number,
  env: Prepared,
  line: LineFacts,
): GuardFinding | undefined {
  const target = shown(word.text);
  const { root, tmpDir } = env.paths;
  if (resolved.kind === "unknown") {
    const what = `${verb} ${target}, a path known only at run time`;
    return finding("write-outside-root", "writes to a path known only at run time", what, trigger, "ask");
  }
  if (resolved.kind === "glob") {
    const inside = isInside(resolved.dir, root) || isInside(resolved.dir, tmpDir);
    if (inside && !resolved.pattern.split("/").includes("..")) return undefined;
    const what = `${verb} ${target}, which may match paths outside the project`;
    return finding(
      "write-outside-root",
      "writes to paths a pattern may match outside the project",
      what,
      trigger,
      "ask",
    );
  }
  if (isHarmlessDevice(resolved.literal)) return undefined;
  if (isDevice(resolved.literal) || isDevice(resolved.path)) {
    return finding("raw-device-write", "writes to a raw device", `${verb} the device ${target}`, trigger);
  }
  if (!isInside(resolved.path, root) && !isInside(resolved.path, tmpDir)) {
    const what = `${verb} ${target}, outside the project and the temp dir`;
    return finding("write-outside-root", "writes outside the project and the temp dir", what, trigger);
  }
  if (line.linksMade.some((link) => isInside(resolved.path, link.path))) {
    const what = `${verb} ${target} through a link this same command line creates, which may point anywhere`;
    return finding("write-outside-root", "writes through a link the line creates", what, trigger, "ask");
  }
  return undefined;
}

function judgeRecursiveDelete(
  resolved: ResolvedPath[],
  word: ShellWord,
  verb: string,
  trigger: number,
  env: Prepared,
): GuardFinding | undefined {
  const rule = "recursive delete of /, home, the project or a parent of it";
  const what = `${verb} ${shown(word.text)} and everything below it`;
  const hit = resolved.some((r) => {
    if (r.kind === "path") return env.noRecursiveDelete.has(r.path) || env.noRecursiveDelete.has(r.literal);
    if (r.kind !== "glob") return false;
    // `rm -rf /*`, `rm -rf ~/*`, `rm -rf *` in the root: everything in a protected directory.
    const first = r.pattern.split("/")[0];
    return env.noRecursiveDelete.has(r.dir) && /^[.*?{},[\]!]+$/.test(first) && first.includes("*");
  });
  return hit ? finding("recursive-delete", rule, what, trigger) : undefined;
}

/** Any word naming a credential file: as a path (after `cd`, `~`, symlinks, globs) or spelled inside a longer word. */
async function credentialRules(command: ShellCommand, dir: string | undefined, env: Prepared): Promise<GuardFinding[]> {
  const { redirectTarget } = overrideWords(command);
  const candidates: { word: ShellWord; index: number; dir: string | undefined }[] = command.argv.map((word, index) => ({
    word,
    index,
    dir,
  }));
  for (const assignment of command.assignments) candidates.push({ word: assignment.value, index: 0, dir });
  for (const wrapper of command.wrappers) {
    for (const word of wrapper.words.slice(1)) candidates.push({ word: valueWord(word, false), index: 0, dir });
  }
  command.redirects.forEach((redirect, index) => {
    if (redirect.target && redirect.direction !== "dup") {
      candidates.push({
        word: redirect.target,
        index: redirectTarget[index],
        dir: directoryOf(redirect.cwd, env.paths),
      });
    }
  });
  for (const candidate of candidates) {
    const hit = await namesCredential(candidate.word, candidate.dir, env);
    if (!hit) continue;
    const what = `${shown(command.text)} names ${hit.shown}, which holds credentials a command could send anywhere`;
    return [finding("credential-read", `reads credential files (${hit.shown})`, what, candidate.index)];
  }
  return [];
}

async function namesCredential(
  word: ShellWord,
  dir: string | undefined,
  env: Prepared,
): Promise<Protected | undefined> {
  const spelled = env.credentials.find((c) =>
    c.spellings.some((s) => containsPath(word.value, s) || containsPath(word.text, s)),
  );
  if (spelled) return spelled;
  const text = staticText(word, env.paths.home);
  if (text === undefined || text === "" || text.startsWith("-") || /^[a-z]+:\/\//i.test(text)) return undefined;
  // Paths hide after `=` (`--key=~/.ssh/x`, `of=…`) and `@` (`curl -d @file`).
  const pieces = [text];
  const eq = text.indexOf("=");
  if (eq > 0) pieces.push(text.slice(eq + 1));
  if (text.startsWith("@")) pieces.push(text.slice(1));
  for (const piece of pieces) {
    const expanded = piece === "~" || piece.startsWith("~/") ? env.paths.home + piece.slice(1) : piece;
    for (const resolved of await resolveWord(valueWord(expanded, false, word.glob), dir, env.paths, true)) {
      const hit = env.credentials.find((c) =>
        c.paths.some((p) =>
          resolved.kind === "path"
            ? isInside(resolved.path, p)
            : resolved.kind === "glob" && globReaches(resolved.dir, resolved.pattern, p),
        ),
      );
      if (hit) return hit;
    }
  }
  return undefined;
}

/** `text` contains `spelling` as a whole path (followed by its end, `/`, or a character no path name has). */
function containsPath(text: string, spelling: string): boolean {
  let at = text.indexOf(spelling);
  while (at !== -1) {
    const next = text[at + spelling.length];
    if (next === undefined || !/[A-Za-z0-9._-]/.test(next)) return true;
    at = text.indexOf(spelling, at + 1);
  }
  return false;
}
