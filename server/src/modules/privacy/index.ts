// What the job worker may use of privacy: the retention limits' purge.
export { purgeExpired, RETENTION_DAYS, type PurgeResult } from './retention.js';
