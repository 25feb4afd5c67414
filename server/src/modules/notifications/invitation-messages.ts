import { eq, sql } from 'drizzle-orm';
import type { AppLocale } from '@tissu/shared';
import { schema, type Tx } from '@tissu/db';
import type { OutgoingMail } from '../../plugins/mailer.js';
import { formatDate, HOME_ZONE } from './format.js';

export const INVITATION_MESSAGES = ['invitation'] as const;

/** A co-op admin invites someone (who may have no account yet) to join the co-op. */
export interface InvitationMessagePayload {
  type: 'coop_invitation';
  message: (typeof INVITATION_MESSAGES)[number];
  invitationId: string;
  /**
   * The link's secret (only its hash is kept in coop_invitations). The dispatcher removes it from
   * the row in the commit that marks the email sent.
   */
  token?: string;
}

const dateIn = (locale: AppLocale, d: Date) => formatDate(d, HOME_ZONE, locale);

const roleName = { fr: { admin: 'administratrice ou administrateur', worker: 'membre travailleur' }, en: { admin: 'an admin', worker: 'a worker-member' } };

function invitationText(locale: AppLocale, coopName: string, role: 'admin' | 'worker', link: string, expiresAt: Date) {
  return locale === 'fr'
    ? `Bonjour,\n\n${coopName} vous invite à rejoindre sa coopérative sur Tissu comme ${roleName.fr[role]}.\n\nAcceptez l'invitation avec un compte Tissu ouvert à cette adresse courriel :\n${link}\n\nCe lien expire le ${dateIn('fr', expiresAt)}.`
    : `Hello,\n\n${coopName} invites you to join their co-op on Tissu as ${roleName.en[role]}.\n\nAccept the invitation with a Tissu account opened with this email address:\n${link}\n\nThis link expires on ${dateIn('en', expiresAt)}.`;
}

/**
 * Rendered when sent; null once the invitation was accepted or revoked (the link would only say so).
 * The invitee may have no account yet, so no known language: then both, French first.
 */
export async function renderInvitationMessage(tx: Tx, p: InvitationMessagePayload, webOrigin: string): Promise<OutgoingMail | null> {
  const { coopInvitations, coops, users } = schema;
  const [row] = await tx
    .select({ invitation: coopInvitations, coopName: coops.legalName })
    .from(coopInvitations)
    .innerJoin(coops, eq(coops.id, coopInvitations.coopId))
    .where(eq(coopInvitations.id, p.invitationId));
  if (!row || !p.token || row.invitation.acceptedAt || row.invitation.revokedAt) return null;
  const { email, role, expiresAt } = row.invitation;
  const [user] = await tx.select({ locale: users.locale }).from(users).where(sql`lower(${users.email}) = lower(${email})`);
  const link = `${webOrigin}/invitations/${p.token}`;
  const locale = user?.locale;
  if (locale) {
    return {
      to: email,
      subject: locale === 'fr' ? `Invitation à rejoindre ${row.coopName} sur Tissu` : `Invitation to join ${row.coopName} on Tissu`,
      text: invitationText(locale, row.coopName, role, link, expiresAt),
    };
  }
  return {
    to: email,
    subject: `Invitation à rejoindre ${row.coopName} sur Tissu / Invitation to join ${row.coopName} on Tissu`,
    text: `${invitationText('fr', row.coopName, role, link, expiresAt)}\n\n---\n\n${invitationText('en', row.coopName, role, link, expiresAt)}`,
  };
}
