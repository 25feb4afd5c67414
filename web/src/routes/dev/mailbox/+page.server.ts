import { error } from '@sveltejs/kit';
import { isLoopbackAddress } from '@tissu/shared';
import { m } from '$lib/paraglide/messages';
import { isApiError } from '$lib/server/api-error';
import { loadFailure } from '$lib/server/guards';
import { calendarSummary } from './calendar';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  // The emails hold password-reset links: only this machine may read them. The socket's own peer
  // address decides (adapter-node without ADDRESS_HEADER), never a forwarded header.
  let peer: string | undefined;
  try {
    peer = event.getClientAddress();
  } catch {
    peer = undefined;
  }
  if (!isLoopbackAddress(peer)) error(404, { message: m.error_not_found_title() });
  try {
    const { items } = await event.locals.api.devMailbox();
    const newestFirst = [...items].sort((a, b) => Date.parse(b.sentAt) - Date.parse(a.sentAt));
    return {
      enabled: true,
      items: newestFirst.map(({ attachments, ...mail }) => ({
        ...mail,
        attachments: attachments.map((a) => ({
          filename: a.filename,
          type: a.contentType.split(';')[0]!.trim(),
          bytes: new TextEncoder().encode(a.content).length,
          href: `data:${a.contentType.split(';')[0]!.trim()};charset=utf-8,${encodeURIComponent(a.content)}`,
          calendar: a.contentType.startsWith('text/calendar') ? calendarSummary(a.content) : null,
        })),
      })),
    };
  } catch (e) {
    // The API answers 404 when real SMTP is configured (or in production): nothing to show here.
    if (isApiError(e) && e.status === 404) return { enabled: false, items: [] };
    loadFailure(event, e);
  }
};
