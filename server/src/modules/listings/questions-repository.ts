import { asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { ListingQuestion } from '@tissu/shared';
import { schema, type Tx } from '@tissu/db';

const { listingQuestions } = schema;

export type ListingQuestionRow = typeof listingQuestions.$inferSelect;
type NewQuestion = Omit<typeof listingQuestions.$inferInsert, 'listingId' | 'createdAt' | 'updatedAt'>;

export async function questionsOfListing(db: Tx, listingId: string): Promise<ListingQuestionRow[]> {
  return db.select().from(listingQuestions).where(eq(listingQuestions.listingId, listingId)).orderBy(asc(listingQuestions.position));
}

/**
 * A listing's questions in order, as one column of a statement that reads the listing anyway (a
 * booking's: no round trip of its own), a JSON array shaped as `toQuestion` answers them; null when
 * it asks none.
 */
export function questionsColumn(listingId: SQL | typeof schema.listings.id): SQL<ListingQuestion[] | null> {
  const q = listingQuestions;
  return sql<ListingQuestion[] | null>`(SELECT json_agg(json_build_object(
      'id', ${q.id}, 'kind', ${q.kind}, 'labelFr', ${q.labelFr}, 'labelEn', ${q.labelEn}, 'helpFr', ${q.helpFr}, 'helpEn', ${q.helpEn},
      'required', ${q.required}, 'choices', ${q.choices}, 'min', ${q.min}, 'max', ${q.max}, 'position', ${q.position}) ORDER BY ${q.position})
    FROM ${q} WHERE ${q.listingId} = ${listingId})`;
}

/** The whole list replaced: a question kept keeps its id (and so the answers a form already holds). */
export async function replaceQuestions(db: Tx, listingId: string, rows: NewQuestion[]): Promise<void> {
  const kept = rows.flatMap((r) => (r.id ? [r.id] : []));
  const existing = await db.select({ id: listingQuestions.id }).from(listingQuestions).where(eq(listingQuestions.listingId, listingId));
  const gone = existing.map((e) => e.id).filter((id) => !kept.includes(id));
  if (gone.length > 0) await db.delete(listingQuestions).where(inArray(listingQuestions.id, gone));
  const at = new Date();
  for (const r of rows) {
    if (r.id && existing.some((e) => e.id === r.id)) {
      await db.update(listingQuestions).set({ ...r, updatedAt: at }).where(eq(listingQuestions.id, r.id));
    } else {
      await db.insert(listingQuestions).values({ ...r, id: undefined, listingId });
    }
  }
}
