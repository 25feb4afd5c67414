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
  | 'password_reset' // the one-time link to choose a new password
  | 'email_change' // to the new address: the link that moves the account to it
  | 'email_change_requested' // to the current address: someone asked to move the account elsewhere
  | 'email_changed' // to the old address: the account moved to another address
  | 'email_change_taken'; // to the owner of an address someone tried to move their account to

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
  /** Where to send it when not the account's address now (the new one to confirm, the old one to tell). */
  address?: string;
  /** email_change*: the address the account is moving to. */
  newEmail?: string;
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
  email_change: {
    fr: {
      subject: 'Confirmez votre nouvelle adresse Tissu',
      lines: [
        'Bonjour {name},',
        'Vous avez demandé que votre compte Tissu utilise désormais cette adresse ({newEmail}). Pour confirmer, ouvrez ce lien :',
        '{changeLink}',
        'Ce lien reste valable 24 heures. Tant qu’il n’est pas ouvert, votre compte garde son adresse actuelle. Si vous n’avez rien demandé, ignorez ce courriel.',
        'L’équipe Tissu',
      ],
    },
    en: {
      subject: 'Confirm your new Tissu address',
      lines: [
        'Hello {name},',
        'You asked for your Tissu account to use this address from now on ({newEmail}). To confirm, open this link:',
        '{changeLink}',
        'This link works for 24 hours. Until it is opened, your account keeps its current address. If you did not ask, ignore this email.',
        'The Tissu team',
      ],
    },
  },
  email_change_requested: {
    fr: {
      subject: 'Tissu : demande de changement d’adresse de votre compte',
      lines: [
        'Bonjour {name},',
        'Quelqu’un (vous, espérons-le) a demandé que votre compte Tissu utilise désormais l’adresse {newEmail}. Rien ne change tant que le lien envoyé à cette adresse n’est pas ouvert.',
        'Ce n’était pas vous ? Quelqu’un connaît votre mot de passe : choisissez-en un nouveau tout de suite, ce qui annule la demande et déconnecte tous vos appareils : {reset}',
        'L’équipe Tissu',
      ],
    },
    en: {
      subject: 'Tissu: a request to change your account’s address',
      lines: [
        'Hello {name},',
        'Someone (you, we hope) asked for your Tissu account to use the address {newEmail} from now on. Nothing changes until the link sent to that address is opened.',
        'Was it not you? Someone knows your password: choose a new one right away, which cancels the request and signs out all your devices: {reset}',
        'The Tissu team',
      ],
    },
  },
  email_changed: {
    fr: {
      subject: 'Tissu : l’adresse de votre compte a changé',
      lines: [
        'Bonjour {name},',
        'Votre compte Tissu utilise désormais l’adresse {newEmail}. Vous ne recevrez plus nos courriels ici.',
        'Ce n’était pas vous ? Quelqu’un connaissait votre mot de passe et a pris votre compte : répondez à ce courriel (il va à l’intendance de Tissu, bonjour@tissu.coop), qui vous le rendra après vérification.',
        'L’équipe Tissu',
      ],
    },
    en: {
      subject: 'Tissu: your account’s address has changed',
      lines: [
        'Hello {name},',
        'Your Tissu account now uses the address {newEmail}. You will no longer get our emails here.',
        'Was it not you? Someone knew your password and took your account: answer this email (it goes to Tissu’s stewards, bonjour@tissu.coop), who will give it back after checking.',
        'The Tissu team',
      ],
    },
  },
  email_change_taken: {
    fr: {
      subject: 'Quelqu’un a voulu utiliser votre adresse pour un autre compte Tissu',
      lines: [
        'Bonjour {name},',
        'Quelqu’un a voulu que son compte Tissu utilise cette adresse, mais elle est déjà celle de votre compte. Rien n’a changé.',
        'Si vous vouliez regrouper deux comptes, connectez-vous avec celui-ci : {signIn}',
        'Sinon, vous n’avez rien à faire.',
        'L’équipe Tissu',
      ],
    },
    en: {
      subject: 'Someone tried to use your address for another Tissu account',
      lines: [
        'Hello {name},',
        'Someone wanted their Tissu account to use this address, but it is already your account’s. Nothing changed.',
        'If you meant to bring two accounts together, sign in with this one: {signIn}',
        'If not, there is nothing to do.',
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
  if ((p.message === 'verify_email' || p.message === 'password_reset' || p.message === 'email_change') && !p.token) return null;
  const t = T[p.message][recipient.locale];
  const values = {
    name: recipient.name,
    signIn: `${webOrigin}/sign-in`,
    reset: `${webOrigin}/forgot-password`,
    link: `${webOrigin}/verify-email/${p.token ?? ''}`,
    resetLink: `${webOrigin}/reset-password/${p.token ?? ''}`,
    expires: timeIn(recipient.locale, p.expiresAt),
    changeLink: `${webOrigin}/confirm-email/${p.token ?? ''}`,
    newEmail: p.newEmail ?? '',
  };
  return { to: p.address ?? recipient.email, subject: t.subject, text: t.lines.map((l) => fill(l, values)).join('\n\n') };
}
