/**
 * Issue 14, conversations: a new message emails the others through the outbox, batched: the first
 * at once, later ones within 15 minutes held for ONE follow-up at the window's end (none if read by
 * then); nobody who turned message emails off; the recipient's language; the body escaped in HTML.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchOutbox } from '../../server/src/modules/notifications/outbox.js';
import { signUp, type SignedIn } from '../support/test-app.js';
import { conversationWorld, post, start, type ConversationWorld } from '../support/conversation-world.js';

let w: ConversationWorld;
beforeAll(async () => { w = await conversationWorld(); }, 120_000);
afterAll(() => w?.t.close());

const MINUTE = 60_000;
/** Emails to `who` about conversation `c`, oldest first. */
async function mailsAbout(who: SignedIn, c: string, at?: Date) {
  await dispatchOutbox(w.t.db, w.t.mailer, { webOrigin: w.t.config.webOrigin, now: at });
  return (await w.t.mailer.list()).filter((m) => m.to === who.email && m.text.includes(`/messages/${c}`)).reverse();
}

describe('message emails', () => {
  it('three messages in a minute make one email, then one follow-up at the end of the window with the other two', async () => {
    const client = await signUp(w.t.app, { name: 'Rita Rapide' });
    const c = (await start(w, client, 'Premier message')).conversation.id;
    expect((await post(w, client, c, 'Deuxième')).statusCode).toBe(201);
    expect((await post(w, client, c, 'Troisième')).statusCode).toBe(201);
    const now = await mailsAbout(w.adminA, c);
    expect(now).toHaveLength(1);
    expect(now[0]!.subject).toBe('Nouveau message : Ménage résidentiel');
    expect(now[0]!.text).toContain('Premier message');
    expect(now[0]!.text).not.toContain('Deuxième');
    expect(now[0]!.text).toContain(`${w.t.config.webOrigin}/messages/${c}`);
    // The way to stop them is a link to the account page's toggle, not a description of where it is.
    expect(now[0]!.text).toContain(`décochez-les dans Mon compte : ${w.t.config.webOrigin}/account`);
    expect(now[0]!.html).toContain(`href="${w.t.config.webOrigin}/account"`);
    // The author is not emailed about her own messages.
    expect(await mailsAbout(client, c)).toHaveLength(0);
    // Still within the window: nothing more.
    expect(await mailsAbout(w.adminA, c, new Date(Date.now() + 10 * MINUTE))).toHaveLength(1);
    const later = await mailsAbout(w.adminA, c, new Date(Date.now() + 16 * MINUTE));
    expect(later).toHaveLength(2);
    expect(later[1]!.subject).toBe('Nouveaux messages : Ménage résidentiel');
    expect(later[1]!.text).toContain('Deuxième');
    expect(later[1]!.text).toContain('Troisième');
    expect(later[1]!.text).not.toContain('Premier message');
    // Each once: dispatching again sends nothing new.
    expect(await mailsAbout(w.adminA, c, new Date(Date.now() + 40 * MINUTE))).toHaveLength(2);
  });

  it('no follow-up for messages read before the window ends', async () => {
    const client = await signUp(w.t.app, { name: 'Léa Lue' });
    const c = (await start(w, client, 'Bonjour')).conversation.id;
    await post(w, client, c, 'Vous êtes là ?');
    expect(await mailsAbout(w.adminA, c)).toHaveLength(1);
    const read = await w.t.app.inject({ method: 'POST', url: `/conversations/${c}/read`, headers: w.adminA.auth });
    expect(read.statusCode).toBe(200);
    expect(await mailsAbout(w.adminA, c, new Date(Date.now() + 16 * MINUTE))).toHaveLength(1);
  });

  it("nobody who turned message emails off; the others in their language, with the message escaped", async () => {
    const quiet = await signUp(w.t.app, { name: 'Quentin Calme' });
    const off = await w.t.app.inject({ method: 'PATCH', url: '/me', headers: quiet.auth, payload: { messageEmails: false } });
    expect(off.statusCode, off.body).toBe(200);
    expect(off.json().messageEmails).toBe(false);
    const c = (await start(w, quiet, 'Bonjour')).conversation.id;
    expect((await post(w, w.adminA, c, 'Réponse')).statusCode).toBe(201);
    expect(await mailsAbout(quiet, c, new Date(Date.now() + 16 * MINUTE))).toHaveLength(0);

    const english = await signUp(w.t.app, { name: 'Emma English', locale: 'en' });
    const e = (await start(w, english, 'Hello')).conversation.id;
    expect((await post(w, w.adminA, e, 'Bonjour <script>alert(1)</script> & bienvenue')).statusCode).toBe(201);
    const [mail] = await mailsAbout(english, e);
    expect(mail!.subject).toBe('New message: Home cleaning');
    expect(mail!.text).toContain('Alice Admin:');
    expect(mail!.html).toContain('Bonjour &lt;script&gt;alert(1)&lt;/script&gt; &amp; bienvenue');
    expect(mail!.html).not.toContain('<script>');
  });

  it('quotes the first 500 characters of a long message', async () => {
    const client = await signUp(w.t.app, { name: 'Paul Long' });
    const long = 'é'.repeat(600);
    const c = (await start(w, client, long)).conversation.id;
    const [mail] = await mailsAbout(w.adminA, c);
    expect(mail!.text).toContain(`${'é'.repeat(500)}…`);
    expect(mail!.text).not.toContain('é'.repeat(501));
  });
});
