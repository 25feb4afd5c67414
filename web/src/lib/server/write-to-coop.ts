/**
 * "Écrire à la coop" rendered on the server (the component is never shipped to the browser). Apart
 * from lib/server/conversations.ts so that module stays free of Svelte components (its unit tests
 * run without the Svelte compiler).
 */
import { render } from 'svelte/server';
import { m } from '$lib/paraglide/messages';
import WriteToCoop from '$lib/components/WriteToCoop.svelte';
import { conversationLimits } from './conversation-limits';

/**
 * "Écrire à la coop" as HTML, for a listing's page (`{ listing }`) or a co-op's (`{ coop }`: its
 * slug): the pages show it with {@html} and ship no script for it.
 */
export function writeToCoopHtml(target: { listing: string } | { coop: string }, opts: { coopName: string; signedIn: boolean; open: boolean }): string {
  const l = conversationLimits();
  const action = `/messages/new?${new URLSearchParams(target)}`;
  const words = {
    button: m.conv_write_to_coop(),
    label: m.conv_write_label({ coop: opts.coopName }),
    hint: m.conv_write_hint({ count: l.messageText }),
    send: m.conv_write_send(),
    signIn: m.conv_write_sign_in(),
  };
  return render(WriteToCoop, { props: { action, signedIn: opts.signedIn, open: opts.open, limit: l.message, words } }).body;
}
