// An upstream announcement as a record (FlowSpec rate-limit or discard, RTBH): what the store keeps and upstream/ sends.

export type AnnouncementKind = 'flowspec-rate-limit' | 'flowspec-discard' | 'rtbh';
export const KINDS: readonly AnnouncementKind[] = ['flowspec-rate-limit', 'flowspec-discard', 'rtbh'];

/** One announcement as the policy asks for it. */
export interface AnnouncementSpec {
  readonly kind: AnnouncementKind;
  /** The attacked address as a /32 or /128. */
  readonly prefix: string;
  /** The attacked TCP port for FlowSpec (null: any port); always null for RTBH. */
  readonly port: number | null;
  /** FlowSpec traffic-rate in bytes per second (rate-limit only). */
  readonly bytesPerSecond: number | null;
}
