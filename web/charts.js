// The two 15-minute charts (uPlot, loaded as the global `uPlot` from /assets/uplot.js): sockets, and SYN cookies.
// Attack periods are shaded. The sockets chart's container carries data-* summaries for tests and scripts.

const WINDOW_S = 15 * 60;
const COLORS = { synRecv: '#c53030', established: '#2b6cb0', sent: '#dd6b20', recv: '#1f8a4c' };

/** The columns as received (times in ms), trimmed to the window, converted to seconds for uPlot. */
export class Series {
  constructor() {
    this.t = []; this.synRecv = []; this.established = []; this.sent = []; this.recv = []; this.attack = [];
  }

  reset(cols) {
    this.t = cols.t.map((ms) => ms / 1000);
    this.synRecv = cols.synRecv.slice();
    this.established = cols.established.slice();
    this.sent = cols.cookiesSent.slice();
    this.recv = cols.cookiesRecv.slice();
    this.attack = cols.attack.slice();
  }

  push(p) {
    const t = p.t / 1000;
    const last = this.t[this.t.length - 1];
    if (last !== undefined && t <= last) return false;
    this.t.push(t); this.synRecv.push(p.synRecv); this.established.push(p.established);
    this.sent.push(p.cookiesSent); this.recv.push(p.cookiesRecv); this.attack.push(p.attack);
    let drop = 0;
    while (drop < this.t.length && this.t[drop] < t - WINDOW_S) drop++;
    if (drop > 0) for (const k of ['t', 'synRecv', 'established', 'sent', 'recv', 'attack']) this[k].splice(0, drop);
    return true;
  }
}

/** Shades the runs of points taken during an attack, behind the lines. */
function attackBands(series) {
  return (u) => {
    const { ctx } = u;
    const { top, height } = u.bbox;
    ctx.save();
    ctx.fillStyle = 'rgba(197, 48, 48, 0.10)';
    let start = null;
    const n = series.t.length;
    for (let i = 0; i <= n; i++) {
      const on = i < n && series.attack[i] === 1;
      if (on && start === null) start = i;
      if (!on && start !== null) {
        const x0 = u.valToPos(series.t[start], 'x', true);
        const x1 = u.valToPos(series.t[Math.min(i, n - 1)], 'x', true);
        ctx.fillRect(x0, top, Math.max(x1 - x0, 2), height);
        start = null;
      }
    }
    ctx.restore();
  };
}

/** 14:05 on the minute, 14:05:30 between. */
function timeLabel(seconds) {
  const d = new Date(seconds * 1000);
  const two = (n) => String(n).padStart(2, '0');
  const hm = `${two(d.getHours())}:${two(d.getMinutes())}`;
  return d.getSeconds() === 0 ? hm : `${hm}:${two(d.getSeconds())}`;
}

function chart(container, series, lines) {
  const opts = {
    width: Math.max(container.clientWidth, 300),
    height: 220,
    scales: { x: { time: true }, y: { range: (_u, min, max) => [0, Math.max(max * 1.1, 10)] } },
    series: [{}, ...lines.map((l) => ({ label: l.label, stroke: l.color, width: 2, fill: l.fill, spanGaps: false, points: { show: false } }))],
    axes: [{ stroke: '#6b7280', values: (_u, splits) => splits.map(timeLabel) }, { stroke: '#6b7280', size: 56 }],
    legend: { live: false },
    cursor: { drag: { x: false, y: false } },
    hooks: { drawClear: [attackBands(series)] },
  };
  return new uPlot(opts, [[]], container); // the global of the IIFE build (/assets/uplot.js)
}

export class Charts {
  constructor(socketsEl, cookiesEl) {
    this.series = new Series();
    this.socketsEl = socketsEl;
    this.sockets = chart(socketsEl, this.series, [
      { label: 'SYN_RECV', color: COLORS.synRecv, fill: 'rgba(197, 48, 48, 0.08)' },
      { label: 'ESTABLISHED', color: COLORS.established },
    ]);
    this.cookies = chart(cookiesEl, this.series, [
      { label: 'sent /s', color: COLORS.sent },
      { label: 'returned /s', color: COLORS.recv },
    ]);
    let pending = 0;
    window.addEventListener('resize', () => {
      cancelAnimationFrame(pending);
      pending = requestAnimationFrame(() => {
        for (const [c, e] of [[this.sockets, socketsEl], [this.cookies, cookiesEl]]) c.setSize({ width: Math.max(e.clientWidth, 300), height: 220 });
      });
    });
  }

  reset(cols) {
    this.series.reset(cols);
    this.draw();
  }

  push(point) {
    if (this.series.push(point)) this.draw();
  }

  draw() {
    const s = this.series;
    this.sockets.setData([s.t, s.synRecv, s.established]);
    this.cookies.setData([s.t, s.sent, s.recv]);
    const d = this.socketsEl.dataset;
    d.points = String(s.t.length);
    d.synrecvLast = String(s.synRecv[s.synRecv.length - 1] ?? 0);
    d.synrecvMax = String(s.synRecv.reduce((a, b) => Math.max(a, b), 0));
  }
}
