import {
  CreateListingBody,
  fieldError,
  fieldErrorsOf,
  LISTING_STATUSES,
  type Listing,
  type ListingDetail,
  type ListingStatus,
  type SearchQuery,
  type SearchResult,
  type UpdateListingBody,
} from '@tissu/shared';
import type { Db, Tx } from '@tissu/db';
import { requireActor, type Actor } from '../../actor.js';
import { badRequest, conflict, forbidden, notFound } from '../../errors.js';
import { canSeeCoop, findCoopById, looksLikeSlug, type MemberRole, requireCoopRole, roleOf } from '../coops/index.js';
import { createPhotoReader } from '../media/index.js';
import { createCursorCodec } from './cursor.js';
import { toListing, toQuestion } from './dto.js';
import { questionsOfListing } from './questions-repository.js';
import * as repo from './repository.js';
import { searchListings, type Keyset, type SearchFilters, type SearchOrder } from './search-repository.js';
import { searchText } from './search-text.js';
import { addonsFor } from './addons-repository.js';
import { isUuid } from '../../lib/ids.js';

export interface ListingsDeps {
  db: Db;
  /** Signs search cursors so an edited one is refused. */
  cursorSecret: string;
  /** Where photos' URLs start (default "/media", served by the API). */
  mediaBase?: string;
}

/**
 * The one rule for seeing a listing: an active listing of an approved co-op is public. A paused or
 * archived one (or one of a co-op not approved) is seen by its co-op's members, the stewards, and
 * the clients who have a booking on it (their booking still points at it); anyone else gets the
 * same 404 as for a listing that does not exist.
 */
export async function canSeeListing(db: Tx, row: repo.ListingWithCoop, actor: Actor | null, role: MemberRole | undefined): Promise<boolean> {
  if (row.coop.status === 'approved' && row.status === 'active') return true;
  if (!actor) return false;
  if (actor.isSteward || role !== undefined) return true;
  return repo.hasBookingOn(db, row.id, actor.userId);
}

/** Who sees a co-op's paused and archived listings in its list: its members and the stewards. */
const seesHiddenListings = (actor: Actor | null, role: MemberRole | undefined) => Boolean(actor?.isSteward) || role !== undefined;


const defined = <T extends object>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

function editableFields(row: repo.ListingWithCoop) {
  const { titleFr, titleEn, descriptionFr, descriptionEn, category, priceKind, priceCents, durationMinutes, locationMode, boroughs, solidarityPriceCents, quoteMode, depositPercent } = row;
  return { titleFr, titleEn, descriptionFr, descriptionEn, category, priceKind, priceCents, durationMinutes, locationMode, boroughs, solidarityPriceCents, quoteMode, depositPercent };
}

/**
 * `boroughs` says where a listing can happen, which is what the borough filter searches (through
 * its GIN index): the boroughs served at the client's place, or the co-op's region for a listing
 * held at its premises (kept in step when the co-op moves).
 */
function placed<T extends { locationMode: string; boroughs: string[] }>(listing: T, coopRegion: string): T {
  return listing.locationMode === 'at_coop' ? { ...listing, boroughs: [coopRegion] } : listing;
}

function coopRef(ref: string): SearchFilters['coop'] {
  const r = ref.toLowerCase();
  if (isUuid(r)) return { id: r };
  if (looksLikeSlug(r)) return { slug: r };
  throw badRequest('Some fields are not valid', { coop: [fieldError('invalid_coop')] });
}

export function createListingsService(deps: ListingsDeps) {
  const { db } = deps;
  const cursors = createCursorCodec(deps.cursorSecret);
  const photos = createPhotoReader(deps.mediaBase ?? '/media');

  /** Listings as answers, with their photos and their co-ops' covers: one more query for any number. */
  async function withPhotos(rows: repo.ListingWithCoop[]): Promise<Listing[]> {
    if (rows.length === 0) return [];
    const cards = await photos.forCards(db, rows);
    return rows.map((r) => toListing(r, cards.photos.get(r.id) ?? [], cards.covers.get(r.coopId) ?? null));
  }

  /** One listing as its own answer: with its photos and its booking questions (lists and search leave the questions out). */
  async function single(row: repo.ListingWithCoop): Promise<Listing> {
    const [listing, questions] = await Promise.all([withPhotos([row]), questionsOfListing(db, row.id)]);
    return { ...listing[0]!, questions: questions.map(toQuestion) };
  }

  async function load(id: string): Promise<Listing> {
    const row = await repo.findListing(db, id);
    if (!row) throw notFound('Listing');
    return single(row);
  }

  return {
    async create(actor: Actor | null, coopId: string, body: CreateListingBody): Promise<Listing> {
      const { coop } = await requireCoopRole(db, actor, coopId, 'admin');
      if (coop.status !== 'approved') {
        throw conflict('This co-op can publish listings once a steward has approved its application', 'coop_not_approved');
      }
      const id = await db.transaction(async (tx) => {
        const region = await repo.lockCoopRegion(tx, coopId);
        if (region === undefined) throw notFound('Co-op');
        return repo.insertListing(tx, placed({ ...body, coopId, solidarityPriceCents: body.solidarityPriceCents ?? null }, region));
      });
      return load(id);
    },

    /**
     * A change is checked against the whole listing it produces (a new price below the solidarity
     * price, a switch to the client's place with no borough), under a row lock so two edits
     * cannot combine into an invalid listing. Archiving is final. A listing that leaves the co-op's
     * premises does not keep the co-op's region as a borough served unless the change says so.
     */
    async update(actor: Actor | null, id: string, body: UpdateListingBody): Promise<Listing> {
      const a = requireActor(actor);
      await db.transaction(async (tx) => {
        // The co-op first, then the listing: the order a co-op's move takes them in.
        const coopId = (await repo.findListing(tx, id))?.coopId;
        const region = coopId && (await repo.lockCoopRegion(tx, coopId));
        const row = await repo.findListing(tx, id, true);
        if (!row || !region) throw notFound('Listing');
        const role = await roleOf(tx, a, row.coopId);
        if (role !== 'admin') {
          if (!(await canSeeListing(tx, row, a, role))) throw notFound('Listing');
          throw forbidden("Only this co-op's admins can change its listings");
        }
        if (row.status === 'archived') throw conflict('An archived listing cannot be changed', 'listing_archived');
        const { status, ...fields } = body;
        const changes = defined(fields);
        const current = editableFields(row);
        if (current.locationMode === 'at_coop') current.boroughs = [];
        const merged = { ...current, ...changes };
        const whole = CreateListingBody.safeParse(merged);
        if (!whole.success) throw badRequest('Some fields are not valid', fieldErrorsOf(whole.error.issues, merged));
        const { boroughs } = placed(whole.data, region);
        await repo.updateListing(tx, id, { ...changes, boroughs, ...(status ? { status } : {}) });
      });
      return load(id);
    },

    /** With its add-ons: the inactive ones only for its co-op's members and the stewards, who edit them. */
    async get(actor: Actor | null, id: string): Promise<ListingDetail> {
      const row = await repo.findListing(db, id);
      const role = row && (await roleOf(db, actor, row.coopId));
      if (!row || !(await canSeeListing(db, row, actor, role))) throw notFound('Listing');
      const [[listing], addons, questions] = await Promise.all([withPhotos([row]), addonsFor(db, [id], () => seesHiddenListings(actor, role)), questionsOfListing(db, id)]);
      return { ...listing!, addons: addons.get(id) ?? [], questions: questions.map(toQuestion) };
    },

    /** The public sees a co-op's active listings; its members and stewards see all, by status. */
    async ofCoop(actor: Actor | null, coopId: string, status?: ListingStatus): Promise<Listing[]> {
      const coop = await findCoopById(db, coopId);
      const role = coop ? await roleOf(db, actor, coopId) : undefined;
      if (!coop || !canSeeCoop(coop, actor, role)) throw notFound('Co-op');
      const privileged = seesHiddenListings(actor, role);
      if (!privileged && status && status !== 'active') {
        requireActor(actor);
        throw forbidden("Only this co-op's members can see its paused or archived listings");
      }
      const statuses: ListingStatus[] = status ? [status] : privileged ? [...LISTING_STATUSES] : ['active'];
      return withPhotos(await repo.listingsOfCoop(db, coopId, statuses));
    },

    /** Without words to rank by, "relevance" means newest first. */
    async search(query: SearchQuery): Promise<SearchResult> {
      // PostgreSQL text cannot hold NUL; nobody searches for one on purpose.
      const q = query.q?.replace(/\u0000/g, '').trim();
      const filters: SearchFilters = {
        text: q ? searchText(q) : undefined,
        category: query.category,
        borough: query.borough,
        minPrice: query.minPrice,
        maxPrice: query.maxPrice,
        language: query.language,
        coop: query.coop === undefined ? undefined : coopRef(query.coop),
        remote: query.remote,
        regular: query.regular,
      };
      const order: SearchOrder = query.sort === 'relevance' && !filters.text ? 'newest' : query.sort;
      const from = query.cursor ? cursors.decode(query.cursor, order) : null;
      const { rows, total, totalCapped } = await searchListings(db, filters, order, from, query.limit + 1);
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      const nextCursor =
        rows.length > query.limit && last ? cursors.encode({ sort: order, key: last.sortKey, id: last.id } as Keyset) : null;
      // The cards' photos came with the page (search-repository.ts): no second statement.
      const items = page.map((r) => {
        const card = photos.fromCardColumns(r.photos, r.cover);
        return toListing(r, card.photos, card.cover);
      });
      return { items, total, totalCapped, nextCursor };
    },
  };
}

export type ListingsService = ReturnType<typeof createListingsService>;
