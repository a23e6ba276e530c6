// Bundles the CLI as ESM with code splitting: every `await import()` in the source
// becomes its own chunk, so `parecode --version` loads only the entry file. Runtime
// dependencies stay external (npm installs them beside the bundle). The two provider
// SDKs are devDependencies and get bundled: each is hundreds of small ES modules, and
// loading them one by one through Node's loader cost ~70 ms before the first request.
// Bundled, each becomes one lazily loaded chunk. The interactive UI (Ink, React, marked,
// highlight.js, fuzzysort) is bundled the same way into the chunk bare `parecode` loads.
import { chmod, readFile, rm } from "node:fs/promises";
import { build } from "esbuild";

const pkg = JSON.parse(await readFile(new URL("../package.json", import.meta.url), "utf8"));
// smol-toml is read before every task's first request: bundled, it is one chunk instead of
// nine modules resolved through its package.json.
const BUNDLED_DEPENDENCIES = new Set(["smol-toml"]);
const external = Object.keys(pkg.dependencies).filter((name) => !BUNDLED_DEPENDENCIES.has(name));

// Ink imports react-devtools-core only when DEV=true; it is not installed, so the bundle
// gets an empty stand-in instead of a missing module.
const stubDevtools = {
  name: "stub-react-devtools-core",
  setup(b) {
    b.onResolve({ filter: /^react-devtools-core$/ }, () => ({ path: "react-devtools-core", namespace: "stub" }));
    b.onLoad({ filter: /.*/, namespace: "stub" }, () => ({
      contents: "export default { initialize() {}, connectToDevTools() {} };",
      loader: "js",
    }));
  },
};

// Ink 6.8's line-diff renderer moves the cursor up one row too few before redrawing a
// frame that ends in a newline (every frame that does not fill the screen), so each
// incremental update lands one row low and a row of the old frame is left behind. The
// fix is one expression; the build fails if Ink changes and the patch no longer applies.
const INK_CURSOR_BUG = "buffer.push(ansiEscapes.cursorUp(previousVisible - 1));";
const INK_CURSOR_FIX =
  "buffer.push(ansiEscapes.cursorUp(previousOutput.endsWith('\\n') ? previousVisible : previousVisible - 1));";
const patchInk = {
  name: "patch-ink-incremental-cursor",
  setup(b) {
    b.onLoad({ filter: /[\\/]ink[\\/]build[\\/]log-update\.js$/ }, async (args) => {
      const source = await readFile(args.path, "utf8");
      if (!source.includes(INK_CURSOR_BUG)) {
        throw new Error(`ink/build/log-update.js changed: re-check the incremental cursor patch in scripts/build.mjs`);
      }
      return { contents: source.replace(INK_CURSOR_BUG, INK_CURSOR_FIX), loader: "js" };
    });
  },
};

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
  // Whitespace and syntax only (names stay, and the source map maps back): less to parse
  // at every launch.
  minifyWhitespace: true,
  minifySyntax: true,
  // Bundled CommonJS packages (Ink's signal-exit) call require() for Node built-ins,
  // which an ES module has no binding for: give every output file one.
  banner: {
    js: '#!/usr/bin/env node\nimport { createRequire as __parecodeRequire } from "node:module";\nconst require = __parecodeRequire(import.meta.url);',
  },
  define: { PARECODE_VERSION: JSON.stringify(pkg.version), "process.env.NODE_ENV": '"production"' },
  plugins: [stubDevtools, patchInk],
  logLevel: "warning",
});
await chmod("dist/parecode.js", 0o755);
