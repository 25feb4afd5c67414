import { createHash, randomBytes } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import {
  DATA_EXPORT_DAYS, DATA_EXPORT_TOKEN, DATA_EXPORTS_PER_DAY, type DataExport, type DataExportList, type DataExportState,
} from '@tissu/shared';
import type { Db } from '@tissu/db';
import { requireActor, type Actor } from '../../actor.js';
import { HttpError, notFound, pgErrorCode } from '../../errors.js';
import { enqueue } from '../notifications/index.js';
import { buildArchive } from './archive.js';
import { gatherPersonData } from './gather.js';
import * as repo from './repository.js';

const DAY_MS = 86_400_000;
/** A build that fails this many times is marked failed (she is told on the page, and may ask again). */
const MAX_ATTEMPTS = 3;

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export function stateOf(r: repo.ExportSummary, now: Date): DataExportState {
  if (r.failedAt) return 'failed';
  if (!r.readyAt) return 'preparing';
  return r.deletedAt || (r.expiresAt && r.expiresAt <= now) ? 'expired' : 'ready';
}

function view(r: repo.ExportSummary, now: Date): DataExport {
  const state = stateOf(r, now);
  return {
    id: r.id, state, requestedAt: r.requestedAt.toISOString(), readyAt: r.readyAt?.toISOString() ?? null,
    expiresAt: r.expiresAt?.toISOString() ?? null, sizeBytes: state === 'ready' ? r.sizeBytes : null,
  };
}

export interface DataExportsDeps {
  db: Db;
  now?: () => Date;
  /** Tells the job worker a request is waiting (it also looks every minute). */
  kick?: () => void;
  log?: FastifyBaseLogger;
}

/**
 * "Download my data": a person asks (one request prepared at a time, DATA_EXPORTS_PER_DAY a day);
 * the job builds her archive in one snapshot of the database and emails her a link; the link
 * downloads it for her alone, signed in, for DATA_EXPORT_DAYS days; then a job deletes it.
 */
export function createDataExports({ db, now = () => new Date(), kick = () => {}, log }: DataExportsDeps) {
  async function nextRequestAt(userId: string, at: Date): Promise<Date | null> {
    const recent = await repo.requestsSince(db, userId, new Date(at.getTime() - DAY_MS));
    return recent.length >= DATA_EXPORTS_PER_DAY ? new Date(recent[recent.length - DATA_EXPORTS_PER_DAY]!.requestedAt.getTime() + DAY_MS) : null;
  }

  /** The link's request, hers and still there; 404 for anyone else's (or none), 410 once expired. */
  async function linkedRow(actor: Actor | null, token: string, at: Date) {
    const a = requireActor(actor);
    if (!DATA_EXPORT_TOKEN.test(token)) throw notFound('Archive');
    const row = await repo.byTokenHash(db, hashToken(token));
    if (!row || row.userId !== a.userId) throw notFound('Archive');
    if (stateOf(row, at) !== 'ready' || !row.archive) throw new HttpError(410, 'export_expired', 'This archive has expired and was deleted; ask for a new one');
    return row;
  }

  return {
    async list(actor: Actor | null): Promise<DataExportList> {
      const a = requireActor(actor);
      const at = now();
      const rows = await repo.exportsOf(db, a.userId);
      return { exports: rows.map((r) => view(r, at)), nextRequestAt: (await nextRequestAt(a.userId, at))?.toISOString() ?? null };
    },

    async request(actor: Actor | null): Promise<DataExport> {
      const a = requireActor(actor);
      const at = now();
      const row = await db.transaction(async (tx) => {
        await repo.lockPerson(tx, a.userId);
        const recent = await repo.requestsSince(tx, a.userId, new Date(at.getTime() - DAY_MS));
        if (recent.length >= DATA_EXPORTS_PER_DAY) {
          const retry = Math.max(1, Math.ceil((recent[recent.length - DATA_EXPORTS_PER_DAY]!.requestedAt.getTime() + DAY_MS - at.getTime()) / 1000));
          throw new HttpError(429, 'export_limit_reached', `At most ${DATA_EXPORTS_PER_DAY} archives a day; try again later`, undefined, { 'retry-after': String(retry) });
        }
        try {
          return await repo.insertRequest(tx, a.userId, at);
        } catch (err) {
          if (pgErrorCode(err) === '23505') throw new HttpError(409, 'export_in_progress', 'Your archive is being prepared: wait for the email');
          throw err;
        }
      });
      kick();
      return view(row, at);
    },

    /** What an emailed link opens, said before downloading: the same checks as the download. */
    async linked(actor: Actor | null, token: string): Promise<DataExport> {
      const at = now();
      return view(await linkedRow(actor, token, at), at);
    },

    /** The archive behind an emailed link, for its owner only: anyone else's (or no) request answers 404. */
    async download(actor: Actor | null, token: string): Promise<{ archive: Buffer; requestedAt: Date }> {
      const row = await linkedRow(actor, token, now());
      return { archive: row.archive!, requestedAt: row.requestedAt };
    },

    /** The job: builds the waiting archives, each in its own snapshot, and queues its email. */
    async buildPending(max = 20): Promise<{ built: number; failed: number }> {
      const result = { built: 0, failed: 0 };
      for (let i = 0; i < max; i++) {
        let claimed: string | undefined;
        try {
          const done = await db.transaction(async (tx) => {
            const row = await repo.claimPending(tx);
            if (!row) return false;
            claimed = row.id;
            const data = await gatherPersonData(tx, row.userId);
            if (!data) return false;
            const at = now();
            const archive = Buffer.from(buildArchive(data, data.account.locale === 'en' ? 'en' : 'fr', at));
            const token = randomBytes(32).toString('base64url');
            await repo.markReady(tx, row.id, { archive, tokenHash: hashToken(token), readyAt: at, expiresAt: new Date(at.getTime() + DATA_EXPORT_DAYS * DAY_MS) });
            await enqueue(tx, `data_export:${row.id}`, { type: 'data_export', message: 'ready', exportId: row.id, recipientId: row.userId, token });
            return true;
          }, { isolationLevel: 'repeatable read' });
          if (!done) break;
          result.built++;
        } catch (err) {
          if (!claimed) throw err;
          result.failed++;
          log?.error({ err, exportId: claimed }, 'data export could not be built');
          await repo.markAttemptFailed(db, claimed, now(), MAX_ATTEMPTS);
        }
      }
      return result;
    },

    /** The job: archives past their expiry are deleted (the request stays, its link then says expired). */
    async deleteExpired(): Promise<number> {
      return repo.deleteExpired(db, now());
    },
  };
}

export type DataExports = ReturnType<typeof createDataExports>;
