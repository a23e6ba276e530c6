/**
 * The approval dialog: what the agent wants to do (the command, or the change as a
 * coloured diff, or the tool and its arguments), the rule that asked, and the answers:
 * y once, a this session, p this project, n no (then an optional reason), Esc no.
 */
import { Box, Text } from "ink";
import type { PendingApproval } from "../state/types.js";
import { useTheme } from "../theme.js";
import { DiffView } from "./diff-view.js";
import { clean } from "./entry-view.js";

function question(approval: PendingApproval): string {
  const r = approval.request;
  if (r.kind === "command") return "Run this command?";
  const target = r.path === undefined ? "" : ` to ${clean(r.path)}`;
  if (r.kind === "edit") return `Apply this change${target}?`;
  return `Allow ${clean(r.tool)}${target}?`;
}

export function ApprovalDialog({
  approval,
  maxRows,
  compact,
}: {
  approval: PendingApproval;
  maxRows: number;
  compact: boolean;
}) {
  const theme = useTheme();
  const r = approval.request;
  const command = r.command === undefined ? [] : clean(r.command).split("\n");
  // Border, question, rule, answers, "always" line: 6 rows; the rest is for the body.
  const body = Math.max(2, maxRows - 6);
  return (
    <Box borderStyle="round" borderColor={theme.c("warn")} flexDirection="column" paddingX={1}>
      <Text bold color={theme.c("warn")}>
        ? {question(approval)} <Text color={theme.c("muted")}>({clean(r.tool)})</Text>
      </Text>
      {command.slice(0, body).map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: command lines never reorder
        <Text key={i} wrap="truncate-end">
          <Text color={theme.c("accent")}>$ </Text>
          {line}
        </Text>
      ))}
      {r.args !== undefined && <Text wrap="truncate-end">{clean(r.args)}</Text>}
      {r.diff && <DiffView diff={clean(r.diff)} maxLines={body} />}
      <Text color={theme.c("muted")} wrap="truncate-end">
        asked by: {clean(r.rule)}
      </Text>
      {approval.reason ? (
        <Text>
          <Text color={theme.c("error")}>no</Text> — reason for the model (Enter sends, Esc skips):{" "}
          {approval.reason.text}
          <Text inverse> </Text>
        </Text>
      ) : (
        <>
          <Text>
            <Text color={theme.c("ok")} bold>
              y
            </Text>{" "}
            yes{"  "}
            <Text color={theme.c("ok")} bold>
              a
            </Text>{" "}
            {compact ? "session" : "always this session"}
            {"  "}
            <Text color={theme.c("ok")} bold>
              p
            </Text>{" "}
            {compact ? "project" : "always in this project"}
            {"  "}
            <Text color={theme.c("error")} bold>
              n
            </Text>{" "}
            no{"  "}
            <Text color={theme.c("muted")}>Esc no · Ctrl+C cancel task</Text>
          </Text>
          {!compact && (
            <Text color={theme.c("muted")} wrap="truncate-end">
              always = {clean(r.remember)}
            </Text>
          )}
        </>
      )}
    </Box>
  );
}
