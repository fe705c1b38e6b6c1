// JSON views of stored records: times as ISO 8601 text, the same fields as `synguard bans --json` and `history --json`.
import type { DecisionRecord, StoredEvent } from '../store/index.js';
import { iso } from '../core/format.js';

const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));

export function decisionJson(d: DecisionRecord) {
  return {
    id: d.id, value: d.value, scope: d.scope, action: d.action, reason: d.reason, origin: d.origin,
    createdAt: iso(d.createdAt), until: iso(d.until), offence: d.offence, evidence: d.evidence,
    endedAt: isoOrNull(d.endedAt), endedBy: d.endedBy, endKind: d.endKind, dryRun: d.dryRun,
  };
}

export function eventJson(e: StoredEvent) {
  return { id: e.id, kind: e.kind, summary: e.summary, startedAt: iso(e.startedAt), endedAt: isoOrNull(e.endedAt), detail: e.detail };
}
