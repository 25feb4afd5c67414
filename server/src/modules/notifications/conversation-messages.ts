import { and, asc, eq, gt, isNull, ne, sql } from 'drizzle-orm';
import { publicName, type AppLocale } from '@tissu/shared';
import { schema, type Tx } from '@tissu/db';
import type { OutgoingMail } from '../../plugins/mailer.js';

/**
 * New messages in a conversation, to one person in it. `messageId`: the message that emailed her at
 * once. `after`: the follow-up at the end of the 15-minute window, with what came since the last
 * email and is still unread. Rendered when sent: a message read, hidden, or emails turned off by
 * then send nothing, nor one to someone no longer in the conversation.
 */
export interface ConversationMessagePayload {
  type: 'conversation';
  conversationId: string;
  recipientId: string;
  messageId?: string;
  after?: string;
}

/** An email quotes the start of each message: the page has them whole. */
export const EMAIL_QUOTE_LENGTH = 500;
const FOLLOW_UP_MESSAGES = 10;

const { conversations, conversationReads, messages, users, coops, listings } = schema;

const TEXT = {
  fr: {
    one: (title: string) => `Nouveau message : ${title}`, many: (title: string) => `Nouveaux messages : ${title}`,
    hello: (name: string) => `Bonjour ${name},`, lead: 'Vous avez un nouveau message sur Tissu.', leadMany: 'De nouveaux messages vous attendent sur Tissu.',
    answer: 'Lire et répondre', off: 'Pour ne plus recevoir ces courriels, décochez-les dans Mon compte :', colon: ' :',
  },
  en: {
    one: (title: string) => `New message: ${title}`, many: (title: string) => `New messages: ${title}`,
    hello: (name: string) => `Hello ${name},`, lead: 'You have a new message on Tissu.', leadMany: 'New messages are waiting for you on Tissu.',
    answer: 'Read and answer', off: 'To stop these emails, untick them in My account:', colon: ':',
  },
} satisfies Record<AppLocale, unknown>;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
function quote(text: string): string {
  const chars = Array.from(text);
  return chars.length <= EMAIL_QUOTE_LENGTH ? text : `${chars.slice(0, EMAIL_QUOTE_LENGTH).join('').trimEnd()}…`;
}

export async function renderConversationMessage(tx: Tx, p: ConversationMessagePayload, webOrigin: string): Promise<OutgoingMail | null> {
  const [row] = await tx
    .select({ recipient: users, state: conversationReads, coopName: coops.legalName, titleFr: listings.titleFr, titleEn: listings.titleEn })
    .from(users)
    .innerJoin(conversationReads, and(eq(conversationReads.userId, users.id), eq(conversationReads.conversationId, p.conversationId)))
    .innerJoin(conversations, eq(conversations.id, conversationReads.conversationId))
    .innerJoin(coops, eq(coops.id, conversations.coopId))
    .leftJoin(listings, eq(listings.id, conversations.listingId))
    // Still in it when sent: a worker taken off the booking (or a visit long past), an admin who left, gets nothing.
    .where(and(eq(users.id, p.recipientId), schema.inConversation(sql.raw('"conversations"'), p.recipientId)));
  // No row: she is no longer in the conversation (her state went with her place in it, or she is out of it since).
  if (!row || !row.recipient.messageEmails || row.state.unread === 0) return null;
  const readAt = row.state.lastReadAt;
  const unseen = and(
    eq(messages.conversationId, p.conversationId), ne(messages.authorId, p.recipientId), isNull(messages.hiddenAt),
    readAt ? gt(messages.createdAt, readAt) : undefined,
  );
  // `after` is the emailed message's time to the millisecond (as JS keeps it); the database keeps microseconds.
  const rows = await tx
    .select({ body: messages.body, role: messages.authorRole, name: users.name })
    .from(messages)
    .innerJoin(users, eq(users.id, messages.authorId))
    .where(p.messageId ? and(unseen, eq(messages.id, p.messageId)) : and(unseen, sql`date_trunc('milliseconds', ${messages.createdAt}) > ${p.after}::timestamptz`))
    .orderBy(asc(messages.createdAt))
    .limit(FOLLOW_UP_MESSAGES);
  if (rows.length === 0) return null;
  // A follow-up opens the next window: the next message waits for its end too.
  if (p.after) await tx.update(conversationReads).set({ emailedAt: sql`now()` }).where(and(eq(conversationReads.conversationId, p.conversationId), eq(conversationReads.userId, p.recipientId)));

  const locale = row.recipient.locale;
  const T = TEXT[locale];
  const title = (locale === 'en' ? row.titleEn : row.titleFr) ?? row.coopName;
  const link = `${webOrigin}/messages/${p.conversationId}`;
  // Where the emails are turned off: the account page's toggle, linked rather than described.
  const account = `${webOrigin}/account`;
  const quoted = rows.map((m) => ({ who: m.role === 'client' ? publicName(m.name) : m.name, body: quote(m.body) }));
  const text = [
    T.hello(row.recipient.name), '', rows.length > 1 ? T.leadMany : T.lead, '',
    ...quoted.flatMap((m) => [`${m.who}${T.colon}`, m.body, '']),
    `${T.answer}${T.colon} ${link}`, '', `${T.off} ${account}`,
  ].join('\n');
  const html = [
    `<p>${escapeHtml(T.hello(row.recipient.name))}</p>`, `<p>${escapeHtml(rows.length > 1 ? T.leadMany : T.lead)}</p>`,
    ...quoted.map((m) => `<p><strong>${escapeHtml(m.who)}</strong>${escapeHtml(T.colon)}</p><blockquote style="white-space:pre-wrap;overflow-wrap:anywhere">${escapeHtml(m.body)}</blockquote>`),
    `<p><a href="${escapeHtml(link)}">${escapeHtml(T.answer)}</a></p>`, `<p>${escapeHtml(T.off)} <a href="${escapeHtml(account)}">${escapeHtml(account)}</a></p>`,
  ].join('\n');
  return { to: row.recipient.email, subject: rows.length > 1 ? T.many(title) : T.one(title), text, html };
}
