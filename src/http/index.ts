// The HTTP layer's public face: the API and /metrics, the server that listens, and the token.
export { createApp, type App } from './app.js';
export { listenPolicy, startHttp, type HttpServer } from './server.js';
export { createMetrics, KERNEL_COUNTERS, type Metrics } from './metrics.js';
export { loadToken, TOKEN_FILE } from './token.js';
export type { HttpDeps } from './deps.js';
