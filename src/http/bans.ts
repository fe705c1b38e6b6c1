// The bans endpoints: list (paginated), add (a manual ban, validated like `synguard ban`), remove (an unban).
import type { IncomingMessage } from 'node:http';
import { manualUnbanValue } from '../decide/index.js';
import { banByHand, listedBans, unbanByHand } from '../ops/bans.js';
import { jsonBody } from './body.js';
import { oneOf, readQuery, wholeNumber } from './query.js';
import type { HttpDeps } from './deps.js';
import { HttpError, json, type Reply } from './reply.js';
import { decisionJson } from './views.js';

export const MAX_PAGE = 1000;

/** ?offset&limit&order of a paged list (bans, reports). */
export const PAGE_QUERY = {
  offset: wholeNumber(0, 1e9, 0),
  limit: wholeNumber(0, MAX_PAGE, 100),
  order: oneOf(['asc', 'desc'], 'asc'),
};

/**
 * GET /bans?offset&limit&order: the active bans in id order (oldest first, or newest first with order=desc), with the
 * total; a dry run's decisions come after the real ones, flagged `dryRun: true`.
 */
export function listBans(deps: HttpDeps, query: Record<string, string>): Reply {
  const { offset, limit, order } = readQuery(query, PAGE_QUERY);
  const active = listedBans(deps.store, deps.now());
  const [from, to] = order === 'asc' ? [offset, offset + limit] : [Math.max(0, active.length - offset - limit), Math.max(0, active.length - offset)];
  const page = active.slice(from, to);
  if (order === 'desc') page.reverse();
  return json(200, { total: active.length, offset, limit, order, bans: page.map(decisionJson) });
}

/** POST /bans {value, for?, reason?}: 201 with the stored decision; 400 with manualBan's message otherwise. */
export async function addBan(deps: HttpDeps, req: IncomingMessage): Promise<Reply> {
  const body = await jsonBody(req, (await import('./ban-body.js')).banBody); // zod loads with the first POST
  const stored = banByHand({ store: deps.store, config: deps.config, allow: deps.allow(), now: deps.now() }, { target: body.value, for: body.for, reason: body.reason });
  deps.onChange?.();
  return json(201, decisionJson(stored));
}

/** DELETE /bans/:value (URL-encoded CIDR): 200 with the bans ended, 404 when none was active. */
export function removeBan(deps: HttpDeps, encoded: string): Reply {
  let text: string;
  try {
    text = decodeURIComponent(encoded);
  } catch {
    throw new HttpError(400, `"${encoded}" is not URL-encoded text (encode / as %2F: 198.51.100.0%2F24)`);
  }
  const value = manualUnbanValue(text);
  const ended = unbanByHand({ store: deps.store, now: deps.now() }, value, 'api');
  if (ended.length === 0) throw new HttpError(404, `no active ban on ${value}`);
  deps.onChange?.();
  return json(200, { unbanned: value, ended: ended.map(decisionJson) });
}
