/**
 * The 1,500-line fixture file (src/ledger.ts), generated so the repository does not
 * carry it: a types header, then many small ledger functions built from a few
 * templates, with `reconcileAccount` (what task 07 asks about) about 60% of the way in.
 * Deterministic: the same text on every run.
 */

export const LEDGER_LINES = 1500;

const VERBS = ["sum", "count", "list", "audit", "export", "adjust", "archive", "verify", "rebuild", "summarise"];
const NOUNS = ["Deposits", "Withdrawals", "Fees", "Refunds", "Transfers", "Invoices", "Credits", "Payouts"];
const KINDS = ["deposit", "withdrawal", "fee", "refund", "transfer", "invoice", "credit", "payout"];

const HEADER = `import { createHash } from "node:crypto";

export type EntryKind = ${KINDS.map((k) => `"${k}"`).join(" | ")};

export interface Entry {
  id: string;
  kind: EntryKind;
  amountCents: number;
  postedAt: number;
  memo?: string;
  reconciled?: boolean;
}

export interface Account {
  id: string;
  currency: string;
  frozen: boolean;
  entries: Entry[];
}

export interface Ledger {
  accounts: Map<string, Account>;
  closedPeriods: Period[];
}

export interface Period {
  start: number;
  end: number;
}

export interface StatementLine {
  reference: string;
  amountCents: number;
  bookedAt: number;
}

export interface ReconcileResult {
  status: "reconciled" | "partial" | "skipped";
  reason?: string;
  matched: number;
}

export class LedgerError extends Error {}

const DAY_MS = 86_400_000;

function accountOf(ledger: Ledger, accountId: string): Account {
  const account = ledger.accounts.get(accountId);
  if (!account) {
    throw new LedgerError(\`unknown account \${accountId}\`);
  }
  return account;
}
`;

const RECONCILE = `
/** Matches an account's unreconciled entries against a bank statement, by amount and date. */
export function reconcileAccount(ledger: Ledger, accountId: string, statement: StatementLine[]): ReconcileResult {
  const account = accountOf(ledger, accountId);
  if (account.frozen) {
    return { status: "skipped", reason: "account-frozen", matched: 0 };
  }
  const open = account.entries.filter((entry) => !entry.reconciled);
  let matched = 0;
  for (const line of statement) {
    const hit = open.find(
      (entry) => entry.amountCents === line.amountCents && Math.abs(entry.postedAt - line.bookedAt) <= 3 * DAY_MS,
    );
    if (!hit) continue;
    hit.reconciled = true;
    hit.memo = hit.memo ?? \`bank \${line.reference}\`;
    open.splice(open.indexOf(hit), 1);
    matched += 1;
  }
  return { status: open.length === 0 ? "reconciled" : "partial", matched };
}
`;

type Template = (name: string, kind: string, i: number) => string;

const TEMPLATES: Template[] = [
  (name, kind, i) => `
/** Total of the ${kind} entries of an account within a period, in cents. */
export function ${name}(ledger: Ledger, accountId: string, period: Period): number {
  const account = accountOf(ledger, accountId);
  let total = 0;
  for (const entry of account.entries) {
    if (entry.postedAt < period.start || entry.postedAt >= period.end) continue;
    if (entry.kind !== "${kind}") continue;
    total += entry.amountCents;
  }
  if (total > ${1000 * (i + 1)}_00) {
    total = Math.round(total * ${(1 - (i % 5) / 100).toFixed(2)});
  }
  return total;
}
`,
  (name, kind, i) => `
/** The ${kind} entries of an account, newest first, at most \`limit\` of them. */
export function ${name}(ledger: Ledger, accountId: string, limit = ${10 + (i % 7) * 5}): Entry[] {
  const account = accountOf(ledger, accountId);
  if (account.frozen) {
    throw new LedgerError(\`account \${accountId} is frozen\`);
  }
  return account.entries
    .filter((entry) => entry.kind === "${kind}")
    .sort((a, b) => b.postedAt - a.postedAt)
    .slice(0, limit);
}
`,
  (name, kind, i) => `
/** Checks the ${kind} entries of every account; returns the ids that look wrong. */
export function ${name}(ledger: Ledger): string[] {
  const suspicious: string[] = [];
  for (const account of ledger.accounts.values()) {
    for (const entry of account.entries) {
      if (entry.kind !== "${kind}") continue;
      if (entry.amountCents === 0 || Math.abs(entry.amountCents) > ${50 + i}_000_00) {
        suspicious.push(entry.id);
        continue;
      }
      const closed = ledger.closedPeriods.some((p) => entry.postedAt >= p.start && entry.postedAt < p.end);
      if (closed && !entry.reconciled) suspicious.push(entry.id);
    }
  }
  return suspicious;
}
`,
  (name, kind, i) => `
/** A stable fingerprint of an account's ${kind} entries, for change detection. */
export function ${name}(ledger: Ledger, accountId: string): string {
  const account = accountOf(ledger, accountId);
  const hash = createHash("sha256");
  hash.update(\`${kind}:\${account.currency}:${i}\`);
  for (const entry of account.entries) {
    if (entry.kind !== "${kind}") continue;
    hash.update(\`\${entry.id}|\${entry.amountCents}|\${entry.postedAt}\`);
  }
  return hash.digest("hex").slice(0, ${8 + (i % 4) * 4});
}
`,
];

/** Exactly LEDGER_LINES lines, ending with a newline. */
export function ledgerSource(): string {
  const parts = [HEADER];
  let lines = HEADER.split("\n").length - 1;
  const reconcileAt = Math.round(LEDGER_LINES * 0.6);
  const reconcileLines = RECONCILE.split("\n").length - 1;
  const footer = "\nexport const LEDGER_VERSION = 3;\n";
  const footerLines = footer.split("\n").length - 1;
  let placed = false;
  for (let i = 0; ; i++) {
    if (!placed && lines >= reconcileAt) {
      parts.push(RECONCILE);
      lines += reconcileLines;
      placed = true;
    }
    const noun = Math.floor(i / VERBS.length) % NOUNS.length;
    const name = `${VERBS[i % VERBS.length]}${NOUNS[noun]}${i >= VERBS.length * NOUNS.length ? i : ""}`;
    const chunk = TEMPLATES[i % TEMPLATES.length](name, KINDS[noun], i);
    const chunkLines = chunk.split("\n").length - 1;
    if (lines + chunkLines + footerLines > LEDGER_LINES) break;
    parts.push(chunk);
    lines += chunkLines;
  }
  // Pad with constants so the file has exactly LEDGER_LINES lines.
  for (let k = 0; lines + footerLines < LEDGER_LINES; k++, lines++)
    parts.push(`export const LIMIT_${k} = ${k * 250};\n`);
  parts.push(footer);
  return parts.join("");
}
