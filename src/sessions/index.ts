/** The session store's public surface: what runtime/ and cli/ use. */
export { currentBranch, groupTurns, titleFromTask } from "./branch.js";
export { renderSessionMarkdown } from "./export-markdown.js";
export type { Session } from "./session.js";
export { SessionFormatError } from "./session-file.js";
export { createSessionStore, type SessionStore, summariseSession } from "./store.js";
export {
  SESSION_FORMAT_VERSION,
  type SessionEntry,
  type SessionHeader,
  type SessionList,
  type SessionMetaInput,
  type SessionSummary,
  type SessionTurn,
  type TurnRecord,
} from "./types.js";
