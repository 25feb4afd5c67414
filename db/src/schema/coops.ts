import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { COOP_ROLES, COOP_STATUSES, LEGAL_FORMS } from '@tissu/shared';
import { users } from './accounts.js';
import { instant } from './types.js';

export const coops = pgTable(
  'coops',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    slug: text('slug').notNull(),
    legalName: text('legal_name').notNull(),
    legalForm: text('legal_form', { enum: LEGAL_FORMS }).notNull(),
    neq: text('neq'),
    region: text('region').notNull(),
    languages: text('languages').array().notNull(),
    descriptionFr: text('description_fr').notNull(),
    descriptionEn: text('description_en').notNull(),
    commitments: text('commitments').notNull().default(''),
    foundedYear: integer('founded_year').notNull(),
    status: text('status', { enum: COOP_STATUSES }).notNull().default('pending'),
    /** New bookings get a free worker-member in the transaction that makes them (team module). */
    autoAssign: boolean('auto_assign').notNull().default(false),
    decisionReason: text('decision_reason'),
    decidedBy: uuid('decided_by').references(() => users.id),
    decidedAt: instant('decided_at'),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: instant('created_at').notNull().defaultNow(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('coops_slug_key').on(t.slug),
    index('coops_status_idx').on(t.status, t.createdAt),
    check('coops_neq_format', sql`${t.neq} IS NULL OR ${t.neq} ~ '^[0-9]{10}$'`),
  ],
);

export const coopMembers = pgTable(
  'coop_members',
  {
    coopId: uuid('coop_id')
      .notNull()
      .references(() => coops.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role', { enum: COOP_ROLES }).notNull(),
    joinedAt: instant('joined_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.coopId, t.userId] }), index('coop_members_user_idx').on(t.userId)],
);

export const coopInvitations = pgTable(
  'coop_invitations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    coopId: uuid('coop_id')
      .notNull()
      .references(() => coops.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    role: text('role', { enum: COOP_ROLES }).notNull(),
    tokenHash: text('token_hash').notNull(),
    invitedBy: uuid('invited_by')
      .notNull()
      .references(() => users.id),
    createdAt: instant('created_at').notNull().defaultNow(),
    expiresAt: instant('expires_at').notNull(),
    acceptedAt: instant('accepted_at'),
    acceptedBy: uuid('accepted_by').references(() => users.id),
    revokedAt: instant('revoked_at'),
  },
  (t) => [uniqueIndex('coop_invitations_token_key').on(t.tokenHash), index('coop_invitations_coop_idx').on(t.coopId)],
);
