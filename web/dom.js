// Small DOM and formatting helpers. Data only ever reaches the page through textContent.

export const $ = (id) => document.getElementById(id);

/** A new element with an optional class and text. */
export function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = String(text);
  return e;
}

/** A table cell; numbers right-aligned. */
export function td(text, cls) {
  return el('td', cls, text);
}

/** Replaces a table body's rows; an empty list shows one muted row. */
export function fillRows(table, items, render, emptyText = 'none') {
  const body = table.tBodies[0];
  const rows = items.map(render);
  if (rows.length === 0) {
    const cell = td(emptyText, 'empty');
    cell.colSpan = table.tHead.rows[0].cells.length;
    const tr = el('tr');
    tr.append(cell);
    rows.push(tr);
  }
  body.replaceChildren(...rows);
}

export function row(...cells) {
  const tr = el('tr');
  tr.append(...cells);
  return tr;
}

const nf = new Intl.NumberFormat('en-US');
export function num(v) {
  if (v === null || v === undefined || Number.isNaN(v)) return '–';
  return nf.format(Math.round(v));
}

export function rate(v) {
  if (v === null || v === undefined) return '–';
  return v >= 100 ? nf.format(Math.round(v)) : nf.format(Math.round(v * 10) / 10);
}

/** "2h 03m", "4m 09s", "12s". */
export function duration(ms) {
  if (!(ms > 0)) return '0s';
  const s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
  const two = (n) => String(n).padStart(2, '0');
  if (d > 0) return `${d}d ${two(h)}h`;
  if (h > 0) return `${h}h ${two(m)}m`;
  if (m > 0) return `${m}m ${two(sec)}s`;
  return `${sec}s`;
}

export function clockTime(ms) {
  return new Date(ms).toLocaleTimeString('en-GB', { hour12: false });
}
