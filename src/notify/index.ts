// Notifications: webhooks and command hooks fed by the daemon's events (docs/notify.md).
export { startNotifier, type Notifier } from './notifier.js';
export type { NotifyConfig } from '../config/notify.js';
export type { Message } from './messages.js';
