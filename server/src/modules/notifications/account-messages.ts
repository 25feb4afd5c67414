import { eq } from 'drizzle-orm';
import type { AppLocale } from '@tissu/shared';
import { schema, type Tx } from '@tissu/db';
import type { OutgoingMail } from '../../plugins/mailer.js';

/** Security notices about an account, queued by the accounts module. */
export type AccountMessage =
  | 'session_reused'; // a spent refresh token came back: the session was ended

export interface AccountMessagePayload {
  type: 'account';
  message: AccountMessage;
  recipientId: string;
}

const T: Record<AccountMessage, Record<AppLocale, { subject: string; lines: string[] }>> = {
  session_reused: {
    fr: {
      subject: 'Tissu : nous avons fermé une de vos sessions par prudence',
      lines: [
        'Bonjour {name},',
        'Un appareil connecté à votre compte Tissu a présenté un jeton de connexion déjà utilisé. Cela arrive quand quelqu’un a copié ce jeton : par prudence, nous avons fermé cette session sur tous les appareils qui la partageaient.',
        'Si c’était vous, reconnectez-vous simplement : {signIn}',
        'Sinon, choisissez un nouveau mot de passe, ce qui ferme toutes vos sessions : {reset}',
        'L’équipe Tissu',
      ],
    },
    en: {
      subject: 'Tissu: we ended one of your sessions to be safe',
      lines: [
        'Hello {name},',
        'A device signed in to your Tissu account presented a sign-in token that had already been used. That happens when someone copied the token, so we ended this session on every device that shared it.',
        'If it was you, simply sign in again: {signIn}',
        'If not, choose a new password, which ends all your sessions: {reset}',
        'The Tissu team',
      ],
    },
  },
};

const fill = (t: string, v: Record<string, string>) => t.replace(/\{(\w+)\}/g, (_, k: string) => v[k] ?? '');

/** The notice in the recipient's language; null if the account is gone. */
export async function renderAccountMessage(tx: Tx, p: AccountMessagePayload, webOrigin: string): Promise<OutgoingMail | null> {
  const [recipient] = await tx.select().from(schema.users).where(eq(schema.users.id, p.recipientId));
  if (!recipient) return null;
  const t = T[p.message][recipient.locale];
  const values = { name: recipient.name, signIn: `${webOrigin}/sign-in`, reset: `${webOrigin}/forgot-password` };
  return { to: recipient.email, subject: t.subject, text: t.lines.map((l) => fill(l, values)).join('\n\n') };
}
