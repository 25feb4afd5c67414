import type { AppLocale } from '@tissu/shared';
import type { OutgoingMail } from '../../plugins/mailer.js';

const dateIn = (locale: AppLocale, d: Date) =>
  new Intl.DateTimeFormat(locale === 'fr' ? 'fr-CA' : 'en-CA', { dateStyle: 'long', timeZone: 'America/Toronto' }).format(d);

const roleName = { fr: { admin: 'administratrice ou administrateur', worker: 'membre travailleur' }, en: { admin: 'an admin', worker: 'a worker-member' } };

function invitationText(locale: AppLocale, coopName: string, role: 'admin' | 'worker', link: string, expiresAt: Date) {
  return locale === 'fr'
    ? `Bonjour,\n\n${coopName} vous invite à rejoindre sa coopérative sur Tissu comme ${roleName.fr[role]}.\n\nAcceptez l'invitation avec un compte Tissu ouvert à cette adresse courriel :\n${link}\n\nCe lien expire le ${dateIn('fr', expiresAt)}.`
    : `Hello,\n\n${coopName} invites you to join their co-op on Tissu as ${roleName.en[role]}.\n\nAccept the invitation with a Tissu account opened with this email address:\n${link}\n\nThis link expires on ${dateIn('en', expiresAt)}.`;
}

/** The invitee may have no account yet, so no known language: then both, French first. */
export function invitationMail(
  to: string,
  locale: AppLocale | undefined,
  coopName: string,
  role: 'admin' | 'worker',
  link: string,
  expiresAt: Date,
): OutgoingMail {
  if (locale) {
    return {
      to,
      subject: locale === 'fr' ? `Invitation à rejoindre ${coopName} sur Tissu` : `Invitation to join ${coopName} on Tissu`,
      text: invitationText(locale, coopName, role, link, expiresAt),
    };
  }
  return {
    to,
    subject: `Invitation à rejoindre ${coopName} sur Tissu / Invitation to join ${coopName} on Tissu`,
    text: `${invitationText('fr', coopName, role, link, expiresAt)}\n\n---\n\n${invitationText('en', coopName, role, link, expiresAt)}`,
  };
}
