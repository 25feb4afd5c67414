import type { AppLocale } from '@tissu/shared';
import type { OutgoingMail } from '../../plugins/mailer.js';

const dateIn = (locale: AppLocale, d: Date) =>
  new Intl.DateTimeFormat(locale === 'fr' ? 'fr-CA' : 'en-CA', { dateStyle: 'long', timeZone: 'America/Toronto' }).format(d);

export function decisionMail(
  to: { email: string; name: string; locale: AppLocale },
  coop: { legalName: string; slug: string; status: 'approved' | 'rejected'; decisionReason: string | null },
  webOrigin: string,
): OutgoingMail {
  const link = `${webOrigin}/coops/${coop.slug}`;
  if (coop.status === 'approved') {
    return to.locale === 'fr'
      ? {
          to: to.email,
          subject: `${coop.legalName} est acceptée sur Tissu`,
          text: `Bonjour ${to.name},\n\nBonne nouvelle : la demande d'adhésion de ${coop.legalName} est acceptée. Vous pouvez maintenant publier vos services et inviter les membres de votre coopérative.\n\n${link}\n\nL'équipe Tissu`,
        }
      : {
          to: to.email,
          subject: `${coop.legalName} is approved on Tissu`,
          text: `Hello ${to.name},\n\nGood news: ${coop.legalName}'s application is approved. You can now list your services and invite your co-op's members.\n\n${link}\n\nThe Tissu team`,
        };
  }
  const reason = coop.decisionReason ?? '';
  return to.locale === 'fr'
    ? {
        to: to.email,
        subject: `Votre demande pour ${coop.legalName} n'a pas été acceptée`,
        text: `Bonjour ${to.name},\n\nLes intendants de Tissu n'ont pas accepté la demande de ${coop.legalName}, pour la raison suivante :\n\n${reason}\n\nVous pouvez répondre à ce courriel pour en discuter.\n\nL'équipe Tissu`,
      }
    : {
        to: to.email,
        subject: `Your application for ${coop.legalName} was not accepted`,
        text: `Hello ${to.name},\n\nTissu's stewards did not accept ${coop.legalName}'s application, for this reason:\n\n${reason}\n\nYou can reply to this email to talk it over.\n\nThe Tissu team`,
      };
}

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
