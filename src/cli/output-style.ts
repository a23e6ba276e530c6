/** Colour only for a terminal that wants it: NO_COLOR (any value) or a pipe turn it off. */
export interface OutputStyle {
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
}

export function createOutputStyle(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): OutputStyle {
  const enabled = stream.isTTY === true && env.NO_COLOR === undefined && env.TERM !== "dumb";
  const wrap = (open: number, close: number) => (text: string) =>
    enabled ? `\u001b[${open}m${text}\u001b[${close}m` : text;
  return { dim: wrap(2, 22), red: wrap(31, 39), green: wrap(32, 39), yellow: wrap(33, 39) };
}
