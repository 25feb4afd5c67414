import type { User } from '@tissu/shared';
import type { UserRow } from './repository.js';

/** The account as the API answers it: never the row (its password hash stays here). */
export function userDto(row: UserRow, coops: User['coops']): User {
  return {
    id: row.id, email: row.email, name: row.name, locale: row.locale, isSteward: row.isSteward,
    emailVerified: row.emailVerifiedAt !== null, phone: row.phone,
    messageEmails: row.messageEmails, reminderEmails: row.reminderEmails, assemblyEmails: row.assemblyEmails,
    coops,
  };
}
