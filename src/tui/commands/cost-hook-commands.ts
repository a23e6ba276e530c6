/**
 * /cost [reset] from the runtime's cost meter (per model, with cache reads), and the hook
 * controls: /hooks [on|off] for the rest of the session, /list-hooks for every event.
 */
import { formatCost, formatTokens } from "../state/agent-events.js";
import type { CommandSpec } from "./registry.js";

export const COST_AND_HOOK_COMMANDS: CommandSpec[] = [
  {
    name: "cost",
    args: "[reset]",
    description: "tokens and cost of this session, per model; /cost reset starts counting again",
    run(ctx, args) {
      if (args.trim() === "reset") {
        ctx.runtime.resetCosts();
        ctx.notice("Cost counting starts again from now.");
        return;
      }
      const c = ctx.runtime.costs();
      const priced =
        c.unpricedTasks === 0
          ? formatCost(c.costUsd)
          : `${formatCost(c.costUsd)} + ${c.unpricedTasks} task(s) at an unknown price`;
      const lines = [
        `cost ${priced} since ${c.since.slice(11, 16)}`,
        `input ${c.usage.inputTokens.toLocaleString("en-US")} tokens (${(c.usage.cacheReadTokens ?? 0).toLocaleString("en-US")} from cache) · output ${c.usage.outputTokens.toLocaleString("en-US")} · ${c.tasks} ${c.tasks === 1 ? "task" : "tasks"}`,
      ];
      for (const row of c.byModel) {
        const price =
          row.unpricedTasks > 0 ? "price unknown (set cost_per_mtok_input/output)" : formatCost(row.costUsd);
        lines.push(
          `  ${row.model}: ${row.tasks} ${row.tasks === 1 ? "task" : "tasks"} · ${formatTokens(row.usage.inputTokens)} in · ${price}`,
        );
      }
      ctx.info(lines, "Session cost");
    },
  },
  {
    name: "hooks",
    args: "[on|off]",
    description: "turn hooks on or off for this session, or show whether they run",
    run(ctx, args) {
      const want = args.trim();
      const hooks = ctx.runtime.hooks;
      if (want === "on" || want === "off") {
        hooks.setEnabled(want === "on");
        const listing = hooks.list();
        if (want === "on" && listing.disabledByConfig) {
          ctx.notice("hooks_disabled = true in the profile keeps them off; remove it there to use /hooks on.", "warn");
          return;
        }
        ctx.notice(`Hooks ${want} for this session.`);
        return;
      }
      if (want !== "") {
        ctx.notice("Use /hooks on, /hooks off, or /hooks to see the state.", "error");
        return;
      }
      const listing = hooks.list();
      const active = listing.events.filter((e) => e.commands.length > 0);
      const summary = active.map((e) => `${e.event}: ${e.commands.join(", ")}`).join(" · ") || "none configured";
      ctx.notice(
        `Hooks are ${listing.enabled ? "on" : "off"}${listing.disabledByConfig ? " (hooks_disabled in the config)" : ""}: ${summary}. /list-hooks shows every event.`,
      );
    },
  },
  {
    name: "list-hooks",
    description: "every hook event with its commands and where they are configured",
    run(ctx) {
      const listing = ctx.runtime.hooks.list();
      const lines = [
        `hooks are ${listing.enabled ? "on" : "off"}${listing.disabledByConfig ? " (hooks_disabled = true in the config)" : ""}`,
      ];
      for (const event of listing.events) {
        const where = event.source ? `  (${event.source})` : "";
        lines.push(`${event.event}: ${event.commands.length > 0 ? event.commands.join(" · ") : "—"}${where}`);
      }
      lines.push("Edit them under [profiles.NAME.hooks] in config.toml; /hooks off pauses them for this session.");
      ctx.info(lines, "Hooks");
    },
  },
];
