import type { AppLocale } from '@tissu/shared';
import type { OutgoingMail } from '../../plugins/mailer.js';

const timeIn = (locale: AppLocale, d: Date) =>
  new Intl.DateTimeFormat(locale === 'fr' ? 'fr-CA' : 'en-CA', { timeStyle: 'short', timeZone: 'America/Toronto' }).format(d);

export function passwordResetMail(to: { email: string; name: string; locale: AppLocale }, link: string, expiresAt: Date): OutgoingMail {
  return to.locale === 'fr'
    ? {
        to: to.email,
        subject: 'Choisir un nouveau mot de passe Tissu',
        text: `Bonjour ${to.name},\n\nQuelqu'un (vous, espérons-le) a demandé à changer le mot de passe de votre compte Tissu. Choisissez-en un nouveau ici :\n\n${link}\n\nCe lien sert une seule fois et expire à ${timeIn('fr', expiresAt)} (heure de Montréal). Tous vos appareils seront déconnectés.\n\nSi vous n'avez rien demandé, ignorez ce courriel : votre mot de passe ne change pas.\n\nL'équipe Tissu`,
      }
    : {
        to: to.email,
        subject: 'Choose a new Tissu password',
        text: `Hello ${to.name},\n\nSomeone (you, we hope) asked to change the password of your Tissu account. Choose a new one here:\n\n${link}\n\nThis link works once and expires at ${timeIn('en', expiresAt)} (Montréal time). All your devices will be signed out.\n\nIf you did not ask, ignore this email: your password stays the same.\n\nThe Tissu team`,
      };
}
