import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { QUESTION_KINDS, type QuestionChoice } from '@tissu/shared';
import { listings } from './listings.js';
import { instant } from './types.js';

/**
 * A listing's booking questions (shared/schemas/questions.ts). The co-op replaces the whole list at
 * once under the listing's row lock, so positions stay 0..n-1. A booking keeps a snapshot of its
 * answers (bookings.answers): removing or rewording a question here never changes a past booking.
 */
export const listingQuestions = pgTable(
  'listing_questions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    listingId: uuid('listing_id')
      .notNull()
      .references(() => listings.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    kind: text('kind', { enum: QUESTION_KINDS }).notNull(),
    labelFr: text('label_fr').notNull(),
    labelEn: text('label_en').notNull(),
    helpFr: text('help_fr').notNull().default(''),
    helpEn: text('help_en').notNull().default(''),
    required: boolean('required').notNull().default(false),
    choices: jsonb('choices').$type<QuestionChoice[]>().notNull().default([]),
    min: integer('min'),
    max: integer('max'),
    createdAt: instant('created_at').notNull().defaultNow(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('listing_questions_listing_idx').on(t.listingId, t.position),
    check('listing_questions_position_range', sql`${t.position} >= 0 AND ${t.position} < 15`),
    check('listing_questions_kind', sql`${t.kind} IN ('short_text', 'long_text', 'one_choice', 'several_choices', 'yes_no', 'number')`),
  ],
);
