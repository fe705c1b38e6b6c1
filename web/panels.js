// The panels redrawn from each frame: the verdict, the headline numbers, listeners, the top talkers and the kernel
// meter's top SYN senders.
import { $, duration, el, fillRows, num, rate, row, td } from './dom.js';

const KIND_LABELS = {
  none: 'all calm',
  'syn-flood': 'SYN flood',
  'spoofed-syn-flood': 'spoofed SYN flood',
  'cookies-coping': 'SYN cookies coping',
  'connection-flood': 'connection flood',
  'weak-config': 'weak SYN defences',
};

export function renderVerdict(frame, serverNow) {
  const box = $('verdict');
  const v = frame.verdict;
  box.dataset.kind = v ? v.kind : 'unknown';
  $('verdict-kind').textContent = v ? (KIND_LABELS[v.kind] ?? v.kind) : 'no verdict yet';
  $('verdict-summary').textContent = v ? v.summary : 'the daemon needs two samples first';
  $('verdict-evidence').replaceChildren(...(v ? v.evidence : []).map((line) => el('li', '', line)));
  const m = frame.mitigated;
  if (m) {
    // The attack is held open but nothing floods now: say it is handled, not "all calm" beside an attack badge.
    box.dataset.kind = 'mitigated';
    const kind = KIND_LABELS[m.kind] ?? m.kind;
    const more = m.bannedCount > m.banned.length ? ` and ${m.bannedCount - m.banned.length} more` : '';
    $('verdict-kind').textContent = m.bannedCount > 0 ? 'mitigated' : 'subsiding';
    $('verdict-summary').textContent = m.bannedCount > 0
      ? `${kind} from ${m.banned.join(', ')}${more}: banned`
      : `${kind}: nothing floods now; the attack stays open until the calm-down passes`;
  }
  const attack = $('attack');
  attack.hidden = !frame.underAttack;
  attack.textContent = frame.underAttack
    ? frame.attackSince ? `attack for ${duration(serverNow - frame.attackSince)}` : 'attack'
    : '';
}

/** The banner's text while the store cannot write (null: no banner): the defence goes on, decisions wait in memory. */
export function storeBannerText(degraded, serverNow) {
  if (!degraded) return null;
  const since = degraded.since ? ` for ${duration(serverNow - degraded.since)}` : '';
  const held = `${num(degraded.held)} write${degraded.held === 1 ? '' : 's'} held in memory`;
  return `Store degraded${since}: ${degraded.error ?? 'writes fail'}. Still defending (bans reach the kernel); ${held}, written to disk once it can write again.`;
}

export function renderStore(frame, serverNow) {
  const text = storeBannerText(frame.storeDegraded, serverNow);
  const banner = $('store-banner');
  banner.hidden = text === null;
  banner.textContent = text ?? '';
}

export function renderKpis(frame) {
  const p = frame.point;
  // the newest point first, so the numbers match the chart's right edge
  $('kpi-synrecv').textContent = num(p?.synRecv ?? frame.totals?.halfOpen);
  $('kpi-established').textContent = num(p?.established ?? frame.totals?.established);
  $('kpi-sent').textContent = rate(p?.cookiesSent);
  $('kpi-recv').textContent = rate(p?.cookiesRecv);
  $('kpi-sources').textContent = num(frame.totals?.sources);
}

function queueBar(used, size) {
  const bar = el('div', 'bar');
  const fill = el('div', 'bar-fill');
  const share = size ? Math.min(used / size, 1) : 0;
  if (share >= 0.9) fill.classList.add('bad');
  else if (share >= 0.5) fill.classList.add('warn');
  fill.style.width = `${(share * 100).toFixed(1)}%`;
  const text = el('span', 'bar-text', size ? `${num(used)} / ${num(size)} (${Math.round(share * 100)}%)` : `${num(used)} / ?`);
  bar.append(fill, text);
  return bar;
}

export function renderTables(frame) {
  fillRows($('listeners'), frame.listeners, (l) => {
    const where = td(l.address.includes(':') ? `[${l.address}]:${l.port}` : `${l.address}:${l.port}`);
    const q = td('');
    q.append(queueBar(l.synRecv, l.backlog));
    return row(where, q, td(num(l.acceptQueue), 'num'));
  }, 'no listener');
  if (frame.moreListeners > 0) {
    const more = td(`and ${frame.moreListeners} more`, 'empty');
    more.colSpan = 3;
    $('listeners').tBodies[0].append(row(more));
  }
  fillRows($('sources'), frame.sources, (s) => row(td(s.address), td(num(s.synRecv), 'num'), td(num(s.established), 'num')), 'no half-open source');
  fillRows($('prefixes'), frame.prefixes, (p) => row(td(p.prefix), td(num(p.addresses), 'num'), td(num(p.synRecv), 'num'), td(num(p.established), 'num')));
  fillRows($('established'), frame.established, (s) => row(td(s.address), td(num(s.established), 'num'), td(num(s.synRecv), 'num')), 'no established source');
}

/**
 * One row of the kernel meter's panel: address, SYN/s, proven, dropped (yes/no, as the page shows them; a proven
 * client over its own limit: "its excess", see detection.synRate.proven).
 */
export function senderCells(s) {
  return [s.address, num(s.synPerSecond), s.proven ? 'yes' : 'no', s.dropped ? 'yes' : s.capped ? 'its excess' : 'no'];
}

/** The kernel meter's top SYN senders; the panel shows only while the meter reports some (never without a meter). */
export function renderSenders(frame) {
  const senders = frame.synSenders ?? [];
  const panel = $('senders-panel');
  panel.hidden = senders.length === 0;
  $('senders').dataset.rows = String(senders.length);
  if (senders.length === 0) return;
  fillRows($('senders'), senders, (s) => {
    const [address, syn, proven, dropped] = senderCells(s);
    return row(td(address), td(syn, 'num'), td(proven, s.proven ? 'good' : ''), td(dropped, s.dropped ? 'bad' : s.capped ? 'warn' : ''));
  });
}
