// The active-bans panel: one page at a time from GET /api/v1/bans (never the whole list: there may be 100k),
// newest first, time left counting down, and an unban button that asks for the API token once per tab.
import { $, duration, fillRows, num, row, td, el } from './dom.js';

const TOKEN_KEY = 'synguard-token';
const LIMIT = 50;
/** What each origin means, as the origin cell's tooltip. */
export const ORIGINS = {
  auto: "found by the daemon's detection",
  manual: 'banned by an operator (CLI or API)',
  kernel: 'dropped first by the kernel SYN-rate meter, then confirmed by the daemon',
  crowdsec: 'pulled from a CrowdSec Local API (docs/fleet.md)',
};
const DRY_RUN = 'a dry run decided this: recorded for review, not enforced (docs/dashboard.md)';

export class Bans {
  /** `serverNow()` is the daemon's clock as the page estimates it. */
  constructor(serverNow) {
    this.serverNow = serverNow;
    this.page = 0; // 0 is the newest page
    this.total = null;
    this.cells = []; // [td, untilMs] for the countdown
    this.seq = 0;
    this.pendingUnban = null;
    $('bans-prev').addEventListener('click', () => this.go(this.page - 1));
    $('bans-next').addEventListener('click', () => this.go(this.page + 1));
    $('token-form').addEventListener('submit', (e) => {
      e.preventDefault();
      const token = $('token-input').value.trim();
      if (!token) return;
      sessionStorage.setItem(TOKEN_KEY, token);
      $('token-input').value = '';
      $('token-form').hidden = true;
      const value = this.pendingUnban;
      this.pendingUnban = null;
      if (value) void this.unban(value);
    });
    $('token-cancel').addEventListener('click', () => {
      this.pendingUnban = null;
      $('token-form').hidden = true;
    });
  }

  pages() {
    return Math.max(1, Math.ceil((this.total ?? 0) / LIMIT));
  }

  go(page) {
    this.page = Math.min(Math.max(page, 0), this.pages() - 1);
    void this.load();
  }

  async fetchPage(page) {
    const res = await fetch(`/api/v1/bans?order=desc&offset=${page * LIMIT}&limit=${LIMIT}`, { cache: 'no-store' });
    if (!res.ok) throw new Error(`bans: HTTP ${res.status}`);
    return res.json();
  }

  async load() {
    const seq = ++this.seq;
    try {
      let body = await this.fetchPage(this.page);
      this.total = body.total;
      // The list shrank under the page we were on: show the last page there is now.
      if (this.page > this.pages() - 1) {
        this.page = this.pages() - 1;
        body = await this.fetchPage(this.page);
      }
      if (seq !== this.seq) return;
      this.total = body.total;
      this.render(body.bans);
    } catch (err) {
      if (seq === this.seq) this.message(`cannot list the bans: ${err.message}`);
    }
  }

  render(bans) {
    const total = this.total ?? 0;
    $('kpi-bans').textContent = num(total);
    $('bans-total').textContent = `${num(total)} in all`;
    $('bans-page').textContent = total === 0 ? '' : `page ${this.page + 1} of ${num(this.pages())}`;
    $('bans-prev').disabled = this.page === 0;
    $('bans-next').disabled = this.page >= this.pages() - 1;
    $('bans').dataset.rows = String(bans.length);
    this.cells = [];
    fillRows($('bans'), bans, (b) => {
      const left = td('', 'num');
      this.cells.push([left, Date.parse(b.until)]);
      const button = el('button', '', 'unban');
      button.type = 'button';
      button.addEventListener('click', () => void this.unban(b.value));
      const action = td('');
      action.append(button);
      const reason = td(b.reason);
      reason.title = b.reason;
      const origin = td(b.dryRun ? `${b.origin} · dry run` : b.origin, b.dryRun ? 'dry-run' : '');
      origin.title = b.dryRun ? DRY_RUN : (ORIGINS[b.origin] ?? '');
      return row(td(b.value), origin, reason, left, action);
    }, 'no active ban');
    this.countdown();
    // When the first page of bans was on screen (docs/dashboard.md quotes it with 100k bans).
    if (performance.getEntriesByName('bans-rendered').length === 0) performance.mark('bans-rendered');
  }

  /** Redraws the time left (every second, from the page's estimate of the daemon's clock). */
  countdown() {
    const now = this.serverNow();
    for (const [cell, until] of this.cells) cell.textContent = duration(until - now);
  }

  message(text) {
    const m = $('bans-message');
    m.textContent = text ?? '';
    m.hidden = !text;
  }

  async unban(value) {
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (!token) {
      this.pendingUnban = value;
      $('token-form').hidden = false;
      $('token-input').focus();
      return;
    }
    const res = await fetch(`/api/v1/bans/${encodeURIComponent(value)}`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
    if (res.status === 401 || res.status === 403) {
      sessionStorage.removeItem(TOKEN_KEY);
      this.pendingUnban = value;
      $('token-form').hidden = false;
      this.message('the token was refused: enter it again');
      return;
    }
    const body = await res.json().catch(() => ({}));
    this.message(res.ok ? null : `unban ${value}: ${body.error ?? `HTTP ${res.status}`}`);
    await this.load();
  }
}
