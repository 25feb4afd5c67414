/**
 * The data every page of the web app needs to show its full self, made through the API as people
 * would: a client with a booking in each state (one paid through the emulator's Checkout), a series
 * of regular visits, a conversation, an invitation, a reset-password link, a resolution, a fiscal
 * year's expense, and the plans and statements the demo data holds. Used by the accessibility test.
 */
import { inject } from 'vitest';
import type { Page } from 'playwright-core';
import type { Booking, Coop, Listing } from '@tissu/shared';
import {
  adminCoopId, apiAs, bookableListings, goto, mailedLink, publicGet, signUpClient, slotAfter,
} from './booking-world.js';

export const ADMIN = 'admin@tissu.demo';
export const WORKER = 'travailleuse@tissu.demo';
export const STEWARD = 'steward@tissu.demo';

export interface A11yWorld {
  coopId: string;
  coop: Coop;
  listingId: string;
  client: { email: string; password: string };
  pending: Booking;
  accepted: Booking;
  paid: Booking;
  cancelled: Booking;
  declined: Booking;
  seriesId: string;
  seriesQuery: string;
  /** A free slot of the listing: its page then shows the booking form. */
  freeSlot: string;
  conversationId: string;
  invitationToken: string;
  resetToken: string;
  verifyToken: string;
  fiscalYearId: number | null;
  planIds: string[];
  statementYears: number[];
  /** A quote the client asked on the listing, answered with one offer. */
  quoteId: string;
}

async function call(method: string, path: string, token: string, body: unknown): Promise<void> {
  const res = await fetch(inject('apiUrl') + path, {
    method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${await res.text()}`);
}

export async function buildA11yWorld(): Promise<A11yWorld> {
  const admin = await apiAs(ADMIN);
  const steward = await apiAs(STEWARD);
  const coopId = await adminCoopId(admin);
  const coop = await publicGet<Coop>(`/coops/${coopId}`);
  // A listing of its own that takes requests (not instant) and regular visits, open at the hours of
  // one the co-op has, so a booking can wait in each state.
  const [model] = await bookableListings(coopId);
  const m = model!.listing;
  const listing = await admin.post<Listing>(`/coops/${coopId}/listings`, {
    titleFr: 'Grand ménage de printemps', titleEn: 'Spring deep clean', descriptionFr: 'Tout l’appartement, fenêtres comprises.',
    descriptionEn: 'The whole flat, windows included.', category: m.category, priceKind: m.priceKind, priceCents: m.priceCents,
    durationMinutes: m.durationMinutes, locationMode: m.locationMode, boroughs: m.boroughs, solidarityPriceCents: Math.floor(m.priceCents / 2),
    // Its price, and quotes too, so the quote pages have something to show.
    quoteMode: 'also', depositPercent: 25,
  });
  const { listingId: _l, configured: _c, ...hours } = model!.schedule;
  await call('PUT', `/listings/${listing.id}/schedule`, admin.token, {
    ...hours, exceptions: [], instantBooking: false, minNoticeMinutes: 60, horizonDays: 60, seriesFrequencies: ['weekly', 'every_2_weeks'], seriesDiscountBps: 1000,
  });

  const client = await signUpClient('Léa Accessible');
  const api = await apiAs(client.email, client.password);
  const taken = new Set<string>();
  const book = async (hoursAhead: number) => {
    const startsAt = await slotAfter(listing.id, hoursAhead, taken);
    taken.add(new Date(startsAt).toISOString());
    return api.post<Booking>('/bookings', {
      listingId: listing.id, startsAt, address: '4321, rue Saint-Denis, Montréal', notes: 'Le code de la porte est 1234.',
      contactName: 'Léa Accessible', contactPhone: '514-555-0199', contactEmail: client.email,
    });
  };
  const cancelled = await book(150);
  await api.post(`/bookings/${cancelled.id}/cancel`, { reason: 'Un imprévu.' });
  const declined = await book(170);
  await admin.post(`/bookings/${declined.id}/decline`, { reason: 'Complet ce jour-là.' });
  const pending = await book(72);
  const accepted = await book(96);
  if (accepted.state === 'requested') await admin.post(`/bookings/${accepted.id}/accept`, {});
  const paid = await book(120);
  if (paid.state === 'requested') await admin.post(`/bookings/${paid.id}/accept`, {});

  const seriesStart = await slotAfter(listing.id, 220, taken);
  const seriesQuery = `startsAt=${encodeURIComponent(seriesStart)}&frequency=weekly`;
  const preview = await publicGet<{ visits: { date: string; status: string }[] }>(`/listings/${listing.id}/series-preview?${seriesQuery}`);
  const series = await api.post<{ id: string }>('/series', {
    listingId: listing.id, startsAt: seriesStart, frequency: 'weekly',
    choices: preview.visits.filter((v) => v.status !== 'free').map((v) => ({ date: v.date, action: 'skip' })),
    address: '4321, rue Saint-Denis, Montréal', notes: '', contactName: 'Léa Accessible', contactPhone: '514-555-0199', contactEmail: client.email,
  });

  const freeSlot = await slotAfter(listing.id, 100, taken);

  const conversation = await api.post<{ conversation: { id: string } }>('/conversations', {
    coopId, listingId: listing.id, body: 'Bonjour, venez-vous le samedi ?',
  });

  const invitee = `invitee-${Date.now()}@example.org`;
  await admin.post(`/coops/${coopId}/invitations`, { email: invitee, role: 'worker' });
  const invitationToken = (await mailedLink(invitee, /\/invitations\/([A-Za-z0-9_-]{20,})/))[1]!;

  // A reset link and a confirmation link of someone else, unused, so their pages show their form.
  const other = await signUpClient('Noé Lien');
  await fetch(inject('apiUrl') + '/auth/password-reset', {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: other.email }),
  });
  const resetToken = (await mailedLink(other.email, /\/reset-password\/([\w-]+)/))[1]!;
  const verifyToken = (await mailedLink(client.email, /\/verify-email\/([\w-]+)/))[1]!;

  const now = Date.now();
  await steward.post('/steward/proposals', {
    kind: 'resolution', title: 'Horaires de l’assemblée', body: 'Tenir l’assemblée un samedi matin.',
    opensAt: new Date(now - 60_000).toISOString(), closesAt: new Date(now + 7 * 86_400_000).toISOString(),
  });
  const { years } = await steward.get<{ years: { id: number; status: string; startsOn: string }[] }>('/steward/fiscal-years');
  const open = years.find((y) => y.status === 'open') ?? years[0] ?? null;
  const proposals = await steward.get<{ open: { planId: string | null }[]; past: { planId: string | null }[] }>('/proposals');
  const planIds = [...new Set([...proposals.open, ...proposals.past].map((p) => p.planId).filter((p): p is string => !!p))];
  // A quote asked and answered: the request form, the quote page on both sides and the co-op's inbox have content.
  const quote = await api.post<{ id: string }>('/quotes', {
    listingId: listing.id, description: 'Tout l’appartement et le balcon, avant un déménagement.', address: '4321, rue Saint-Denis, Montréal',
  });
  await admin.post(`/quotes/${quote.id}/offers`, {
    lines: [{ label: 'Ménage complet', quantity: 4, unitPriceCents: 4_500 }, { label: 'Balcon', unitPriceCents: 3_000 }],
    validUntil: new Date(Date.now() + 7 * 86_400_000).toISOString(), durationMinutes: 240,
    proposedTimes: [new Date(Date.now() + 20 * 86_400_000).toISOString()],
  });
  const worker = await apiAs(WORKER);
  const { statements } = await worker.get<{ statements: { fiscalYear: { startsOn: string } }[] }>('/patronage/statements');
  const statementYears = [...new Set(statements.map((st) => Number(st.fiscalYear.startsOn.slice(0, 4))))];

  return {
    coopId, coop, listingId: listing.id, client, quoteId: quote.id, pending, accepted, paid, cancelled, declined, seriesId: series.id, seriesQuery, freeSlot,
    conversationId: conversation.conversation.id, invitationToken, resetToken, verifyToken, fiscalYearId: open?.id ?? null, planIds, statementYears,
  };
}

/** The client pays through the emulator's hosted Checkout, as a person does. */
export async function payInBrowser(page: Page, id: string): Promise<void> {
  await goto(page, `/bookings/${id}/pay`);
  await page.getByTestId('pay-submit').click();
  await page.waitForURL((u) => u.href.startsWith(inject('stripeUrl')));
  await page.getByRole('button', { name: /Payer .* \/ Pay/ }).click();
  await page.waitForURL(/\/receipt\?paid=1/);
}


