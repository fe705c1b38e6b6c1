// The store's public face: open it, then use its repositories.
export { looseModes, openStore, openStoreFrozen, openStoreIfPresent, DB_FILE, type Api, type Store, type StoreHealth } from './open.js';
export { DecisionRepo, type DecisionRecord, type EndKind, type EndRequest, type ListedBan } from './decisions.js';
export { SysctlRepo } from './sysctls.js';
export { EventRepo, type StoredEvent } from './events.js';
export { AnnouncementRepo, type AnnouncementRecord, type AnnouncementEndKind, type NewAnnouncement } from './announcements.js';
export { MIGRATIONS, SCHEMA_VERSION, migrate } from './migrations.js';
