import { createInterface } from "node:readline";

export interface ConfirmStreams {
  input: NodeJS.ReadableStream & { isTTY?: boolean };
  output: NodeJS.WritableStream;
}

/** True when both ends are a terminal a person can answer at. */
export function canAsk(streams: ConfirmStreams = { input: process.stdin, output: process.stderr }): boolean {
  return streams.input.isTTY === true && (streams.output as { isTTY?: boolean }).isTTY === true;
}

/**
 * Asks a yes/no question; only "y" or "yes" is yes (the default is no). The caller
 * checks canAsk() first: without a terminal, destructive commands need --yes instead.
 */
export function confirm(
  question: string,
  streams: ConfirmStreams = { input: process.stdin, output: process.stderr },
): Promise<boolean> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: streams.input, output: streams.output, terminal: false });
    let answered = false;
    streams.output.write(`${question} [y/N] `);
    rl.once("line", (line) => {
      answered = true;
      rl.close();
      resolve(/^(y|yes)$/i.test(line.trim()));
    });
    rl.once("close", () => {
      if (!answered) resolve(false);
    });
  });
}
