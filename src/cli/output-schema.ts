/**
 * `--output-schema FILE` (as in `codex exec`): the final answer must be a JSON value
 * matching the JSON Schema in FILE. The task tells the model so; an answer that does not
 * parse or match is sent back once with what is wrong, then the task fails with reason
 * `output_schema`. Validation is ajv's (drafts 07, 2019-09 and 2020-12, chosen by the
 * schema's `$schema`; unknown formats are not checked).
 */
import { readFile } from "node:fs/promises";
import { UsageError } from "../core/errors.js";

export interface OutputSchema {
  /** Appended to the task: what the final answer must look like. */
  instruction: string;
  /** What is wrong with an answer, or undefined when it matches. */
  check(answer: string): string | undefined;
  /** The answer as a JSON value (the fence a model may wrap it in removed). */
  parse(answer: string): unknown;
}

/** Most characters of the schema quoted in the task. */
const MAX_SCHEMA_CHARS = 8_000;

export async function loadOutputSchema(file: string): Promise<OutputSchema> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    throw new UsageError(`--output-schema ${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? err}).`);
  }
  let schema: unknown;
  try {
    schema = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`--output-schema ${file}: not valid JSON (${(err as Error).message}).`);
  }
  if (typeof schema !== "object" || schema === null || Array.isArray(schema)) {
    if (typeof schema !== "boolean") throw new UsageError(`--output-schema ${file}: a JSON Schema is an object.`);
  }
  const validate = await compile(schema as object | boolean, file);
  const compact = JSON.stringify(schema);
  if (compact.length > MAX_SCHEMA_CHARS) {
    throw new UsageError(
      `--output-schema ${file}: the schema is longer than ${MAX_SCHEMA_CHARS} characters; simplify it.`,
    );
  }
  return {
    instruction: `Final answer format: reply at the end with only a JSON value (no prose around it, no code fence) that matches this JSON Schema:\n${compact}`,
    check(answer) {
      let value: unknown;
      try {
        value = parseAnswer(answer);
      } catch (err) {
        return `it is not valid JSON (${(err as Error).message})`;
      }
      return validate(value);
    },
    parse: parseAnswer,
  };
}

function parseAnswer(answer: string): unknown {
  const fenced = /^```[a-zA-Z]*\n([\s\S]*?)\n```$/.exec(answer.trim());
  return JSON.parse(fenced ? fenced[1] : answer.trim());
}

type Validate = (value: unknown) => string | undefined;

async function compile(schema: object | boolean, file: string): Promise<Validate> {
  const draft = typeof schema === "object" ? String((schema as { $schema?: unknown }).$schema ?? "") : "";
  const options = { strict: false, allErrors: true, logger: false as const };
  // ajv is CommonJS: Node hands its module.exports over as the default import, and the
  // class sits on it again as `.default`.
  let ajv: import("ajv").default;
  if (draft.includes("2020-12")) {
    ajv = new (await import("ajv/dist/2020.js")).default.default(options);
  } else if (draft.includes("2019-09")) {
    ajv = new (await import("ajv/dist/2019.js")).default.default(options);
  } else if (draft === "" || /draft-0[67]/.test(draft)) {
    ajv = new (await import("ajv")).default.default(options);
  } else {
    throw new UsageError(
      `--output-schema ${file}: $schema ${draft} is not supported; use draft-07, 2019-09 or 2020-12.`,
    );
  }
  let validate: import("ajv").ValidateFunction;
  try {
    validate = ajv.compile(schema);
  } catch (err) {
    throw new UsageError(`--output-schema ${file}: not a valid JSON Schema (${(err as Error).message}).`);
  }
  return (value) => {
    if (validate(value)) return undefined;
    return ajv.errorsText(validate.errors, { dataVar: "answer", separator: "; " });
  };
}
