/**
 * The commands that ship with the UI. Each is one entry the slash menu, palette and /help
 * read; features register theirs beside these (see registry.ts).
 */
import { stat } from "node:fs/promises";
import path from "node:path";
import { generateConventions } from "../../context/init/index.js";
import { isPermissionMode, PERMISSION_MODES } from "../../core/approval.js";
import { helpLines } from "../views/builtin.js";
import { configLines } from "../views/config-view.js";
import type { CommandContext, CommandSpec } from "./registry.js";

/** Updates the status bar from the runtime after a switch. */
export function syncSession(ctx: CommandContext): void {
  const r = ctx.runtime;
  ctx.dispatch({
    type: "session",
    session: {
      profile: r.profile.name,
      model: r.profile.model,
      provider: r.profile.provider,
      window: r.contextWindow,
      mode: r.permissionMode,
      cwd: r.root,
    },
  });
}

async function switchTo(ctx: CommandContext, name: string, model?: string): Promise<void> {
  try {
    const profile = await ctx.runtime.switchProfile(name, { model });
    syncSession(ctx);
    const kept = ctx.runtime.turns().length;
    ctx.notice(
      `Now using ${profile.name} · ${profile.model} (${profile.provider})${kept > 0 ? `; the ${kept} earlier ${kept === 1 ? "task stays" : "tasks stay"} in context` : ""}.`,
    );
  } catch (err) {
    ctx.notice((err as Error).message, "error");
  }
}

const MODE_HELP: Record<string, string> = {
  ask: "edits, commands and MCP calls ask first",
  "accept-edits": "file edits inside the project go through; commands ask",
  "read-only": "nothing is changed; only read-only commands run",
  trust: "everything no rule or guard denies runs without asking",
};

export const BUILTIN_COMMANDS: CommandSpec[] = [
  {
    name: "help",
    description: "list commands and keys",
    run: (ctx) => ctx.info(helpLines(ctx.state().commands.filter((c) => !c.description.startsWith("= /")))),
  },
  {
    name: "clear",
    description: "clear the screen (the session and scrollback are kept)",
    run: (ctx) => ctx.clearScreen(),
  },
  {
    name: "new",
    description: "start a new conversation: earlier tasks are no longer carried over",
    idleOnly: true,
    async run(ctx) {
      await ctx.runtime.newSession();
      ctx.dispatch({ type: "reset-stats" });
      ctx.notice("New session: earlier tasks are no longer carried over.");
    },
  },
  {
    name: "profile",
    args: "[NAME]",
    description: "switch profile, keeping the session (a picker without NAME)",
    idleOnly: true,
    async run(ctx, args) {
      const name = args.trim();
      if (name !== "") return switchTo(ctx, name);
      const rows = await ctx.runtime.listProfiles();
      const picked = await ctx.pick({
        title: "profile",
        items: rows.map((r) => ({
          value: r.name,
          label: `${r.name === ctx.runtime.profile.name ? "● " : ""}${r.name}`,
          hint: `${r.provider} · ${r.model} · ${r.source}`,
        })),
        empty: "no profiles: add one to config.toml",
      });
      if (picked) await switchTo(ctx, picked);
    },
  },
  {
    name: "model",
    args: "[ID]",
    description: "switch model on this profile (a picker of the server's models without ID)",
    idleOnly: true,
    async run(ctx, args) {
      const current = ctx.runtime.profile;
      const id = args.trim();
      if (id !== "") return switchTo(ctx, current.name, id);
      const models = await ctx.runtime.listModels();
      if (models.length === 0) {
        ctx.notice(`${current.endpoint} lists no models; type /model ID to use one by name.`, "warn");
        return;
      }
      const picked = await ctx.pick({
        title: `model (${current.provider})`,
        items: models.map((m) => ({ value: m, label: `${m === current.model ? "● " : ""}${m}` })),
      });
      if (picked) await switchTo(ctx, current.name, picked);
    },
  },
  {
    name: "provider",
    description: "switch provider: a picker of every configured or detected profile by provider",
    idleOnly: true,
    async run(ctx) {
      const rows = await ctx.runtime.listProfiles();
      const picked = await ctx.pick({
        title: "provider",
        items: rows
          .slice()
          .sort((a, b) => a.provider.localeCompare(b.provider))
          .map((r) => ({ value: r.name, label: `${r.provider} — ${r.name}`, hint: `${r.model} · ${r.endpoint}` })),
        empty: "no providers: set an API key or add a profile to config.toml",
      });
      if (picked) await switchTo(ctx, picked);
    },
  },
  {
    name: "ts",
    description: "show or hide timestamps on new messages",
    run(ctx) {
      const on = !ctx.state().timestamps;
      ctx.dispatch({ type: "timestamps", on });
      ctx.notice(`Timestamps ${on ? "on" : "off"}.`);
    },
  },
  {
    name: "cd",
    args: "DIR",
    needsArgs: true,
    idleOnly: true,
    description: "work in another folder; earlier tasks stay in context",
    async run(ctx, args) {
      const target = path.resolve(ctx.runtime.root, args.trim() || ".");
      const info = await stat(target).catch(() => undefined);
      if (!info?.isDirectory()) {
        ctx.notice(`${target} is not a folder.`, "error");
        return;
      }
      const next = await ctx.createRuntime(target);
      ctx.replaceRuntime(next);
      ctx.notice(`Now working in ${target}.`);
    },
  },
  {
    name: "init",
    description: "generate .parecode/conventions.md from the project (preview before saving)",
    async run(ctx) {
      const root = ctx.runtime.root;
      const generated = await generateConventions(root);
      ctx.openView("init", { root, text: generated.text, sources: generated.sources });
    },
  },
  {
    name: "permissions",
    args: `[${PERMISSION_MODES.join("|")}]`,
    description: "show or change the permission mode (Shift+Tab cycles)",
    run(ctx, args) {
      const mode = args.trim();
      if (mode === "") {
        const current = ctx.runtime.permissionMode;
        ctx.info(
          PERMISSION_MODES.map((m) => `${m === current ? "●" : " "} ${m.padEnd(13)} ${MODE_HELP[m]}`),
          "Permission mode (/permissions MODE changes it)",
        );
        return;
      }
      if (!isPermissionMode(mode)) {
        ctx.notice(`Unknown mode "${mode}": use one of ${PERMISSION_MODES.join(", ")}.`, "error");
        return;
      }
      ctx.runtime.setPermissionMode(mode);
      syncSession(ctx);
      ctx.notice(`Permission mode: ${mode} (${MODE_HELP[mode]}).`);
    },
  },
  {
    name: "queue",
    args: "[clear]",
    description: "list the queued prompts, or drop them with /queue clear",
    run(ctx, args) {
      const queue = ctx.state().queue;
      if (args.trim() === "clear") {
        ctx.dispatch({ type: "queue-clear" });
        ctx.notice(`Dropped ${queue.length} queued ${queue.length === 1 ? "prompt" : "prompts"}.`);
        return;
      }
      if (queue.length === 0) {
        ctx.notice("Nothing queued. Prompts sent while a task runs wait here.");
        return;
      }
      ctx.info(
        queue.map((q, i) => `${i + 1}. ${q.text.split("\n")[0]}`),
        "Queued prompts",
      );
    },
  },
  {
    name: "stats",
    description: "session dashboard: context, tokens per task, tool calls",
    run: (ctx) => ctx.openView("stats"),
  },
  {
    name: "config",
    description: "the active profile, settings, hooks and MCP servers",
    run: (ctx) => ctx.openView("config", { lines: configLines(ctx.runtime, process.env) }),
  },
  {
    name: "tools",
    description: "tool calls of this session with their results (Ctrl+O)",
    run: (ctx) => ctx.openView("tools"),
  },
  { name: "quit", aliases: ["exit"], description: "leave parecode", run: (ctx) => ctx.exit() },
];
