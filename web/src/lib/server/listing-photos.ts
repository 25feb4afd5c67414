/**
 * A listing's photos rendered on the server (lib/components/ListingPhotos.svelte): the page
 * shows them with {@html} and ships no script for them, keeping it within issue 11's JS budget.
 */
import { render } from 'svelte/server';
import type { ShownPhoto } from '$lib/photos';
import ListingPhotos from '$lib/components/ListingPhotos.svelte';

export function listingPhotosHtml(photos: readonly ShownPhoto[]): string | null {
  return photos.length ? render(ListingPhotos, { props: { photos } }).body : null;
}
