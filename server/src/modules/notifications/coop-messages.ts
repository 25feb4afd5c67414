import { eq } from 'drizzle-orm';
import type { AppLocale } from '@tissu/shared';
import { schema, type Tx } from '@tissu/db';
import type { OutgoingMail } from '../../plugins/mailer.js';
import { ofName } from './format.js';

export const COOP_MESSAGES = ['approved', 'rejected'] as const;

/** A steward's decision on a co-op's application, to the person who applied. */
export interface CoopMessagePayload {
  type: 'coop_decision';
  message: (typeof COOP_MESSAGES)[number];
  coopId: string;
  recipientId: string;
}

/** Rendered when sent, from the co-op as decided (the decision itself never changes). */
export async function renderCoopMessage(tx: Tx, p: CoopMessagePayload, webOrigin: string): Promise<OutgoingMail | null> {
  const [coop] = await tx.select().from(schema.coops).where(eq(schema.coops.id, p.coopId));
  const [recipient] = await tx.select().from(schema.users).where(eq(schema.users.id, p.recipientId));
  if (!coop || !recipient) return null;
  return decisionMail(recipient, { legalName: coop.legalName, slug: coop.slug, status: p.message, decisionReason: coop.decisionReason }, webOrigin);
}

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
          text: `Bonjour ${to.name},\n\nBonne nouvelle : la demande d'adhésion ${ofName(coop.legalName)} est acceptée. Vous pouvez maintenant publier vos services et inviter les membres de votre coopérative.\n\n${link}\n\nL'équipe Tissu`,
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
        text: `Bonjour ${to.name},\n\nLes intendants de Tissu n'ont pas accepté la demande ${ofName(coop.legalName)}, pour la raison suivante :\n\n${reason}\n\nVous pouvez répondre à ce courriel pour en discuter.\n\nL'équipe Tissu`,
      }
    : {
        to: to.email,
        subject: `Your application for ${coop.legalName} was not accepted`,
        text: `Hello ${to.name},\n\nTissu's stewards did not accept ${coop.legalName}'s application, for this reason:\n\n${reason}\n\nYou can reply to this email to talk it over.\n\nThe Tissu team`,
      };
}

