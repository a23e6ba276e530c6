/**
 * Above the input: the files pinned in context as chips (Tab selects one, Del removes
 * it) and the prompts queued behind the running task.
 */
import { Box, Text } from "ink";
import type { QueuedPrompt } from "../state/types.js";
import { useTheme } from "../theme.js";

export function FileChips({ files, selected }: { files: string[]; selected: number | null }) {
  const theme = useTheme();
  if (files.length === 0) return null;
  return (
    <Box flexWrap="wrap" columnGap={1}>
      <Text color={theme.c("muted")}>pinned:</Text>
      {files.map((file, i) => (
        <Text key={file} inverse={i === selected} color={theme.c("accent")}>
          [@{file}]
        </Text>
      ))}
      {selected !== null && <Text color={theme.c("muted")}>Del removes · Tab next</Text>}
    </Box>
  );
}

export function QueueList({ queue, compact }: { queue: QueuedPrompt[]; compact: boolean }) {
  const theme = useTheme();
  if (queue.length === 0) return null;
  const shown = queue.slice(0, compact ? 1 : 3);
  return (
    <Box flexDirection="column">
      {shown.map((prompt, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: queue positions
        <Text key={i} color={theme.c("muted")} wrap="truncate-end">
          ⏳ queued {i + 1}: {prompt.text.split("\n")[0]}
        </Text>
      ))}
      {queue.length > shown.length && <Text color={theme.c("muted")}>… and {queue.length - shown.length} more</Text>}
    </Box>
  );
}
