// The dashboard: one Server-Sent Events stream (/api/v1/stream) feeds the verdict, the numbers, the charts and the
// tables (the kernel meter's top SYN senders among them) about once a second; the lists (bans, timeline, reports,
// upstream) are fetched when the stream says they changed, and every 10 seconds.
import { $, clockTime, duration } from './dom.js';
import { Charts } from './charts.js';
import { renderKpis, renderSenders, renderStore, renderTables, renderVerdict } from './panels.js';
import { Bans } from './bans.js';
import { loadReports, loadTimeline, loadUpstream } from './lists.js';

let skew = 0; // the daemon's clock minus ours, from the frames
const serverNow = () => Date.now() + skew;
let lastFrameAt = 0;
let lastFrame = null;
let endpoints = {};

const charts = new Charts($('chart-sockets'), $('chart-cookies'));
const bans = new Bans(serverNow);

function state(name, text) {
  document.body.dataset.state = name;
  $('conn').textContent = text;
}

function onFrame(frame) {
  skew = frame.at - Date.now();
  lastFrameAt = Date.now();
  lastFrame = frame;
  state('live', 'live');
  renderVerdict(frame, serverNow());
  renderStore(frame, serverNow());
  renderKpis(frame);
  renderTables(frame);
  renderSenders(frame);
  if (frame.point) charts.push(frame.point);
}

let listsTimer = 0;
function refreshLists(delayMs = 250) {
  clearTimeout(listsTimer);
  listsTimer = setTimeout(() => {
    void bans.load();
    void loadTimeline();
    if (endpoints.reports) void loadReports();
    if (endpoints.upstream) void loadUpstream();
  }, delayMs);
}

function connect() {
  const source = new EventSource('/api/v1/stream');
  source.addEventListener('open', () => state('live', 'live'));
  let first = true;
  source.addEventListener('history', (e) => {
    const hello = JSON.parse(e.data);
    endpoints = hello.endpoints ?? {};
    charts.reset(hello.series);
    onFrame(hello.frame);
    if (!first) return refreshLists(0); // a reconnect: things may have changed meanwhile
    first = false;
    if (endpoints.reports) void loadReports();
    if (endpoints.upstream) void loadUpstream();
  });
  source.addEventListener('tick', (e) => onFrame(JSON.parse(e.data)));
  source.addEventListener('change', () => refreshLists());
  source.addEventListener('error', () => state('down', source.readyState === EventSource.CLOSED ? 'disconnected' : 'reconnecting…'));
}

setInterval(() => {
  $('clock').textContent = clockTime(serverNow());
  bans.countdown();
  if (lastFrame) renderVerdict(lastFrame, serverNow());
  if (document.body.dataset.state === 'live' && lastFrameAt && Date.now() - lastFrameAt > 5000) {
    $('conn').textContent = `no data for ${duration(Date.now() - lastFrameAt)}`;
  }
}, 1000);
setInterval(() => refreshLists(0), 10_000);

// The lists do not wait for the stream: bans and history are fetched at once.
void bans.load();
void loadTimeline();
connect();
