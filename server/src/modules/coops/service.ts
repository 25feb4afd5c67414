import type { Coop, CoopProfileBody, Photo, UpdateCoopBody } from '@tissu/shared';
import type { Db, Tx } from '@tissu/db';
import { requireActor, requireSteward, requireVerifiedEmail, type Actor } from '../../actor.js';
import { conflict, forbidden, notFound } from '../../errors.js';
import { canSeeCoop, requireCoopRole, roleOf } from './access.js';
import { enqueue } from '../notifications/index.js';
import { createPhotoReader, type CoopImages } from '../media/index.js';
import * as repo from './repository.js';
import { isUuid } from '../../lib/ids.js';
import { firstFreeSlug, looksLikeSlug, slugify } from './slug.js';

export interface Logger {
  error(obj: object, msg: string): void;
}

export interface CoopsDeps {
  db: Db;
  webOrigin: string;
  log: Logger;
  /** Wakes the outbox worker, so a queued email goes out now rather than within the minute. */
  wake?: () => void;
  /** Where photos' URLs start (default "/media"). */
  mediaBase?: string;
}

const NO_IMAGES: CoopImages = { logo: null, cover: null };

export function toCoop(row: repo.CoopWithCount, images: { logo: Photo | null; cover: Photo | null } = NO_IMAGES): Coop {
  return {
    id: row.id,
    slug: row.slug,
    legalName: row.legalName,
    legalForm: row.legalForm,
    neq: row.neq,
    region: row.region,
    languages: row.languages,
    descriptionFr: row.descriptionFr,
    descriptionEn: row.descriptionEn,
    commitments: row.commitments,
    foundedYear: row.foundedYear,
    status: row.status,
    decisionReason: row.decisionReason,
    decidedAt: row.decidedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    listingCount: row.listingCount,
    logo: images.logo,
    cover: images.cover,
  };
}

/** Applications one person may have waiting for a steward's decision at once. */
export const MAX_PENDING_APPLICATIONS = 3;

export function createCoopsService(deps: CoopsDeps) {
  const { db } = deps;
  const photos = createPhotoReader(deps.mediaBase ?? '/media');

  async function withImages(rows: repo.CoopWithCount[]): Promise<Coop[]> {
    if (rows.length === 0) return [];
    const images = await photos.imagesOfCoops(db, rows.map((r) => r.id));
    return rows.map((r) => toCoop(r, images.get(r.id)));
  }

  async function reload(id: string): Promise<Coop> {
    const row = await repo.findCoopById(db, id);
    if (!row) throw notFound('Co-op');
    return (await withImages([row]))[0]!;
  }

  async function decide(actor: Actor | null, id: string, status: 'approved' | 'rejected', reason: string | null): Promise<Coop> {
    const steward = requireSteward(actor);
    // The email is queued with the decision, so a crash right after the commit cannot lose it.
    const decided = await db.transaction(async (tx) => {
      const row = await repo.decidePendingCoop(tx, id, { status, decidedBy: steward.userId, decisionReason: reason });
      if (row) await enqueue(tx, `coop:${id}:decision:${row.createdBy}`, { type: 'coop_decision', message: status, coopId: id, recipientId: row.createdBy });
      return row;
    });
    if (!decided) {
      const existing = await repo.findCoopById(db, id);
      if (!existing) throw notFound('Co-op');
      throw conflict(`This co-op was already ${existing.status}; only pending applications can be decided`, 'not_pending');
    }
    deps.wake?.();
    return reload(id);
  }

  return {
    /**
     * The applicant becomes the co-op's first admin; the co-op waits for a steward's decision.
     * Like a booking, it needs a confirmed address, and one person has at most
     * MAX_PENDING_APPLICATIONS waiting. Applications by one person, and applications whose names
     * give the same slug, take turns (transaction locks), so the count holds under parallel
     * requests and each application picks a slug no one else is picking at that moment.
     */
    async apply(actor: Actor | null, body: CoopProfileBody): Promise<Coop> {
      const a = requireVerifiedEmail(actor);
      const base = slugify(body.legalName);
      const id = await db.transaction(async (tx) => {
        await repo.lockApplicant(tx, a.userId);
        if ((await repo.countPendingBy(tx, a.userId)) >= MAX_PENDING_APPLICATIONS) {
          throw conflict(
            `You already have ${MAX_PENDING_APPLICATIONS} applications waiting for a decision; wait for one before applying again`,
            'too_many_pending_applications',
          );
        }
        await repo.lockSlug(tx, base);
        const coop = await repo.insertCoop(tx, {
          slug: firstFreeSlug(base, await repo.slugsLike(tx, base)),
          legalName: body.legalName,
          legalForm: body.legalForm,
          neq: body.neq ?? null,
          region: body.region,
          languages: body.languages,
          descriptionFr: body.descriptionFr,
          descriptionEn: body.descriptionEn,
          commitments: body.commitments,
          foundedYear: body.foundedYear,
          createdBy: a.userId,
        });
        // Only a slug changed outside applications (none today) could still be taken.
        if (!coop) throw conflict('Another co-op took this name a moment ago; try again', 'conflict');
        await repo.insertMember(tx, { coopId: coop.id, userId: a.userId, role: 'admin' });
        return coop.id;
      });
      return reload(id);
    },

    /** Everyone sees approved co-ops; the pending and rejected queues are for stewards. */
    async list(actor: Actor | null, status: repo.CoopStatus = 'approved'): Promise<Coop[]> {
      if (status !== 'approved') {
        requireActor(actor);
        if (!actor?.isSteward) throw forbidden('Only platform stewards can see pending or rejected co-ops');
      }
      const rows = await repo.listCoopsByStatus(db, status);
      const coops = await withImages(rows);
      if (status === 'approved') return coops;
      // Stewards deciding an application need to know who applied, to reach them.
      const contacts = new Map((await repo.userContacts(db, [...new Set(rows.map((r) => r.createdBy).filter((id): id is string => !!id))])).map((u) => [u.id, u]));
      return rows.map((r, i) => {
        const who = r.createdBy ? contacts.get(r.createdBy) : undefined;
        return { ...coops[i]!, applicant: who ? { name: who.name, email: who.email } : null };
      });
    },

    async get(actor: Actor | null, idOrSlug: string): Promise<Coop> {
      const ref = idOrSlug.toLowerCase();
      const row = isUuid(ref) ? await repo.findCoopById(db, ref)
        : looksLikeSlug(ref) ? await repo.findCoopBySlug(db, ref)
        : undefined;
      if (!row || !canSeeCoop(row, actor, await roleOf(db, actor, row.id))) throw notFound('Co-op');
      return (await withImages([row]))[0]!;
    },

    /**
     * The slug stays as it was when the name changes: links to the co-op keep working. A move
     * runs `moved` in the same transaction (the flow carries the listings held at the premises along).
     */
    async update(actor: Actor | null, id: string, body: UpdateCoopBody, moved: (tx: Tx, region: string) => Promise<unknown>): Promise<Coop> {
      await requireCoopRole(db, actor, id, 'admin');
      const values: Partial<repo.CoopRow> = {};
      for (const [key, value] of Object.entries(body) as [keyof UpdateCoopBody, unknown][]) {
        if (value !== undefined) Object.assign(values, { [key]: value });
      }
      const { region } = values;
      if (Object.keys(values).length > 0) {
        await db.transaction(async (tx) => {
          await repo.updateCoop(tx, id, values);
          if (region !== undefined) await moved(tx, region);
        });
      }
      return reload(id);
    },

    approve: (actor: Actor | null, id: string) => decide(actor, id, 'approved', null),
    reject: (actor: Actor | null, id: string, reason: string) => decide(actor, id, 'rejected', reason),
  };
}

export type CoopsService = ReturnType<typeof createCoopsService>;
