import { FORMER_MEMBER_NAME, fieldError, type AccountDeletionCheck, type DeleteAccountBody, type DeletionBlockerCode, type PrivacyContact } from '@tissu/shared';
import type { Db } from '@tissu/db';
import { requireActor, type Actor } from '../../actor.js';
import { HttpError, notFound } from '../../errors.js';
import { gatewayDown } from '../../lib/gateway.js';
import type { PaymentGateway } from '../../plugins/stripe.js';
import { verifyPassword } from '../accounts/index.js';
import * as repo from './repository.js';

export interface PrivacyDeps {
  db: Db;
  gateway: Pick<PaymentGateway, 'detachCard'>;
  contact: PrivacyContact;
  log: { warn(o: object, m: string): void };
  now?: () => Date;
}

function blocked(list: { code: DeletionBlockerCode }[]) {
  return new HttpError(
    409, 'account_deletion_blocked', 'Some things must be settled before this account can be deleted',
    { blockers: list.map((b) => fieldError(b.code)) },
  );
}

/**
 * "Delete my account" (Law 25: a person may have her information destroyed once it no longer
 * serves) and the privacy page's contact. A deletion is refused while anything is still under way
 * with her, then done in one transaction: the account row stays, anonymised, so the records the law
 * keeps (payments, receipts, the ledger, the member register) stay whole.
 */
export function createPrivacyService(deps: PrivacyDeps) {
  const { db } = deps;
  const now = () => deps.now?.() ?? new Date();

  return {
    contact(): PrivacyContact {
      return deps.contact;
    },

    async check(actor: Actor | null): Promise<AccountDeletionCheck> {
      const a = requireActor(actor);
      const at = now();
      const found = await repo.blockers(db, a.userId, at);
      const items = found.length ? await repo.blockerItems(db, a.userId, at) : {};
      return { blockers: found.map((b) => ({ ...b, items: items[b.code] ?? [] })) };
    },

    async deleteAccount(actor: Actor | null, body: DeleteAccountBody): Promise<void> {
      const a = requireActor(actor);
      const user = await repo.findUser(db, a.userId);
      if (!user || user.deleted) throw notFound('Account');
      if (!(await verifyPassword(user.passwordHash, body.password))) {
        throw new HttpError(400, 'validation_failed', 'The password is wrong', { password: [fieldError('wrong_password')] });
      }
      const first = await repo.blockers(db, a.userId, now());
      if (first.length) throw blocked(first);
      // The card is detached at Stripe first: if Stripe does not answer, nothing is erased yet.
      const card = await repo.savedCard(db, a.userId);
      if (card) {
        try {
          await deps.gateway.detachCard(card);
        } catch (err) {
          throw gatewayDown(err);
        }
      }
      await db.transaction(async (tx) => {
        await repo.lockClient(tx, a.userId);
        const locked = await repo.lockUser(tx, a.userId);
        if (!locked || locked.deleted) throw notFound('Account');
        await repo.lockAdminCoops(tx, a.userId);
        // Checked again under the lock: a booking made meanwhile from another tab blocks it still.
        const again = await repo.blockers(tx, a.userId, now());
        if (again.length) throw blocked(again);
        await repo.eraseAccount(tx, a.userId, locked.email, FORMER_MEMBER_NAME, now());
      });
    },
  };
}

export type PrivacyService = ReturnType<typeof createPrivacyService>;
