/**
 * Demo photos, drawn here rather than downloaded: each co-op gets a logo (its initials' colours as
 * shapes), a cover, and each listing 1 to 4 photos of geometric motifs in the co-op's colours,
 * with alternative text in both languages saying what they are. They go through the same
 * processing as an upload (processPhoto: widths, AVIF/WebP/JPEG) and the same storage.
 *
 * To stay fast, a small pool of images is drawn and processed once; each listing's photos reuse
 * the pool's files under their own ids (a photo's files belong to it alone, so deleting one
 * leaves the others whole).
 */
import sharp from 'sharp';
import { eq, inArray } from 'drizzle-orm';
import { schema, type Db } from '@tissu/db';
import { MAX_LISTING_PHOTOS } from '@tissu/shared';
import { processPhoto, writePhotoFiles } from '../../server/src/modules/media/index.js';
import type { Storage } from '../../server/src/plugins/storage.js';
import { DEMO_COOPS } from './data.js';

const HUES = [205, 150, 20, 280, 45, 330, 175, 95, 0, 240, 60, 310];
const POOL = 8;

const hsl = (h: number, s: number, l: number) => `hsl(${h % 360},${s}%,${l}%)`;

/** What each motif shows, for its alt text (the drawing's `variant % 4`). */
const MOTIFS = [
  { fr: 'des cercles colorés', en: 'coloured circles' },
  { fr: 'des bandes verticales colorées', en: 'coloured vertical stripes' },
  { fr: 'des collines colorées', en: 'coloured hills' },
  { fr: 'des carrés colorés inclinés', en: 'tilted coloured squares' },
];

/** One of a few motifs (circles, stripes, hills, tiles) over a gradient in `hue`. */
function motif(hue: number, variant: number, width: number, height: number): string {
  const bg = `<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${hsl(hue, 55, 70)}"/><stop offset="1" stop-color="${hsl(hue + 40, 60, 40)}"/></linearGradient></defs><rect width="100%" height="100%" fill="url(#g)"/>`;
  const shapes: string[] = [];
  const v = variant % 4;
  for (let i = 0; i < 7; i++) {
    const x = ((i * 137 + variant * 61) % 100) / 100 * width;
    const y = ((i * 71 + variant * 29) % 100) / 100 * height;
    const r = (0.06 + ((i * 13) % 7) / 50) * Math.min(width, height);
    const fill = hsl(hue + i * 25, 50, 30 + ((i * 11) % 50));
    if (v === 0) shapes.push(`<circle cx="${x}" cy="${y}" r="${r}" fill="${fill}" opacity="0.75"/>`);
    if (v === 1) shapes.push(`<rect x="${(i / 7) * width}" y="0" width="${width / 14}" height="${height}" fill="${fill}" opacity="0.6"/>`);
    if (v === 2) shapes.push(`<ellipse cx="${(i / 6) * width}" cy="${height}" rx="${width / 4}" ry="${height * (0.3 + (i % 3) / 8)}" fill="${fill}" opacity="0.7"/>`);
    if (v === 3) shapes.push(`<rect x="${x}" y="${y}" width="${r * 1.6}" height="${r * 1.6}" transform="rotate(${i * 17} ${x} ${y})" fill="${fill}" opacity="0.7"/>`);
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${bg}${shapes.join('')}</svg>`;
}

function logoSvg(hue: number): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256"><rect width="256" height="256" rx="48" fill="${hsl(hue, 55, 35)}"/>` +
    `<circle cx="100" cy="128" r="62" fill="${hsl(hue + 30, 70, 70)}"/><circle cx="156" cy="128" r="62" fill="${hsl(hue + 180, 60, 60)}" opacity="0.8"/></svg>`;
}

const draw = async (svg: string) => processPhoto(await sharp(Buffer.from(svg)).png().toBuffer());


/** Adds the demo's photos once: a database whose demo co-ops already have images is left as it is. */
export async function seedDemoPhotos(db: Db, storage: Storage): Promise<{ photos: number }> {
  const coops = await db.select({ id: schema.coops.id, slug: schema.coops.slug }).from(schema.coops)
    .where(inArray(schema.coops.slug, DEMO_COOPS.map((c) => c.slug)));
  if (coops.length === 0) return { photos: 0 };
  const [existing] = await db.select({ id: schema.coopImages.id }).from(schema.coopImages)
    .where(inArray(schema.coopImages.coopId, coops.map((c) => c.id))).limit(1);
  if (existing) return { photos: 0 };
  const idOf = new Map(coops.map((c) => [c.slug, c.id]));

  const pool = await Promise.all(Array.from({ length: POOL }, (_, i) => draw(motif(HUES[i % HUES.length]!, i, 960, 640))));
  const covers = await Promise.all([0, 1, 2, 3].map((i) => draw(motif(HUES[(i * 3) % HUES.length]!, i + 1, 1600, 500))));
  let count = 0;
  const written: string[][] = [];
  try {
    await db.transaction(async (tx) => {
      for (const [c, coop] of DEMO_COOPS.entries()) {
        const coopId = idOf.get(coop.slug);
        if (!coopId) continue;
        const hue = HUES[c % HUES.length]!;
        const logo = await draw(logoSvg(hue));
        const cover = covers[c % covers.length]!;
        for (const [kind, photo, altFr, altEn] of [
          ['logo', logo, `Logo de ${coop.legalName}`, `${coop.legalName} logo`],
          ['cover', cover, `Bannière aux couleurs de ${coop.legalName}`, `Banner in the colours of ${coop.legalName}`],
        ] as const) {
          const { id, keys } = await writePhotoFiles(storage, photo);
          written.push(keys);
          await tx.insert(schema.coopImages).values({ coopId, kind, id, altFr, altEn, width: photo.width, height: photo.height, widths: photo.widths });
          count++;
        }
        const listings = await tx.select({ id: schema.listings.id, titleFr: schema.listings.titleFr, titleEn: schema.listings.titleEn })
          .from(schema.listings).where(eq(schema.listings.coopId, coopId)).orderBy(schema.listings.createdAt);
        for (const [l, listing] of listings.entries()) {
          const n = Math.min(MAX_LISTING_PHOTOS, 1 + ((c + l) % 4));
          for (let k = 0; k < n; k++) {
            const p = (c * 3 + l + k) % POOL;
            const photo = pool[p]!;
            const what = MOTIFS[p % 4]!;
            const { id, keys } = await writePhotoFiles(storage, photo);
            written.push(keys);
            await tx.insert(schema.listingPhotos).values({
              id, listingId: listing.id, position: k, width: photo.width, height: photo.height, widths: photo.widths,
              altFr: `Illustration de « ${listing.titleFr} » : ${what.fr} sur un dégradé`,
              altEn: `Illustration for “${listing.titleEn}”: ${what.en} over a gradient`,
            });
            count++;
          }
        }
      }
    });
  } catch (err) {
    await storage.delete(written.flat()).catch(() => undefined);
    throw err;
  }
  return { photos: count };
}
