// The decide stage's public face: allow-list, ban policy, manual requests.
export { buildAllowList, LOOPBACK, type AllowEntry, type AllowList, type AllowListInputs, type AllowSource } from './allow-list.js';
export { decide, offenceValues, policyFor, SPOOFING_GUARD, type Offender, type PolicyInput, type PolicyResult, type Refusal } from './policy.js';
export { manualBan, manualUnbanValue, WIDEST, type ManualBanRequest, type ManualContext } from './manual.js';
export { banDuration } from './durations.js';
export { ActiveIndex } from './active-index.js';
export { formatDuration, parseDuration } from '../config/duration-text.js';
