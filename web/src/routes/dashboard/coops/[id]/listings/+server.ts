import { redirect } from '@sveltejs/kit';
import type { RequestHandler } from './$types';

/**
 * The co-op's listings are listed on its dashboard page, under "Annonces": this address (the
 * parent of each listing's own pages, so people type it) leads there. Who may see it is that
 * page's to decide.
 */
export const GET: RequestHandler = ({ params }) => redirect(307, `/dashboard/coops/${encodeURIComponent(params.id)}#listings`);
