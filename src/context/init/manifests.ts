/** Cargo.toml, pyproject.toml (or requirements.txt) and go.mod: identity, toolchain, exact commands. */
import path from "node:path";
import { asObject, asString, asStrings, listEntries, type ProjectDir, readText, readToml } from "./probe.js";
import type { Findings, ProjectCommand } from "./types.js";

const RUST_CRATES: [string, string][] = [
  ["tokio", "Tokio"],
  ["axum", "Axum"],
  ["actix-web", "Actix Web"],
  ["rocket", "Rocket"],
  ["clap", "clap"],
  ["serde", "Serde"],
  ["ratatui", "Ratatui"],
  ["tauri", "Tauri"],
  ["bevy", "Bevy"],
  ["sqlx", "SQLx"],
  ["diesel", "Diesel"],
];

export async function detectRust(project: ProjectDir): Promise<Partial<Findings> | undefined> {
  if (!project.files.has("Cargo.toml")) return undefined;
  const cargo = await readToml(project.root, "Cargo.toml");
  if (!cargo) return { stack: ["Rust (Cargo.toml unreadable)"], sources: ["Cargo.toml"] };

  const pkg = asObject(cargo.package);
  const workspace = asObject(cargo.workspace);
  // `edition.workspace = true` inherits from [workspace.package].
  const edition = asString(pkg.edition) ?? asString(asObject(workspace.package).edition);
  const members = asStrings(workspace.members);
  const deps = {
    ...asObject(workspace.dependencies),
    ...asObject(cargo["dev-dependencies"]),
    ...asObject(cargo.dependencies),
  };

  const layout: string[] = [];
  if (members.length > 0) layout.push(`Workspace members: ${members.map((m) => `\`${m}\``).join(", ")}`);
  const srcFiles = new Set((await listEntries(path.join(project.root, "src"))).map((e) => e.name));
  const targets = [
    srcFiles.has("lib.rs") ? "library `src/lib.rs`" : "",
    srcFiles.has("main.rs") ? "binary `src/main.rs`" : "",
  ];
  if (targets.some(Boolean)) layout.push(`Crate: ${targets.filter(Boolean).join(", ")}`);

  const commands: ProjectCommand[] = [
    { label: "build", command: "cargo build" },
    { label: "test", command: "cargo test" },
    { label: "check", command: "cargo check" },
    { label: "lint", command: "cargo clippy --all-targets" },
    { label: "format", command: "cargo fmt" },
  ];
  return {
    name: asString(pkg.name),
    stack: ["Rust", ...(edition ? [`edition ${edition}`] : [])],
    frameworks: RUST_CRATES.filter(([dep]) => dep in deps).map(([, label]) => label),
    commands,
    layout,
    sources: ["Cargo.toml"],
  };
}

const PYTHON_PACKAGES: [string, string][] = [
  ["django", "Django"],
  ["flask", "Flask"],
  ["fastapi", "FastAPI"],
  ["pydantic", "Pydantic"],
  ["sqlalchemy", "SQLAlchemy"],
  ["click", "Click"],
  ["typer", "Typer"],
  ["numpy", "NumPy"],
  ["pandas", "pandas"],
  ["torch", "PyTorch"],
];

export async function detectPython(project: ProjectDir): Promise<Partial<Findings> | undefined> {
  const hasPyproject = project.files.has("pyproject.toml");
  const hasRequirements = project.files.has("requirements.txt");
  if (!hasPyproject && !hasRequirements && !project.files.has("setup.py")) return undefined;

  const sources: string[] = [];
  const raw = hasPyproject ? ((await readText(project.root, "pyproject.toml")) ?? "") : "";
  const py = hasPyproject ? await readToml(project.root, "pyproject.toml") : undefined;
  if (hasPyproject) sources.push("pyproject.toml");
  const requirements = hasRequirements ? ((await readText(project.root, "requirements.txt")) ?? "") : "";
  if (hasRequirements) sources.push("requirements.txt");

  const proj = asObject(py?.project);
  const tool = asObject(py?.tool);
  const poetry = asObject(tool.poetry);
  const name = asString(proj.name) ?? asString(poetry.name);
  const python = asString(proj["requires-python"]) ?? asString(asObject(poetry.dependencies).python);

  const runner = project.files.has("uv.lock")
    ? "uv run "
    : project.files.has("poetry.lock") || "poetry" in tool
      ? "poetry run "
      : project.files.has("pdm.lock")
        ? "pdm run "
        : "";
  // Presence is read from the raw text: tools hide in optional-dependencies, dependency
  // groups, poetry groups or requirements files, and any mention means the team uses them.
  const everything = `${raw}\n${requirements}`.toLowerCase();
  const mentions = (name: string) => new RegExp(`(^|[^a-z0-9_-])${name}([^a-z0-9_-]|$)`, "m").test(everything);

  const commands: ProjectCommand[] = [];
  const style: string[] = [];
  const pytestConfigured = "pytest" in tool || project.files.has("pytest.ini") || project.files.has("conftest.py");
  if (pytestConfigured || mentions("pytest")) commands.push({ label: "test", command: `${runner}pytest` });
  if (project.files.has("pytest.ini")) sources.push("pytest.ini");

  const ruffFile = [".ruff.toml", "ruff.toml"].find((f) => project.files.has(f));
  const ruff = ruffFile ? await readToml(project.root, ruffFile) : "ruff" in tool ? asObject(tool.ruff) : undefined;
  if (ruffFile) sources.push(ruffFile);
  if (ruff || mentions("ruff")) {
    commands.push({ label: "lint", command: `${runner}ruff check .` });
    commands.push({ label: "format", command: `${runner}ruff format .` });
    const settings = ruffSettings(ruff ?? {});
    style.push(`Ruff${ruffFile ? ` (${ruffFile})` : ruff ? " ([tool.ruff])" : ""}${settings ? `: ${settings}` : ""}`);
  }
  if ("black" in tool) {
    const width = asObject(tool.black)["line-length"];
    if (!ruff) commands.push({ label: "format", command: `${runner}black .` });
    style.push(`Black${typeof width === "number" ? `: line length ${width}` : ""}`);
  }
  if ("mypy" in tool || project.files.has("mypy.ini")) {
    commands.push({ label: "typecheck", command: `${runner}mypy .` });
    style.push(`mypy${asObject(tool.mypy).strict === true ? " (strict)" : ""}`);
  }

  const stack = [python ? `Python ${python}` : "Python"];
  if (runner) stack.push(runner.split(" ")[0]);
  return {
    name,
    stack: py || !hasPyproject ? stack : [...stack, "(pyproject.toml unreadable)"],
    frameworks: PYTHON_PACKAGES.filter(([pkg]) => mentions(pkg)).map(([, label]) => label),
    commands,
    style,
    sources,
  };
}

function ruffSettings(ruff: Record<string, unknown>): string {
  const parts: string[] = [];
  const width = ruff["line-length"];
  if (typeof width === "number") parts.push(`line length ${width}`);
  const target = asString(ruff["target-version"]);
  if (target) parts.push(`target ${target}`);
  const select = asStrings(asObject(ruff.lint).select ?? ruff.select);
  if (select.length > 0) parts.push(`rules ${select.slice(0, 8).join(",")}`);
  return parts.join(", ");
}

const GO_MODULES: [string, string][] = [
  ["github.com/gin-gonic/gin", "Gin"],
  ["github.com/labstack/echo", "Echo"],
  ["github.com/gofiber/fiber", "Fiber"],
  ["github.com/go-chi/chi", "chi"],
  ["github.com/spf13/cobra", "Cobra"],
  ["gorm.io/gorm", "GORM"],
  ["github.com/stretchr/testify", "testify"],
  ["github.com/charmbracelet/bubbletea", "Bubble Tea"],
];

export async function detectGo(project: ProjectDir): Promise<Partial<Findings> | undefined> {
  if (!project.files.has("go.mod")) return undefined;
  const text = (await readText(project.root, "go.mod")) ?? "";
  const modulePath = text.match(/^module\s+"?([^\s"]+)"?/m)?.[1];
  const version = text.match(/^go\s+(\d+(?:\.\d+)*)/m)?.[1];

  const layout: string[] = [];
  if (modulePath) layout.push(`Module path \`${modulePath}\` (import prefix)`);
  if (project.dirs.has("cmd")) {
    const bins = (await listEntries(path.join(project.root, "cmd"))).filter((e) => e.isDirectory);
    if (bins.length > 0)
      layout.push(
        `Binaries: ${bins
          .slice(0, 6)
          .map((b) => `\`cmd/${b.name}\``)
          .join(", ")}`,
      );
  }
  const lintConfig = [".golangci.yml", ".golangci.yaml", ".golangci.toml"].find((f) => project.files.has(f));
  const commands: ProjectCommand[] = [
    { label: "build", command: "go build ./..." },
    { label: "test", command: "go test ./..." },
    { label: "vet", command: "go vet ./..." },
    ...(lintConfig ? [{ label: "lint", command: "golangci-lint run" }] : []),
    { label: "format", command: "gofmt -w ." },
  ];
  return {
    // `example.com/tool/v2` is the tool, not "v2".
    name: modulePath
      ?.replace(/\/v\d+$/, "")
      .split("/")
      .pop(),
    stack: [version ? `Go ${version}` : "Go"],
    frameworks: GO_MODULES.filter(([mod]) => text.includes(mod)).map(([, label]) => label),
    commands,
    layout,
    style: ["gofmt formatting (tabs)"],
    sources: ["go.mod", ...(lintConfig ? [lintConfig] : [])],
  };
}
