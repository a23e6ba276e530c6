import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadConventions } from "../conventions.js";
import { countTokens } from "../tokens.js";
import { generateConventions, INIT_END, INIT_START, writeConventions } from "./index.js";
import { summariseReadme } from "./readme.js";

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

/** A real temp project from a path → content map. */
async function project(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), "init-"));
  dirs.push(root);
  for (const [rel, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
    await writeFile(path.join(root, rel), content);
  }
  return root;
}

const NODE_PROJECT = {
  "README.md": [
    "# Widget Forge",
    "",
    "[![CI](https://ci.example/badge.svg)](https://ci.example) [![npm](https://img.shields.io/npm/v/x.svg)](https://npm.im/x)",
    '<p align="center"><img src="logo.png"></p>',
    "",
    "Widget Forge builds **widgets** from [JSON specs](docs/spec.md) and serves them over HTTP.",
    "It is fast.",
    "",
    "## Install",
    "npm install widget-forge",
  ].join("\n"),
  "package.json": JSON.stringify({
    name: "widget-forge",
    type: "module",
    engines: { node: ">=20" },
    bin: { forge: "dist/cli.js" },
    scripts: {
      build: "tsc -p .",
      test: "vitest run",
      lint: "biome check .",
      typecheck: "tsc --noEmit",
      dev: "tsx watch src/index.ts",
      release: "np",
    },
    dependencies: { express: "^4.19.0", react: "^19.1.0", zod: "^3.23.0" },
    devDependencies: { vitest: "^2.0.0", typescript: "^5.5.0", "@biomejs/biome": "^2.0.0" },
  }),
  "package-lock.json": "{}",
  "tsconfig.json": '{ // comment\n "compilerOptions": { "strict": true, "module": "NodeNext", } }',
  "biome.json": JSON.stringify({ formatter: { indentStyle: "space", indentWidth: 2, lineWidth: 100 } }),
  ".editorconfig": "root = true\n[*]\nindent_style = space\nindent_size = 2\n[Makefile]\nindent_style = tab\n",
  "src/index.ts": "export {};\n",
  "src/server.ts": "export {};\n",
  "test/server.test.ts": "",
  "test/spec.test.ts": "",
  "test/helpers.ts": "",
  "test/fixtures/sample.ts": "",
  "node_modules/dep/x.test.ts": "",
};

describe("generateConventions", () => {
  it("describes a Node project with exact commands, style and test layout", async () => {
    const root = await project(NODE_PROJECT);
    const { text, sources } = await generateConventions(root);
    expect(text).toContain("# Project: widget-forge");
    expect(text).toContain("Widget Forge builds widgets from JSON specs and serves them over HTTP. It is fast.");
    expect(text).not.toMatch(/shields|<p|badge|Install/);
    expect(text).toContain("Stack: TypeScript, Node >=20, ESM, npm");
    expect(text).toContain("Main libraries: React 19, Express 4, Zod 3, Vitest 2");
    expect(text).toContain("- test: `npm test` (vitest run)");
    expect(text).toContain("- build: `npm run build` (tsc -p .)");
    expect(text).toContain("- lint: `npm run lint` (biome check .)");
    expect(text).toContain("- typecheck: `npm run typecheck`");
    expect(text).toContain("- dev: `npm run dev`");
    expect(text).not.toContain("release");
    // The project's own lint script wins over Biome's bare CLI.
    expect(text).not.toContain("npx biome");
    expect(text).toContain("- Biome (biome.json): 2 spaces, line width 100, double quotes");
    expect(text).toContain("- TypeScript: strict; NodeNext: relative imports end in `.js`");
    expect(text).toContain("- .editorconfig: 2 spaces; Makefile tabs");
    expect(text).toContain("- `test/` `*.test.ts`: 2 files (e.g. test/server.test.ts, test/spec.test.ts)");
    expect(text).not.toContain("node_modules");
    expect(text).toContain("- Top-level: src/, test/");
    expect(text).toContain("- CLI: `forge` → `dist/cli.js`");
    expect(sources).toEqual([
      "README.md",
      "package.json",
      "package-lock.json",
      "biome.json",
      "tsconfig.json",
      ".editorconfig",
    ]);
  });

  it("stays under ~400 tokens for a typical Node project", async () => {
    const root = await project(NODE_PROJECT);
    const { text } = await generateConventions(root);
    expect(await countTokens(`${INIT_START}\n${text}\n${INIT_END}`)).toBeLessThan(400);
  });

  it("uses the lockfile's package manager and falls back to the linter's CLI without a script", async () => {
    const root = await project({
      "package.json": JSON.stringify({ name: "p", scripts: { test: "jest", build: "vite build" } }),
      "pnpm-lock.yaml": "",
      ".eslintrc.json": "{}",
      ".prettierrc": JSON.stringify({ singleQuote: true, semi: false, printWidth: 100 }),
      "src/app.spec.tsx": "",
      "src/__tests__/util.ts": "",
    });
    const { text } = await generateConventions(root);
    expect(text).toContain("Stack: JavaScript, Node, CommonJS, pnpm");
    expect(text).toContain("- test: `pnpm test` (jest)");
    expect(text).toContain("- build: `pnpm run build` (vite build)");
    expect(text).toContain("- lint: `pnpm exec eslint .`");
    expect(text).toContain("- format: `pnpm exec prettier --write .`");
    expect(text).toContain("- Prettier (.prettierrc): single quotes, no semicolons, width 100");
    expect(text).toContain("`*.spec.tsx` beside sources: 1 file (e.g. src/app.spec.tsx)");
    expect(text).toContain("`__tests__/` folders");
  });

  it("describes a Rust workspace crate", async () => {
    const root = await project({
      "Cargo.toml": [
        "[package]",
        'name = "ferrous"',
        'edition = "2021"',
        "[workspace]",
        'members = ["crates/core", "crates/cli"]',
        "[dependencies]",
        'tokio = { version = "1", features = ["full"] }',
        'serde = "1"',
      ].join("\n"),
      "rustfmt.toml": 'max_width = 100\nedition = "2021"\n',
      "src/lib.rs": "pub fn a() {}\n#[cfg(test)]\nmod tests {}\n",
      "src/main.rs": "fn main() {}\n",
      "tests/integration.rs": "#[test] fn t() {}\n",
    });
    const { text, sources } = await generateConventions(root);
    expect(text).toContain("# Project: ferrous");
    expect(text).toContain("Stack: Rust, edition 2021");
    expect(text).toContain("Main libraries: Tokio, Serde");
    expect(text).toContain("- test: `cargo test`");
    expect(text).toContain("- check: `cargo check`");
    expect(text).toContain("Workspace members: `crates/core`, `crates/cli`");
    expect(text).toContain("Crate: library `src/lib.rs`, binary `src/main.rs`");
    expect(text).toContain("rustfmt (rustfmt.toml): max_width=100, edition=2021");
    expect(text).toContain("- `tests/` `*.rs`: 1 file (e.g. tests/integration.rs)");
    expect(text).toContain("Inline unit tests in `#[cfg(test)] mod tests`: 1 file (e.g. src/lib.rs)");
    expect(sources).toContain("Cargo.toml");
  });

  it("describes a Python project with pytest and ruff", async () => {
    const root = await project({
      "pyproject.toml": [
        "[project]",
        'name = "snakecharm"',
        'requires-python = ">=3.11"',
        'dependencies = ["fastapi>=0.110", "pydantic"]',
        "[project.optional-dependencies]",
        'dev = ["pytest>=8", "ruff"]',
        "[tool.pytest.ini_options]",
        'testpaths = ["tests"]',
        "[tool.ruff]",
        "line-length = 100",
        'target-version = "py311"',
        "[tool.ruff.lint]",
        'select = ["E", "F", "I"]',
        "[tool.mypy]",
        "strict = true",
      ].join("\n"),
      "uv.lock": "",
      "snakecharm/__init__.py": "",
      "tests/test_api.py": "",
      "tests/conftest.py": "",
    });
    const { text } = await generateConventions(root);
    expect(text).toContain("# Project: snakecharm");
    expect(text).toContain("Stack: Python >=3.11, uv");
    expect(text).toContain("Main libraries: FastAPI, Pydantic");
    expect(text).toContain("- test: `uv run pytest`");
    expect(text).toContain("- lint: `uv run ruff check .`");
    expect(text).toContain("- format: `uv run ruff format .`");
    expect(text).toContain("- typecheck: `uv run mypy .`");
    expect(text).toContain("- Ruff ([tool.ruff]): line length 100, target py311, rules E,F,I");
    expect(text).toContain("- mypy (strict)");
    expect(text).toContain("- `tests/` `test_*.py`: 1 file (e.g. tests/test_api.py)");
  });

  it("describes a Go module", async () => {
    const root = await project({
      "go.mod": "module github.com/acme/gopher/v2\n\ngo 1.22\n\nrequire github.com/spf13/cobra v1.8.0\n",
      "cmd/gopher/main.go": "package main\n",
      "internal/store/store.go": "package store\n",
      "internal/store/store_test.go": "package store\n",
      "internal/api/api_test.go": "package api\n",
    });
    const { text } = await generateConventions(root);
    expect(text).toContain("# Project: gopher");
    expect(text).toContain("Stack: Go 1.22");
    expect(text).toContain("Main libraries: Cobra");
    expect(text).toContain("- test: `go test ./...`");
    expect(text).toContain("- vet: `go vet ./...`");
    expect(text).toContain("Module path `github.com/acme/gopher/v2` (import prefix)");
    expect(text).toContain("Binaries: `cmd/gopher`");
    expect(text).toContain(
      "- `*_test.go` beside sources: 2 files (e.g. internal/api/api_test.go, internal/store/store_test.go)",
    );
  });

  it("skips malformed manifests without crashing", async () => {
    const root = await project({
      "package.json": '{ "name": "broken", ',
      "Cargo.toml": "[package\nname = ",
      "pyproject.toml": "[[[",
      "biome.json": "{ nope",
      "README.md": "",
    });
    const { text } = await generateConventions(root);
    expect(text).toContain(`# Project: ${path.basename(root)}`);
    expect(text).toContain("Node (package.json unreadable)");
    expect(text).toContain("Rust (Cargo.toml unreadable)");
    expect(text).toContain("(pyproject.toml unreadable)");
    expect(text).toContain("Biome (biome.json): tabs, line width 80");
  });
});

describe("summariseReadme", () => {
  it("takes an HTML title and a blockquote tagline, dropping badges and footnotes", () => {
    const text = [
      "---",
      "layout: home",
      "---",
      '<h1 align="center">Tiny <b>Tool</b></h1>',
      '<p align="center"><img src="x.svg"></p>',
      "[![build](https://x/b.svg)](https://x) · [docs](https://x/docs)",
      "",
      "> Does one thing[^1] well, see [the guide][guide].",
      "",
      "```sh",
      "npm i tiny",
      "```",
    ].join("\n");
    expect(summariseReadme(text)).toEqual({ title: "Tiny Tool", description: "Does one thing well, see the guide." });
    expect(summariseReadme("")).toEqual({ title: undefined, description: undefined });
  });
});

describe("writeConventions", () => {
  it("creates the file, then reports unchanged on a re-run", async () => {
    const root = await project(NODE_PROJECT);
    const first = await writeConventions(root);
    expect(first.action).toBe("created");
    expect(first.path).toBe(path.join(root, ".parecode/conventions.md"));
    const written = await readFile(first.path, "utf8");
    expect(written.startsWith(`${INIT_START}\n# Project: widget-forge`)).toBe(true);
    expect(written.endsWith(`${INIT_END}\n`)).toBe(true);
    expect((await writeConventions(root)).action).toBe("unchanged");
    expect(await readFile(first.path, "utf8")).toBe(written);
  });

  it("carries AGENTS.md rules into the conventions file that is loaded first", async () => {
    const root = await project({
      ...NODE_PROJECT,
      "AGENTS.md":
        "# Rules\n- Never use default exports.\n- Run `npm test` before finishing.\n```sh\n# not a heading\n```",
      "CLAUDE.md": "@AGENTS.md\n",
    });
    const result = await writeConventions(root);
    expect(result.sources).toContain("AGENTS.md");
    expect(result.sources).not.toContain("CLAUDE.md");
    const loaded = await loadConventions(root);
    expect(loaded?.file).toBe(".parecode/conventions.md");
    expect(loaded?.text).toContain("## From AGENTS.md\n### Rules\n- Never use default exports.");
    expect(loaded?.text).toContain("# not a heading");
    expect(loaded?.text).toContain("- test: `npm test`");
    // AGENTS.md itself is left alone.
    expect(await readFile(path.join(root, "AGENTS.md"), "utf8")).toContain("# Rules");
  });

  it("regenerates only the marked block and keeps user edits around it", async () => {
    const root = await project(NODE_PROJECT);
    const { path: file } = await writeConventions(root);
    const generated = await readFile(file, "utf8");
    await writeFile(file, `My intro line.\n\n${generated}\n## Team rules\n- Prefer small PRs.\n`);

    const pkg = JSON.parse(NODE_PROJECT["package.json"]) as { scripts: Record<string, string> };
    pkg.scripts.format = "biome format --write .";
    await writeFile(path.join(root, "package.json"), JSON.stringify(pkg));
    expect((await writeConventions(root)).action).toBe("updated");
    const after = await readFile(file, "utf8");
    expect(after.startsWith("My intro line.\n\n<!-- parecode:init:start")).toBe(true);
    expect(after).toContain("- format: `npm run format` (biome format --write .)");
    expect(after.endsWith(`${INIT_END}\n\n## Team rules\n- Prefer small PRs.\n`)).toBe(true);
    expect(after.match(/parecode:init:start/g)).toHaveLength(1);
    expect((await writeConventions(root)).action).toBe("unchanged");
  });

  it("keeps a hand-written conventions file below a new block, and force replaces it", async () => {
    const root = await project({ ...NODE_PROJECT, ".parecode/conventions.md": "Use tabs. Always.\n" });
    const kept = await writeConventions(root);
    expect(kept.action).toBe("updated");
    const text = await readFile(kept.path, "utf8");
    expect(text.startsWith(INIT_START)).toBe(true);
    expect(text.endsWith(`${INIT_END}\n\nUse tabs. Always.\n`)).toBe(true);
    expect((await writeConventions(root)).action).toBe("unchanged");

    expect((await writeConventions(root, { force: true })).action).toBe("updated");
    expect(await readFile(kept.path, "utf8")).not.toContain("Use tabs");
  });
});
