import { spawn } from "node:child_process";
import { CLI_PATH, makeTempProject } from "../test/support/cli.js";
import { startScriptedServer } from "../test/support/scripted-server.js";

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function timeProcess(args: string[], env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { env, cwd, stdio: "ignore" });
    child.on("error", reject);
    child.on("close", () => resolve(performance.now() - started));
  });
}

/** `parecode --version` against a bare `node -e 0`, median of `runs` each. */
export async function measureVersion(runs = 5): Promise<{ nodeMs: number; versionMs: number; ratio: number }> {
  const node: number[] = [];
  const version: number[] = [];
  await timeProcess(["-e", "0"]); // warm the file cache once
  await timeProcess([CLI_PATH, "--version"]);
  for (let i = 0; i < runs; i++) {
    node.push(await timeProcess(["-e", "0"]));
    version.push(await timeProcess([CLI_PATH, "--version"]));
  }
  const nodeMs = median(node);
  const versionMs = median(version);
  return { nodeMs, versionMs, ratio: versionMs / nodeMs };
}

/**
 * Launch of a one-shot task until the model server receives the first request, against a
 * bare `node -e 0` started just before each launch: the ratio of each pair is taken and
 * the median of those reported, so load that comes and goes during the run moves both
 * sides of a pair together. One project and home serve every run, as on a user's machine:
 * the first run (which fills parecode's caches, writes the hooks block and so on) only warms up.
 */
export async function measureLaunchToFirstRequest(
  runs = 5,
): Promise<{ launchMs: number; nodeMs: number; ratio: number }> {
  const launches: number[] = [];
  const nodes: number[] = [];
  const ratios: number[] = [];
  const project = await makeTempProject();
  const server = await startScriptedServer({ fallbackText: "ok" });
  try {
    await project.writeConfig(
      `[profiles.bench]\nprovider = "openai"\nendpoint = "${server.openaiBaseUrl}"\nmodel = "bench"\napi_key = "k"\n`,
    );
    for (let i = 0; i < runs + 1; i++) {
      const node = await timeProcess(["-e", "0"]);
      const before = server.requests.length;
      const started = Date.now();
      await timeProcess([CLI_PATH, "say ok"], project.env, project.dir);
      const first = server.requests[before];
      if (!first) throw new Error("the CLI sent no request");
      if (i === 0) continue;
      const launch = first.receivedAt - started;
      launches.push(launch);
      nodes.push(node);
      ratios.push(launch / node);
    }
  } finally {
    await server.close();
    await project.cleanup();
  }
  return { launchMs: median(launches), nodeMs: median(nodes), ratio: median(ratios) };
}
