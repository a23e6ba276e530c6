/**
 * `parecode acp`: the ACP agent on this process's stdin/stdout. stdout carries protocol
 * messages only: console output of any library is sent to stderr, which editors keep as
 * the agent's log.
 */
import { Readable, Writable } from "node:stream";
import { format } from "node:util";
import type { AcpCommand } from "./args.js";

export async function runAcpCommand(command: AcpCommand): Promise<number> {
  for (const method of ["log", "info", "debug", "warn"] as const) {
    console[method] = (...args: unknown[]) => void process.stderr.write(`${format(...args)}\n`);
  }
  const log = (line: string) => void process.stderr.write(`parecode: ${line}\n`);
  const [{ ndJsonStream }, { createAcpAgent }] = await Promise.all([
    import("@agentclientprotocol/sdk"),
    import("./agent.js"),
  ]);
  const stream = ndJsonStream(
    Writable.toWeb(process.stdout) as WritableStream<Uint8Array>,
    Readable.toWeb(process.stdin) as ReadableStream<Uint8Array>,
  );
  const acp = createAcpAgent({ env: process.env, flags: command, log });
  const connection = acp.app.connect(stream);
  if (command.verbose) log(`ACP agent ready on stdio (cwd ${process.cwd()})`);
  await connection.closed;
  await acp.closeAll();
  return 0;
}
