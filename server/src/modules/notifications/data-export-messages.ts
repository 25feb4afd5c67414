import { eq } from 'drizzle-orm';
import type { AppLocale } from '@tissu/shared';
import { schema, type Tx } from '@tissu/db';
import type { OutgoingMail } from '../../plugins/mailer.js';
import { formatDateTime, HOME_ZONE } from './format.js';

export const DATA_EXPORT_MESSAGES = ['ready'] as const;

/** "Your data is ready": the link to the archive, queued by the job that built it. */
export interface DataExportMessagePayload {
  type: 'data_export';
  message: (typeof DATA_EXPORT_MESSAGES)[number];
  exportId: string;
  recipientId: string;
  /** The link's secret (only its hash is kept); the dispatcher removes it from the row once sent. */
  token?: string;
}

const T: Record<AppLocale, { subject: string; lines: string[] }> = {
  fr: {
    subject: 'Vos données Tissu sont prêtes',
    lines: [
      'Bonjour {name},',
      'L’archive de vos données que vous avez demandée est prête. Téléchargez-la ici, en vous connectant à votre compte Tissu :',
      '{link}',
      'Ce lien fonctionne jusqu’au {expires} (heure de Montréal), et seulement pour vous, depuis votre compte : transféré à quelqu’un d’autre, il n’ouvre rien. Ensuite, l’archive est supprimée ; vous pourrez en demander une nouvelle.',
      'Si vous n’avez rien demandé, changez votre mot de passe : {reset}',
      'L’équipe Tissu',
    ],
  },
  en: {
    subject: 'Your Tissu data is ready',
    lines: [
      'Hello {name},',
      'The archive of your data you asked for is ready. Download it here, signed in to your Tissu account:',
      '{link}',
      'This link works until {expires} (Montréal time), and only for you: forwarded to someone else, it opens nothing. Then the archive is deleted; you may ask for a new one.',
      'If you did not ask for it, change your password: {reset}',
      'The Tissu team',
    ],
  },
};

const fill = (t: string, v: Record<string, string>) => t.replace(/\{(\w+)\}/g, (_, k: string) => v[k] ?? '');

/** In the recipient's language; null once the archive is gone or the secret was already sent. */
export async function renderDataExportMessage(tx: Tx, p: DataExportMessagePayload, webOrigin: string): Promise<OutgoingMail | null> {
  const [row] = await tx
    .select({ expiresAt: schema.dataExports.expiresAt, deletedAt: schema.dataExports.deletedAt, user: schema.users })
    .from(schema.dataExports)
    .innerJoin(schema.users, eq(schema.users.id, schema.dataExports.userId))
    .where(eq(schema.dataExports.id, p.exportId));
  if (!row || !p.token || !row.expiresAt || row.deletedAt || row.user.id !== p.recipientId) return null;
  const locale = row.user.locale;
  const t = T[locale];
  const values = {
    name: row.user.name,
    link: `${webOrigin}/account/data/${p.token}`,
    expires: formatDateTime(row.expiresAt, HOME_ZONE, locale),
    reset: `${webOrigin}/forgot-password`,
  };
  return { to: row.user.email, subject: t.subject, text: t.lines.map((l) => fill(l, values)).join('\n\n') };
}
