// Bundles the CLI as ESM with code splitting: every `await import()` in the source
// becomes its own chunk, so `parecode --version` loads only the entry file. Runtime
// dependencies stay external (npm installs them beside the bundle). The two provider
// SDKs are devDependencies and get bundled: each is hundreds of small ES modules, and
// loading them one by one through Node's loader cost ~70 ms before the first request.
// Bundled, each becomes one lazily loaded chunk.
import { chmod, readFile, rm } from "node:fs/promises";
import { build } from "esbuild";

const pkg = JSON.parse(await readFile(new URL("../package.json", import.meta.url), "utf8"));
const external = Object.keys(pkg.dependencies);

await rm("dist", { recursive: true, force: true });
await build({
  entryPoints: { parecode: "src/cli/main.ts" },
  outdir: "dist",
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  external: [...external, ...external.map((name) => `${name}/*`)],
  sourcemap: "linked",
  banner: { js: "#!/usr/bin/env node" },
  define: { PARECODE_VERSION: JSON.stringify(pkg.version) },
  logLevel: "warning",
});
await chmod("dist/parecode.js", 0o755);
