// What `synguard upstream status --json` and GET /api/v1/upstream show: the config in force, the live state when the
// daemon runs in this process, the open announcements and the recent ones. Pure apart from the store read.
import type { Config } from '../config/schema.js';
import type { AnnouncementRecord } from '../store/announcements.js';
import type { Store } from '../store/index.js';
import type { UpstreamStatus } from './controller.js';
import { iso } from '../core/format.js';

export interface AnnouncementJson {
  readonly id: number;
  readonly kind: string;
  readonly prefix: string;
  readonly port: number | null;
  readonly bytesPerSecond: number | null;
  readonly origin: string;
  readonly reason: string;
  readonly evidence: readonly string[];
  readonly createdAt: string;
  readonly until: string;
  readonly endedAt: string | null;
  readonly endedBy: string | null;
  readonly endKind: string | null;
}


export function announcementJson(r: AnnouncementRecord): AnnouncementJson {
  return {
    id: r.id, kind: r.kind, prefix: r.prefix, port: r.port, bytesPerSecond: r.bytesPerSecond, origin: r.origin, reason: r.reason,
    evidence: r.evidence, createdAt: iso(r.createdAt), until: iso(r.until), endedAt: r.endedAt === null ? null : iso(r.endedAt),
    endedBy: r.endedBy, endKind: r.endKind,
  };
}

/** The upstream state for the API and the CLI; with no store (nothing recorded yet), no announcements. */
export function upstreamView(config: Config, store: Store | null, now: number, live: UpstreamStatus | null, recent = 20) {
  const cfg = config.upstream;
  const open = live?.announcements ?? store?.announcements.open() ?? [];
  return {
    enabled: cfg.enabled,
    dryRun: live?.dryRun ?? cfg.dryRun,
    ownNetworks: cfg.ownNetworks,
    steps: {
      rateLimit: cfg.steps.rateLimit.enabled, discard: cfg.steps.discard.enabled, rtbh: cfg.steps.rtbh.enabled,
    },
    peer: cfg.bgp.peer ?? null,
    live: live && { interface: live.interface, capacityBps: live.capacityBps, pressure: live.pressure, speaker: live.speaker, refused: live.refused },
    announcements: open.filter((r) => r.until > now).map(announcementJson),
    recent: (store?.announcements.history({ limit: recent }) ?? []).map(announcementJson),
  };
}
