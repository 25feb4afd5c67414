import { eq } from 'drizzle-orm';
import type { AppLocale } from '@tissu/shared';
import { schema, type Tx } from '@tissu/db';
import type { OutgoingMail } from '../../plugins/mailer.js';
import { formatTime, HOME_ZONE } from './format.js';

/** Security notices about an account, queued by the accounts module. */
export type AccountMessage =
  | 'verify_email' // after sign-up: the link that confirms the address
  | 'sign_up_attempt' // someone signed up with an address that already has an account
  | 'session_reused' // a spent refresh token came back: the session was ended
  | 'password_reset'; // the one-time link to choose a new password

export interface AccountMessagePayload {
  type: 'account';
  message: AccountMessage;
  recipientId: string;
  /**
   * verify_email, password_reset: the link's secret (only its hash is kept in email_verifications
   * or password_resets). The dispatcher removes it from the row in the commit that marks it sent.
   */
  token?: string;
  /** password_reset: when the link stops working (ISO instant). */
  expiresAt?: string;
}

const T: Record<AccountMessage, Record<AppLocale, { subject: string; lines: string[] }>> = {
  verify_email: {
    fr: {
      subject: 'Confirmez votre adresse Tissu',
      lines: [
        'Bonjour {name},',
        'Bienvenue sur Tissu ! Pour réserver, payer et voter, confirmez que cette adresse est bien la vôtre :',
        '{link}',
        'Ce lien reste valable 48 heures. Si vous n’avez pas créé de compte, ignorez ce courriel.',
        'L’équipe Tissu',
      ],
    },
    en: {
      subject: 'Confirm your Tissu address',
      lines: [
        'Hello {name},',
        'Welcome to Tissu! To book, pay and vote, confirm that this address is yours:',
        '{link}',
        'This link works for 48 hours. If you did not create an account, ignore this email.',
        'The Tissu team',
      ],
    },
  },
  sign_up_attempt: {
    fr: {
      subject: 'Quelqu’un a voulu créer un compte Tissu avec votre adresse',
      lines: [
        'Bonjour {name},',
        'Quelqu’un (vous, peut-être) a voulu créer un compte Tissu avec cette adresse, mais vous en avez déjà un. Aucun nouveau compte n’a été créé.',
        'Pour vous connecter : {signIn}',
        'Mot de passe oublié ? Choisissez-en un nouveau : {reset}',
        'Si ce n’était pas vous, vous n’avez rien à faire.',
        'L’équipe Tissu',
      ],
    },
    en: {
      subject: 'Someone tried to create a Tissu account with your address',
      lines: [
        'Hello {name},',
        'Someone (perhaps you) tried to create a Tissu account with this address, but you already have one. No new account was created.',
        'To sign in: {signIn}',
        'Forgot your password? Choose a new one: {reset}',
        'If it was not you, there is nothing to do.',
        'The Tissu team',
      ],
    },
  },
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
  password_reset: {
    fr: {
      subject: 'Choisir un nouveau mot de passe Tissu',
      lines: [
        'Bonjour {name},',
        'Quelqu’un (vous, espérons-le) a demandé à changer le mot de passe de votre compte Tissu. Choisissez-en un nouveau ici :',
        '{resetLink}',
        'Ce lien sert une seule fois et expire à {expires} (heure de Montréal). Tous vos appareils seront déconnectés.',
        'Si vous n’avez rien demandé, ignorez ce courriel : votre mot de passe ne change pas.',
        'L’équipe Tissu',
      ],
    },
    en: {
      subject: 'Choose a new Tissu password',
      lines: [
        'Hello {name},',
        'Someone (you, we hope) asked to change the password of your Tissu account. Choose a new one here:',
        '{resetLink}',
        'This link works once and expires at {expires} (Montréal time). All your devices will be signed out.',
        'If you did not ask, ignore this email: your password stays the same.',
        'The Tissu team',
      ],
    },
  },
};

const timeIn = (locale: AppLocale, iso: string | undefined) => (iso ? formatTime(new Date(iso), HOME_ZONE, locale) : '');

/** Every account notice there is, read off the table of texts so none can be left out. */
export const ACCOUNT_MESSAGES = Object.keys(T) as AccountMessage[];

const fill = (t: string, v: Record<string, string>) => t.replace(/\{(\w+)\}/g, (_, k: string) => v[k] ?? '');

/** The notice in the recipient's language; null if the account is gone. */
export async function renderAccountMessage(tx: Tx, p: AccountMessagePayload, webOrigin: string): Promise<OutgoingMail | null> {
  const [recipient] = await tx.select().from(schema.users).where(eq(schema.users.id, p.recipientId));
  if (!recipient) return null;
  // Confirmed since (by a newer link): this one would only confuse.
  if (p.message === 'verify_email' && recipient.emailVerifiedAt) return null;
  // A link whose secret is gone (already sent once) cannot be rebuilt.
  if ((p.message === 'verify_email' || p.message === 'password_reset') && !p.token) return null;
  const t = T[p.message][recipient.locale];
  const values = {
    name: recipient.name,
    signIn: `${webOrigin}/sign-in`,
    reset: `${webOrigin}/forgot-password`,
    link: `${webOrigin}/verify-email/${p.token ?? ''}`,
    resetLink: `${webOrigin}/reset-password/${p.token ?? ''}`,
    expires: timeIn(recipient.locale, p.expiresAt),
  };
  return { to: recipient.email, subject: t.subject, text: t.lines.map((l) => fill(l, values)).join('\n\n') };
}
