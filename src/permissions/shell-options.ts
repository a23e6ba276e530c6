/**
 * Getopt-style option scanning shared by the wrapper unwrapper, the read-only list and
 * the guard: which words of a command are options, which options take a value, and
 * where the operands start. Only what the callers need, kept conservative: an option we
 * do not know is treated as a flag without a value.
 */

export interface OptionSpec {
  /** Short options that take a value (`-u root`, `-uroot`). */
  shortWithValue?: string;
  /** Long options (without `--`) that take a value as the next word when not written `--x=v`. */
  longWithValue?: readonly string[];
  /** Options stop at the first operand (POSIX); otherwise options may follow operands (GNU). */
  stopAtOperand?: boolean;
  /** A lone `-` is an operand (stdin), not an option. Default true. */
  dashIsOperand?: boolean;
}

export interface ScannedOption {
  /** As written: `-u`, `--user`, or one letter of a cluster like `-rf` (then `-r`, `-f`). */
  name: string;
  value?: string;
  /** Index of the word the option (or its value) came from. */
  index: number;
  valueIndex?: number;
}

export interface ScannedArgs {
  options: ScannedOption[];
  /** Operand indexes into the scanned words. */
  operands: number[];
  /** Index of the first operand when options stop there, else words.length. */
  firstOperand: number;
}

/** Scans `words` from `start` (usually 1, after the command name). */
export function scanOptions(words: readonly string[], spec: OptionSpec, start = 1): ScannedArgs {
  const options: ScannedOption[] = [];
  const operands: number[] = [];
  const shortWithValue = spec.shortWithValue ?? "";
  const longWithValue = new Set(spec.longWithValue ?? []);
  let firstOperand = words.length;
  for (let i = start; i < words.length; i++) {
    const word = words[i];
    if (word === "--") {
      for (let j = i + 1; j < words.length; j++) operands.push(j);
      if (firstOperand === words.length) firstOperand = i + 1;
      break;
    }
    const isOption = word.startsWith("-") && word.length > 1;
    if (!isOption) {
      operands.push(i);
      if (firstOperand === words.length) firstOperand = i;
      if (spec.stopAtOperand) {
        for (let j = i + 1; j < words.length; j++) operands.push(j);
        break;
      }
      continue;
    }
    if (word.startsWith("--")) {
      const eq = word.indexOf("=");
      const name = eq === -1 ? word : word.slice(0, eq);
      if (eq !== -1) options.push({ name, value: word.slice(eq + 1), index: i });
      else if (longWithValue.has(name.slice(2)) && i + 1 < words.length) {
        options.push({ name, value: words[i + 1], index: i, valueIndex: i + 1 });
        i++;
      } else options.push({ name, index: i });
      continue;
    }
    for (let k = 1; k < word.length; k++) {
      const letter = word[k];
      if (!shortWithValue.includes(letter)) {
        options.push({ name: `-${letter}`, index: i });
        continue;
      }
      const rest = word.slice(k + 1);
      if (rest) options.push({ name: `-${letter}`, value: rest, index: i });
      else if (i + 1 < words.length) {
        options.push({ name: `-${letter}`, value: words[i + 1], index: i, valueIndex: i + 1 });
        i++;
      } else options.push({ name: `-${letter}`, index: i });
      break;
    }
  }
  return { options, operands, firstOperand };
}

/** Whether any scanned option is one of `names` (`-f`, `--force`). */
export function hasOption(scanned: ScannedArgs, ...names: string[]): boolean {
  return scanned.options.some((option) => names.includes(option.name));
}

/** The values of every occurrence of the named options. */
export function optionValues(scanned: ScannedArgs, ...names: string[]): ScannedOption[] {
  return scanned.options.filter((option) => names.includes(option.name) && option.value !== undefined);
}

/** Directories whose programs are the well-known ones: `/usr/bin/rm` is `rm`, `./rm` is not. */
const SYSTEM_BIN_DIRS = new Set([
  "/bin",
  "/sbin",
  "/usr/bin",
  "/usr/sbin",
  "/usr/local/bin",
  "/usr/local/sbin",
  "/opt/homebrew/bin",
]);

/**
 * The program a command word names, for recognising it: `rm` and `/usr/bin/rm` are `rm`;
 * `./rm` or `tools/rm` keep their path (a project script is not the system tool).
 */
export function programName(word: string): string {
  const slash = word.lastIndexOf("/");
  if (slash === -1) return word;
  const dir = word.slice(0, slash) || "/";
  return SYSTEM_BIN_DIRS.has(dir) ? word.slice(slash + 1) : word;
}

/** The last path component, for the guard, which treats `./rm -rf /` like `rm -rf /`. */
export function baseName(word: string): string {
  const trimmed = word.replace(/\/+$/, "");
  return trimmed.slice(trimmed.lastIndexOf("/") + 1);
}
