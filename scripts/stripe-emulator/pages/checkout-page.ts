import type { FastifyInstance } from 'fastify';
import type { Emulator } from '../context.js';
import { StripeApiError } from '../errors.js';
import { formatMoney } from '../money.js';
import { asParams, str } from '../params.js';
import { declineCheckoutSession, payCheckoutSession } from '../resources/checkout-payment.js';
import { setUpCheckoutSession } from '../resources/checkout-setup.js';
import { lineItemsOf, requireSession } from '../resources/checkout-sessions.js';
import type { CheckoutSession } from '../types.js';
import { setupPage, successUrl } from './checkout-setup-page.js';
import { esc, layout } from './layout.js';

function checkoutPage(emu: Emulator, session: CheckoutSession, declined: boolean): string {
  const money = (cents: number | null) => esc(formatMoney(cents ?? 0, session.currency ?? 'cad'));
  // As Stripe's page does when the payment keeps the card for later (setup_future_usage off_session).
  const savesCard = emu.checkout.get(session.id)?.intentData?.setup_future_usage === 'off_session';
  const rows = lineItemsOf(emu, session.id)
    .map((item) => {
      const product = item.price.product_details as { description: string | null };
      const detail = product.description ? `<br><span class="muted">${esc(product.description)}</span>` : '';
      const qty = item.quantity > 1 ? `<br><span class="muted">${item.quantity} × ${money(item.price.unit_amount)}</span>` : '';
      return `<tr><td>${esc(item.description)}${detail}${qty}</td><td class="amount">${money(item.amount_total)}</td></tr>`;
    })
    .join('');
  let state = '';
  if (session.status === 'complete') {
    state = `<p class="ok" role="status">Paiement reçu / Payment received. <a href="${esc(successUrl(session))}">Continuer / Continue</a></p>`;
  } else if (session.status === 'expired') {
    state = `<p class="error" role="alert">Cette session de paiement a expiré / This checkout session has expired.</p>`;
  }
  const error = declined && session.status === 'open'
    ? `<p class="error" role="alert">Votre carte a été refusée / Your card was declined.</p>`
    : '';
  const actions = session.status === 'open'
    ? `${error}
<p class="muted">Carte de test / Test card</p>
<div class="field" aria-label="Carte / Card">4242 4242 4242 4242 · 12/${String(new Date().getFullYear() + 3).slice(2)} · 123</div>
${savesCard ? `<p class="muted" role="note">Votre carte sera enregistrée et utilisée pour de futurs paiements / Your card will be saved and used for future payments.</p>` : ''}
<div class="actions">
<form method="post" action="/checkout/${esc(session.id)}/pay"><button class="primary" type="submit">Payer ${money(session.amount_total)} / Pay</button></form>
<form method="post" action="/checkout/${esc(session.id)}/decline"><button class="secondary" type="submit">Carte refusée / Card declined (4000 0000 0000 0002)</button></form>
</div>
${session.cancel_url ? `<p><a href="${esc(session.cancel_url)}">← Annuler et revenir / Cancel and go back</a></p>` : ''}`
    : '';
  return layout(
    'Tissu — paiement de test / test payment',
    `<div class="test" role="note"><strong>MODE TEST</strong> — aucune carte réelle n'est débitée / <strong>TEST MODE</strong> — no real card is charged.</div>
<div class="card">
<h1>Tissu — paiement de test / test payment</h1>
${session.customer_email ? `<p class="muted">${esc(session.customer_email)}</p>` : ''}
<table aria-label="Articles / Items">${rows}<tr class="total"><td>Total (${esc((session.currency ?? '').toUpperCase())})</td><td class="amount">${money(session.amount_total)}</td></tr></table>
${state}${actions}
</div>`,
  );
}

function notFoundPage(id: string): string {
  return layout('Session introuvable / Session not found', `<div class="card"><h1>Session introuvable / Session not found</h1><p class="muted">${esc(id)}</p></div>`);
}

/** Stripe's hosted Checkout page (payment and setup modes), for people and browser tests. */
export function registerCheckoutPage(app: FastifyInstance, emu: Emulator): void {
  const find = (id: string) => {
    try {
      return requireSession(emu, id);
    } catch (e) {
      if (e instanceof StripeApiError && e.statusCode === 404) return undefined;
      throw e;
    }
  };

  app.get<{ Params: { id: string } }>('/checkout/:id', async (req, reply) => {
    const session = find(req.params.id);
    reply.type('text/html; charset=utf-8');
    if (!session) return reply.code(404).send(notFoundPage(req.params.id));
    const error = asParams(req.query).error;
    if (session.mode === 'setup') return setupPage(emu, session, typeof error === 'string' ? error : null);
    return checkoutPage(emu, session, error === 'card_declined');
  });

  app.post<{ Params: { id: string } }>('/checkout/:id/pay', async (req, reply) => {
    const session = find(req.params.id);
    if (!session) return reply.code(404).type('text/html; charset=utf-8').send(notFoundPage(req.params.id));
    if (session.status !== 'open' || session.mode !== 'payment') return reply.redirect(`/checkout/${session.id}`, 303);
    payCheckoutSession(emu, session.id);
    return reply.redirect(successUrl(session), 303);
  });

  app.post<{ Params: { id: string } }>('/checkout/:id/decline', async (req, reply) => {
    const session = find(req.params.id);
    if (!session) return reply.code(404).type('text/html; charset=utf-8').send(notFoundPage(req.params.id));
    if (session.mode !== 'payment') return reply.redirect(`/checkout/${session.id}`, 303);
    if (session.status === 'open') declineCheckoutSession(emu, session.id);
    return reply.redirect(`/checkout/${session.id}?error=card_declined`, 303);
  });

  // Setup mode: the typed card is saved, or the page says why not (?error=<decline code>).
  app.post<{ Params: { id: string } }>('/checkout/:id/setup', async (req, reply) => {
    const session = find(req.params.id);
    if (!session) return reply.code(404).type('text/html; charset=utf-8').send(notFoundPage(req.params.id));
    if (session.status !== 'open' || session.mode !== 'setup') return reply.redirect(`/checkout/${session.id}`, 303);
    const typed = str(asParams(req.body).card_number, 'card_number') ?? '';
    try {
      const result = setUpCheckoutSession(emu, session.id, typed);
      if (!result.decline) return reply.redirect(successUrl(result.session), 303);
      return reply.redirect(`/checkout/${session.id}?error=${result.decline}`, 303);
    } catch (e) {
      if (e instanceof StripeApiError && e.body.code === 'incorrect_number') return reply.redirect(`/checkout/${session.id}?error=incorrect_number`, 303);
      throw e;
    }
  });
}
