// Pure SVG chart of a run: legitimate success rate and p99 connect latency over time, attack windows shaded, events marked.
import type { LabReport } from './report.js';

const W = 900;
const H = 420;
const L = 60;
const R = 70;
const T = 50;
const B = 60;

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const f = (n: number): string => n.toFixed(1);

/** Renders the report's buckets as a self-contained SVG document. */
export function timelineSvg(r: LabReport): string {
  const pw = W - L - R;
  const ph = H - T - B;
  const x = (ms: number): number => L + (pw * ms) / Math.max(1, r.durationMs);
  const ySucc = (pct: number): number => T + ph * (1 - pct / 100);
  const maxLat = Math.max(1, ...r.buckets.map((b) => b.p99Ms ?? 0));
  const yLat = (v: number): number => T + ph * (1 - Math.log10(1 + v) / Math.log10(1 + maxLat));
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
  parts.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  parts.push(`<text x="${L}" y="20" font-size="15" font-weight="bold">${esc(`synguard lab: ${r.scenario}`)}</text>`);
  parts.push(`<text x="${L}" y="38" fill="#555">${esc(r.description)}</text>`);
  for (const s of r.attack.steps) {
    parts.push(`<rect x="${f(x(s.start))}" y="${T}" width="${f(x(s.end) - x(s.start))}" height="${ph}" fill="#d62728" opacity="0.10"><title>${esc(s.label)}</title></rect>`);
  }
  r.phases.forEach((p, i) => {
    parts.push(`<line x1="${f(x(p.start))}" y1="${T}" x2="${f(x(p.start))}" y2="${T + ph}" stroke="#999" stroke-dasharray="2,3"/>`);
    parts.push(`<text x="${f(x(p.start) + 3)}" y="${T + 12 + (i % 4) * 12}" fill="#666" font-size="10">${esc(p.name)}</text>`);
  });
  for (const e of r.events.filter((ev) => ev.kind === 'defender' || ev.kind === 'change')) {
    const color = e.kind === 'defender' ? '#2ca02c' : '#9467bd';
    parts.push(`<line x1="${f(x(e.at))}" y1="${T}" x2="${f(x(e.at))}" y2="${T + ph}" stroke="${color}" stroke-width="2"><title>${esc(`${e.kind}: ${e.value}`)}</title></line>`);
    parts.push(`<text x="${f(x(e.at) + 3)}" y="${T + ph - 4}" fill="${color}" font-size="10">${esc(e.value)}</text>`);
  }
  const succ = r.buckets.filter((b) => b.attempts > 0).map((b) => `${f(x((b.start + b.end) / 2))},${f(ySucc((100 * b.succeeded) / b.attempts))}`);
  // p99 has gaps (no success in a bucket): start a new sub-path after each gap rather than bridging it
  let pen = 'M';
  const lat: string[] = [];
  for (const b of r.buckets) {
    if (b.p99Ms === null) {
      pen = 'M';
      continue;
    }
    lat.push(`${pen}${f(x((b.start + b.end) / 2))},${f(yLat(b.p99Ms))}`);
    pen = 'L';
  }
  parts.push(`<polyline points="${succ.join(' ')}" fill="none" stroke="#1f77b4" stroke-width="2.5"/>`);
  parts.push(`<path d="${lat.join(' ')}" fill="none" stroke="#ff7f0e" stroke-width="2"/>`);
  parts.push(`<rect x="${L}" y="${T}" width="${pw}" height="${ph}" fill="none" stroke="#333"/>`);
  for (const pct of [0, 50, 100]) parts.push(`<text x="${L - 6}" y="${f(ySucc(pct) + 4)}" text-anchor="end" fill="#1f77b4">${pct}%</text>`);
  for (const v of [0, Math.round(maxLat / 10), Math.round(maxLat)]) parts.push(`<text x="${L + pw + 6}" y="${f(yLat(v) + 4)}" fill="#ff7f0e">${v} ms</text>`);
  for (let s = 0; s * 1000 <= r.durationMs; s += Math.max(1, Math.ceil(r.durationMs / 10_000))) {
    parts.push(`<text x="${f(x(s * 1000))}" y="${T + ph + 16}" text-anchor="middle">${s}s</text>`);
  }
  const ly = H - 18;
  parts.push(`<text x="${L}" y="${ly}"><tspan fill="#1f77b4">━ legitimate success %</tspan>   <tspan fill="#ff7f0e">━ p99 connect latency (log)</tspan>   <tspan fill="#d62728">▇ attack on</tspan>   <tspan fill="#9467bd">│ victim change</tspan>   <tspan fill="#2ca02c">│ defender action</tspan></text>`);
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}
