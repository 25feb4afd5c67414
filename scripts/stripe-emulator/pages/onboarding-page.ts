import type { FastifyInstance } from 'fastify';
import type { Emulator } from '../context.js';
import { asParams, str } from '../params.js';
import { finishOnboarding } from '../resources/accounts.js';
import type { Account } from '../types.js';
import { esc, layout } from './layout.js';

function onboardingPage(account: Account, returnUrl: string, refreshUrl: string): string {
  const due = account.requirements.currently_due;
  return layout(
    'Stripe — intégration de test / test onboarding',
    `<div class="test" role="note"><strong>MODE TEST</strong> — intégration Stripe Connect simulée, aucune vraie vérification / <strong>TEST</strong> onboarding, nothing is verified.</div>
<div class="card">
<h1>Intégration de test du compte / Test account onboarding</h1>
<dl>
<dt>Compte / Account</dt><dd>${esc(account.id)}</dd>
<dt>Nom / Name</dt><dd>${esc(account.business_profile.name ?? '—')}</dd>
<dt>Courriel / Email</dt><dd>${esc(account.email ?? '—')}</dd>
<dt>Paiements / Charges</dt><dd>${account.charges_enabled ? 'activés / enabled' : 'désactivés / disabled'}</dd>
</dl>
${due.length ? `<p class="muted">Renseignements demandés / Requirements due: ${esc(due.join(', '))}</p>` : ''}
<form method="post" action="/onboarding/${esc(account.id)}">
<input type="hidden" name="return" value="${esc(returnUrl)}">
<input type="hidden" name="refresh" value="${esc(refreshUrl)}">
<div class="actions">
<button class="primary" type="submit" name="outcome" value="complete">Terminer l'intégration / Complete onboarding</button>
<button class="secondary" type="submit" name="outcome" value="incomplete">Laisser incomplet / Leave incomplete</button>
</div>
</form>
${refreshUrl ? `<p><a href="${esc(refreshUrl)}">Recommencer / Start over</a></p>` : ''}
</div>`,
  );
}

/** The page an Account Link opens: the test stand-in for Stripe's hosted Connect onboarding. */
export function registerOnboardingPage(app: FastifyInstance, emu: Emulator): void {
  app.get<{ Params: { id: string } }>('/onboarding/:id', async (req, reply) => {
    const account = emu.store.get<Account>(req.params.id, 'account');
    reply.type('text/html; charset=utf-8');
    if (!account) {
      return reply.code(404).send(layout('Compte introuvable / Account not found', `<div class="card"><h1>Compte introuvable / Account not found</h1><p class="muted">${esc(req.params.id)}</p></div>`));
    }
    const q = asParams(req.query);
    return onboardingPage(account, str(q.return, 'return') ?? '', str(q.refresh, 'refresh') ?? '');
  });

  app.post<{ Params: { id: string } }>('/onboarding/:id', async (req, reply) => {
    const p = asParams(req.body);
    const outcome = str(p.outcome, 'outcome', { oneOf: ['complete', 'incomplete'] }) ?? 'complete';
    const account = finishOnboarding(emu, req.params.id, outcome as 'complete' | 'incomplete');
    const returnUrl = str(p.return, 'return');
    if (returnUrl) return reply.redirect(returnUrl, 303);
    return reply.type('text/html; charset=utf-8').send(onboardingPage(account, '', ''));
  });
}
