import { TEST_CARDS } from '../cards.js';
import type { Emulator } from '../context.js';
import { declineSentence } from '../resources/checkout-setup.js';
import type { CheckoutSession, Customer } from '../types.js';
import { esc, layout } from './layout.js';

export function successUrl(session: CheckoutSession): string {
  return session.success_url.replaceAll('{CHECKOUT_SESSION_ID}', session.id);
}

/** Checkout in setup mode: a card is saved for later visits, nothing is charged now. */
export function setupPage(emu: Emulator, session: CheckoutSession, error: string | null): string {
  const customer = typeof session.customer === 'string' ? emu.store.get<Customer>(session.customer, 'customer') : undefined;
  const who = customer?.email ?? session.customer_email;
  let state = '';
  if (session.status === 'complete') {
    state = `<p class="ok" role="status">Carte enregistrée / Card saved. <a href="${esc(successUrl(session))}">Continuer / Continue</a></p>`;
  } else if (session.status === 'expired') {
    state = `<p class="error" role="alert">Cette session a expiré / This session has expired.</p>`;
  }
  const cards = TEST_CARDS.map((c) => `<li><code>${esc(c.number.replace(/(\d{4})(?=\d)/g, '$1 '))}</code> — ${esc(c.label)}</li>`).join('');
  const form = session.status === 'open'
    ? `${error ? `<p class="error" role="alert">${esc(declineSentence(error))}</p>` : ''}
<form method="post" action="/checkout/${esc(session.id)}/setup">
<label for="card_number">Numéro de carte de test / Test card number</label>
<input class="field" id="card_number" name="card_number" inputmode="numeric" autocomplete="cc-number" value="4242 4242 4242 4242" required>
<p class="muted">12/${String(new Date().getFullYear() + 3).slice(2)} · 123</p>
<div class="actions"><button class="primary" type="submit">Enregistrer la carte / Save card</button></div>
</form>
<details><summary class="muted">Cartes de test / Test cards</summary><ul class="muted">${cards}</ul></details>
${session.cancel_url ? `<p><a href="${esc(session.cancel_url)}">← Annuler et revenir / Cancel and go back</a></p>` : ''}`
    : '';
  return layout(
    'Tissu — enregistrer une carte (test) / save a card (test)',
    `<div class="test" role="note"><strong>MODE TEST</strong> — aucune carte réelle n'est enregistrée / <strong>TEST MODE</strong> — no real card is saved.</div>
<div class="card">
<h1>Tissu — enregistrer une carte pour vos visites / save a card for your visits</h1>
${who ? `<p class="muted">${esc(who)}</p>` : ''}
<p>Aucun montant n'est débité maintenant; la carte servira aux visites à venir. / Nothing is charged now; the card will pay for upcoming visits.</p>
${state}${form}
</div>`,
  );
}
