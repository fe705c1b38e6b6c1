// The timeline of decisions and attacks (GET /api/v1/history), and the optional panels: attack reports
// (GET /api/v1/reports) and upstream announcements (GET /api/v1/upstream), hidden when the daemon has no such endpoint.
import { $, clockTime, duration, el, num } from './dom.js';

function item(at, tag, tagClass, text) {
  const li = el('li');
  const time = el('span', 'time', Number.isFinite(at) ? clockTime(at) : '');
  if (Number.isFinite(at)) time.title = new Date(at).toISOString();
  li.append(time, el('span', `tag ${tagClass}`, tag), el('span', 'what', text));
  return li;
}

/** History as one list, newest first: bans and their ends, attacks and their ends. */
export function timelineEntries(history) {
  const out = [];
  for (const d of history.decisions ?? []) {
    out.push({ at: Date.parse(d.createdAt), tag: 'ban', cls: 'ban', text: `${d.value} (${d.origin}${d.offence > 1 ? `, offence ${d.offence}` : ''}${d.dryRun ? ', dry run: not enforced' : ''}): ${d.reason}` });
    if (d.endedAt) {
      const unban = d.endKind === 'unban';
      out.push({ at: Date.parse(d.endedAt), tag: unban ? 'unban' : 'ended', cls: unban ? 'unban' : 'ended', text: `${d.value}${d.endedBy ? ` by ${d.endedBy}` : ''}` });
    }
  }
  for (const a of history.attacks ?? []) {
    out.push({ at: Date.parse(a.startedAt), tag: 'attack', cls: 'attack', text: `${a.kind}: ${a.summary}` });
    if (a.endedAt) out.push({ at: Date.parse(a.endedAt), tag: 'calm', cls: 'ended', text: `${a.kind} ended` });
  }
  return out.sort((x, y) => y.at - x.at).slice(0, 60);
}

export async function loadTimeline() {
  const res = await fetch('/api/v1/history?limit=40', { cache: 'no-store' });
  if (!res.ok) return;
  const entries = timelineEntries(await res.json());
  const list = $('timeline');
  list.replaceChildren(...entries.map((e) => item(e.at, e.tag, e.cls, e.text)));
  if (entries.length === 0) list.append(item(NaN, '', '', 'nothing decided yet'));
}

const pick = (o, keys) => keys.map((k) => o?.[k]).find((v) => v !== undefined && v !== null);
const scalars = (o) => Object.entries(o ?? {}).filter(([, v]) => ['string', 'number', 'boolean'].includes(typeof v));

/** A record of unknown shape in one line: its time, a tag and a few fields. */
function genericItem(o, timeKeys, tagKeys, textKeys) {
  const when = pick(o, timeKeys);
  const at = typeof when === 'number' ? when : Date.parse(when ?? '');
  const text = pick(o, textKeys) ?? scalars(o).slice(0, 4).map(([k, v]) => `${k}=${v}`).join(' ');
  return item(at, String(pick(o, tagKeys) ?? ''), '', String(text));
}

/**
 * Shows an optional panel when its endpoint exists (a 404 hides it: an older daemon, or a feature not built in).
 * Returns whether the endpoint answered.
 */
async function optionalPanel(path, panelId, listId, listKeys, render, show = () => true) {
  let res;
  try {
    res = await fetch(path, { cache: 'no-store' });
  } catch {
    return false;
  }
  const panel = $(panelId);
  if (!res.ok) {
    panel.hidden = true;
    return false;
  }
  const body = await res.json();
  if (!show(body)) {
    panel.hidden = true;
    return true;
  }
  const found = Array.isArray(body) ? body : listKeys.map((k) => body?.[k]).find(Array.isArray) ?? [];
  const items = found.slice(0, 20);
  const list = $(listId);
  list.replaceChildren(...items.map(render));
  if (items.length === 0) list.append(item(NaN, '', '', 'none'));
  panel.hidden = false;
  return true;
}

/** One attack report's headline: class, length, peak, bans, what the cookies did. */
function reportText(r) {
  const parts = [];
  if (typeof r.durationSeconds === 'number') parts.push(duration(r.durationSeconds * 1000));
  if (typeof r.peakHalfOpen === 'number') parts.push(`peak ${num(r.peakHalfOpen)} half-open`);
  if (typeof r.peakCookiesSentPerSecond === 'number') parts.push(`${num(r.peakCookiesSentPerSecond)} cookies/s`);
  if (typeof r.bans === 'number') parts.push(`${num(r.bans)} ban${r.bans === 1 ? '' : 's'}`);
  if (r.cookieVerdict) parts.push(`cookies: ${r.cookieVerdict}`);
  if (r.interrupted) parts.push('interrupted');
  return parts.length > 0 ? parts.join(', ') : null;
}

export function loadReports() {
  return optionalPanel('/api/v1/reports?offset=0&limit=10', 'reports-panel', 'reports', ['reports'], (r) => {
    const li = genericItem(r, ['startedAt', 'start', 'createdAt'], ['class', 'kind'], ['summary', 'title']);
    const text = reportText(r);
    if (text) li.lastChild.textContent = text;
    return li;
  });
}

/** One announcement: what (FlowSpec rate-limit or discard, RTBH), for which destination and port. */
function announcementText(a) {
  const where = pick(a, ['prefix', 'destination', 'value', 'route']);
  if (!where) return null;
  const port = typeof a.port === 'number' ? ` port ${a.port}` : '';
  const rate = typeof a.bytesPerSecond === 'number' ? `, at most ${num(a.bytesPerSecond)} B/s` : '';
  return `${where}${port}${rate}`;
}

export function loadUpstream() {
  return optionalPanel('/api/v1/upstream', 'upstream-panel', 'upstream', ['announcements', 'active', 'current'], (a) => {
    const li = genericItem(a, ['announcedAt', 'since', 'createdAt', 'at'], ['kind', 'step', 'type'], ['summary']);
    const text = announcementText(a);
    if (text && !a.summary) li.lastChild.textContent = text;
    return li;
  }, (body) => body?.enabled !== false || (body?.announcements ?? []).length > 0); // upstream off: nothing to show
}
