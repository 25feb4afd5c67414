/**
 * Many plausible listings, fast, for benchmarks: `seedListingsForBench(db, 10_000)` creates ~200
 * approved co-ops and the listings, bilingual texts assembled from word pools, in batched
 * INSERT … SELECT FROM unnest(…) statements (columns sent as arrays).
 * Deterministic for a given seed, so two runs measure the same data.
 */
import { sql } from 'drizzle-orm';
import { schema, type Db } from '@tissu/db';
import { REGION_SLUGS, SERVICE_LANGUAGES, type CategorySlug, type RegionSlug } from '@tissu/shared';

type Pair = readonly [fr: string, en: string];
type LocationMode = 'client_place' | 'at_coop' | 'remote';

interface CategoryPool {
  heads: readonly Pair[];
  qualifiers: readonly Pair[];
  details: readonly Pair[];
  priceKind: 'hourly' | 'fixed';
  /** Price range in cents, inclusive, in steps of 5 $. */
  price: readonly [number, number];
  durations: readonly number[];
  modes: readonly LocationMode[];
}

const POOLS: Record<CategorySlug, CategoryPool> = {
  menage: {
    heads: [['Ménage', 'Home cleaning'], ['Grand ménage', 'Deep cleaning'], ['Entretien ménager', 'Housekeeping'], ['Ménage écologique', 'Green cleaning']],
    qualifiers: [['hebdomadaire', 'every week'], ['de fin de bail', 'for move-out'], ['de condo', 'for condos'], ['après rénovations', 'after renovations'], ['pour aînés', 'for seniors']],
    details: [['Produits écologiques fournis, salle de bain et cuisine à fond.', 'Green products supplied, bathroom and kitchen done thoroughly.'], ['Même équipe à chaque visite, clés gardées en lieu sûr.', 'The same team every visit, keys kept safe.']],
    priceKind: 'hourly', price: [3500, 5500], durations: [120, 180, 240, 300], modes: ['client_place'],
  },
  'garde-enfants': {
    heads: [["Garde d'enfants", 'Childcare'], ['Gardiennage', 'Babysitting'], ['Halte-garderie', 'Drop-in daycare']],
    qualifiers: [['à domicile', 'at home'], ['en soirée', 'in the evening'], ['la fin de semaine', 'on weekends'], ['pour poupons', 'for infants']],
    details: [['Gardiennes avec secourisme pédiatrique à jour.', 'Sitters with current pediatric first aid.'], ['Jeux libres, lecture et sorties au parc.', 'Free play, reading and trips to the park.']],
    priceKind: 'hourly', price: [1500, 2800], durations: [120, 180, 240, 300], modes: ['client_place', 'client_place', 'at_coop'],
  },
  'promenade-chiens': {
    heads: [['Promenade de chiens', 'Dog walking'], ['Promenade canine', 'Dog walk'], ['Visite pour animaux', 'Pet visit']],
    qualifiers: [['en groupe', 'in a small group'], ['individuelle', 'one-on-one'], ['au parc', 'at the park'], ['pour chiots', 'for puppies']],
    details: [['Photo envoyée après chaque sortie.', 'A photo sent after every outing.'], ['Quatre chiens au maximum par groupe.', 'Four dogs at most per group.']],
    priceKind: 'fixed', price: [2000, 4500], durations: [30, 45, 60], modes: ['client_place'],
  },
  demenagement: {
    heads: [['Déménagement', 'Moving'], ['Déménageurs', 'Movers'], ['Transport de meubles', 'Furniture transport']],
    qualifiers: [['de 3 ½', 'one-bedroom'], ['de 5 ½', 'three-bedroom'], ['pour étudiants', 'for students'], ['du 1er juillet', 'on July 1st']],
    details: [['Camion de 26 pieds et couvertures fournis.', '26-foot truck and blankets supplied.'], ['Aucuns frais cachés, escaliers compris.', 'No hidden fees, stairs included.']],
    priceKind: 'fixed', price: [35000, 120000], durations: [180, 240, 360, 480], modes: ['client_place'],
  },
  'developpement-web': {
    heads: [['Développement web', 'Web development'], ['Site web', 'Website'], ['Application web', 'Web application']],
    qualifiers: [['pour OBNL', 'for non-profits'], ['accessible', 'accessible'], ['bilingue', 'bilingual'], ['pour commerce', 'for local shops']],
    details: [['Logiciels libres et hébergement au Québec.', 'Free software and hosting in Québec.'], ['Formation incluse pour la mise à jour.', 'Training included so you can update it.']],
    priceKind: 'hourly', price: [8500, 12000], durations: [60, 120, 240], modes: ['remote', 'remote', 'at_coop'],
  },
  'design-graphique': {
    heads: [['Design graphique', 'Graphic design'], ['Identité visuelle', 'Visual identity'], ['Conception de logo', 'Logo design']],
    qualifiers: [['pour commerce', 'for small business'], ["pour événement", 'for events'], ['pour organisme culturel', 'for cultural groups']],
    details: [['Impression locale sur papier recyclé.', 'Printed locally on recycled paper.'], ['Trois rondes de propositions.', 'Three rounds of proposals.']],
    priceKind: 'fixed', price: [30000, 200000], durations: [240, 480, 1200], modes: ['remote'],
  },
  'soutien-informatique': {
    heads: [['Soutien informatique', 'IT support'], ['Dépannage informatique', 'Computer repair'], ['Réseau et sauvegardes', 'Network and backups']],
    qualifiers: [['à domicile', 'at home'], ['pour petites équipes', 'for small teams'], ['pour aînés', 'for seniors']],
    details: [['On documente tout ce qu’on fait.', 'We document everything we do.'], ['Récupération de données et virus.', 'Data recovery and viruses.']],
    priceKind: 'hourly', price: [6000, 9500], durations: [60, 120], modes: ['client_place', 'remote'],
  },
  traduction: {
    heads: [['Traduction', 'Translation'], ['Interprétation', 'Interpreting'], ['Révision', 'Copy editing']],
    qualifiers: [['certifiée', 'certified'], ['français-anglais', 'French-English'], ['espagnol-français', 'Spanish-French'], ['arabe-français', 'Arabic-French']],
    details: [['Relecture par une deuxième traductrice.', 'Reviewed by a second translator.'], ['Documents officiels acceptés par l’immigration.', 'Official documents accepted by immigration.']],
    priceKind: 'hourly', price: [5000, 8000], durations: [60, 120, 240], modes: ['remote', 'remote', 'client_place'],
  },
  jardinage: {
    heads: [['Jardinage', 'Gardening'], ['Entretien de jardin', 'Garden care'], ['Aménagement paysager', 'Landscaping']],
    qualifiers: [['sans pesticides', 'pesticide-free'], ['de balcon', 'for balconies'], ['potager', 'vegetable garden'], ['de printemps', 'spring']],
    details: [['Plantes indigènes et pollinisateurs.', 'Native plants and pollinators.'], ['Outils à batterie, compost laissé sur place.', 'Battery tools, compost left on site.']],
    priceKind: 'hourly', price: [4000, 6500], durations: [120, 180, 240], modes: ['client_place'],
  },
  'reparation-velos': {
    heads: [['Réparation de vélos', 'Bike repair'], ['Mise au point de vélo', 'Bike tune-up'], ['Mécanique vélo', 'Bike mechanics']],
    qualifiers: [['complète', 'full'], ["d'hiver", 'winter'], ['à domicile', 'at your door'], ['express', 'express']],
    details: [['Pièces usagées récupérées quand c’est possible.', 'Salvaged used parts whenever possible.'], ['Freins, vitesses et roues ajustés.', 'Brakes, gears and wheels adjusted.']],
    priceKind: 'fixed', price: [2000, 12000], durations: [30, 60, 90], modes: ['at_coop', 'at_coop', 'client_place'],
  },
  traiteur: {
    heads: [['Traiteur', 'Catering'], ['Buffet', 'Buffet'], ['Boîtes-repas', 'Boxed lunches']],
    qualifiers: [['pour réunion', 'for meetings'], ['végétalien', 'vegan'], ['pour fête familiale', 'for family parties'], ['halal', 'halal']],
    details: [['Ingrédients de fermes québécoises.', 'Ingredients from Québec farms.'], ['Contenants consignés, rien de jetable.', 'Returnable containers, nothing disposable.']],
    priceKind: 'fixed', price: [25000, 150000], durations: [60, 120, 180, 240], modes: ['client_place', 'client_place', 'at_coop'],
  },
  comptabilite: {
    heads: [['Tenue de livres', 'Bookkeeping'], ['Comptabilité', 'Accounting'], ['Déclarations de taxes', 'Sales tax returns']],
    qualifiers: [['pour OBNL', 'for non-profits'], ['pour travailleurs autonomes', 'for the self-employed'], ['pour coopératives', 'for co-ops']],
    details: [['TPS, TVQ et paie.', 'GST, QST and payroll.'], ['On explique les chiffres en mots simples.', 'We explain the numbers in plain words.']],
    priceKind: 'hourly', price: [5000, 9000], durations: [60, 120, 180], modes: ['remote', 'at_coop'],
  },
  photographie: {
    heads: [['Photographie', 'Photography'], ['Séance photo', 'Photo shoot'], ['Portraits', 'Portraits']],
    qualifiers: [["d'événement", 'for events'], ['de produits', 'for products'], ['de famille', 'for families'], ['professionnels', 'professional']],
    details: [['Photos retouchées livrées sous 48 heures.', 'Retouched photos delivered within 48 hours.'], ['Studio lumineux dans le Mile End.', 'Bright studio in the Mile End.']],
    priceKind: 'fixed', price: [15000, 90000], durations: [60, 120, 240], modes: ['client_place', 'at_coop'],
  },
  tutorat: {
    heads: [['Tutorat', 'Tutoring'], ['Aide aux devoirs', 'Homework help'], ['Cours particuliers', 'Private lessons']],
    qualifiers: [['en mathématiques', 'in math'], ['en français', 'in French'], ['au primaire', 'for elementary school'], ['au secondaire', 'for high school']],
    details: [['Étudiantes en enseignement, programme du ministère.', 'Education students, Québec curriculum.'], ['Suivi envoyé aux parents après chaque séance.', 'A progress note for parents after each session.']],
    priceKind: 'hourly', price: [2500, 5000], durations: [60, 90], modes: ['client_place', 'at_coop', 'remote'],
  },
};

const CATEGORY_SLUGS = Object.keys(POOLS) as CategorySlug[];

const COMMON_DETAILS: readonly Pair[] = [
  ['Une coopérative de travail du quartier, membres payés un salaire viable.', 'A neighbourhood worker co-op whose members earn a living wage.'],
  ['Prix transparent, taxes en sus, sans frais cachés.', 'Transparent pricing, taxes extra, no hidden fees.'],
  ['Service offert en français et en anglais.', 'Service offered in French and English.'],
  ['Tarif solidaire offert aux familles à faible revenu.', 'A solidarity rate is available for low-income families.'],
  ['Annulation gratuite jusqu’à 48 heures avant.', 'Free cancellation up to 48 hours before.'],
];

const COOP_WORDS: readonly string[] = ['Éclat', 'Solidaire', 'Entraide', 'Racines', 'Ruche', 'Tisserands', 'Boussole', 'Quartier', 'Horizon', 'Colibri', 'Passerelle', 'Marmite', 'Atelier', 'Rivage', 'Cerf-volant'];
const LEGAL_FORMS = ['worker_coop', 'worker_coop', 'solidarity_coop', 'producer_coop', 'non_profit'] as const;

/** mulberry32: small, fast and good enough to vary fixture data. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface BenchSeedOptions {
  /** Defaults to one co-op per 50 listings. */
  coops?: number;
  seed?: number;
  batchSize?: number;
}

export async function seedListingsForBench(
  db: Db,
  count: number,
  options: BenchSeedOptions = {},
): Promise<{ coops: number; listings: number }> {
  const rand = random(options.seed ?? 2026);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const between = (min: number, max: number, step: number) => min + step * Math.floor(rand() * ((max - min) / step + 1));
  const coopCount = Math.max(1, options.coops ?? Math.round(count / 50));
  const batchSize = options.batchSize ?? 5000;
  // A run tag keeps slugs and emails unique if the same database is seeded twice.
  const run = Date.now().toString(36);
  const now = Date.now();

  return db.transaction(async (tx) => {
    const [owner] = await tx
      .insert(schema.users)
      .values({ email: `bench-${run}@tissu.bench`, name: 'Bench owner', passwordHash: '!bench-no-sign-in' })
      .returning({ id: schema.users.id });

    const coopRows = Array.from({ length: coopCount }, (_, i) => {
      const home = pick(REGION_SLUGS);
      const specialty = CATEGORY_SLUGS[i % CATEGORY_SLUGS.length]!;
      const languages = ['fr', ...(rand() < 0.8 ? ['en'] : []), ...(rand() < 0.3 ? [pick(SERVICE_LANGUAGES.slice(2))] : [])];
      return {
        slug: `bench-${run}-${i}`,
        legalName: `Coopérative ${pick(COOP_WORDS)} ${pick(COOP_WORDS)} ${i}`,
        legalForm: pick(LEGAL_FORMS),
        region: home,
        languages,
        descriptionFr: `Coopérative de ${POOLS[specialty].heads[0]![0].toLowerCase()} fondée par ses membres.`,
        descriptionEn: `A ${POOLS[specialty].heads[0]![1].toLowerCase()} co-op founded by its members.`,
        foundedYear: between(1995, 2024, 1),
        status: 'approved' as const,
        decidedAt: new Date(now - 400 * 86_400_000),
        createdBy: owner!.id,
      };
    });
    // In batches: one INSERT of 20,000 co-ops (a million listings) overflows drizzle's stack.
    const coops: { id: string; region: string }[] = [];
    for (let i = 0; i < coopRows.length; i += 1000) {
      coops.push(...(await tx.insert(schema.coops).values(coopRows.slice(i, i + 1000)).returning({ id: schema.coops.id, region: schema.coops.region })));
    }

    // The GIN indexes (the tsvector, the boroughs) are built once at the end, as definitions the
    // migrations gave them: kept up to date row by row (fastupdate off) they doubled the time.
    const gin = (await tx.execute(sql`
      SELECT indexname, indexdef FROM pg_indexes
      WHERE schemaname = current_schema() AND tablename = 'listings' AND indexdef LIKE '% USING gin %'`)) as unknown as { indexname: string; indexdef: string }[];
    for (const i of gin) await tx.execute(sql`DROP INDEX ${sql.identifier(i.indexname)}`);

    // Columns as arrays, one INSERT … SELECT FROM unnest(…) per batch: the statement's size does
    // not grow with the rows, and PostgreSQL does the rest (the tsvector, the indexes). Weekly
    // hours for each (search only finds listings that have opening hours); has_weekly_hours is
    // written as the schedules' trigger would set it, so the trigger has no listing to rewrite.
    const weekly = JSON.stringify([1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '09:00', end: '17:00' })));
    for (let start = 0; start < count; start += batchSize) {
      const n = Math.min(batchSize, count - start);
      const col = {
        coopId: [] as string[], titleFr: [] as string[], titleEn: [] as string[], descriptionFr: [] as string[], descriptionEn: [] as string[],
        category: [] as string[], priceKind: [] as string[], priceCents: [] as number[], durationMinutes: [] as number[],
        locationMode: [] as string[], boroughs: [] as string[], solidarityPriceCents: [] as (number | null)[], createdAt: [] as string[],
      };
      for (let k = 0; k < n; k++) {
        const c = (start + k) % coops.length;
        const coop = coops[c]!;
        // Each co-op mostly sticks to its specialty, with some side services.
        const category = rand() < 0.7 ? CATEGORY_SLUGS[c % CATEGORY_SLUGS.length]! : pick(CATEGORY_SLUGS);
        const pool = POOLS[category];
        const head = pick(pool.heads);
        const qualifier = pick(pool.qualifiers);
        const detail = pick(pool.details);
        const common = pick(COMMON_DETAILS);
        const mode = pick(pool.modes);
        const priceCents = between(pool.price[0], pool.price[1], 500);
        const createdAt = new Date(now - Math.floor(rand() * 365 * 86_400_000));
        col.coopId.push(coop.id);
        col.titleFr.push(`${head[0]} ${qualifier[0]}`);
        col.titleEn.push(`${head[1]} ${qualifier[1]}`);
        col.descriptionFr.push(`${detail[0]} ${common[0]}`);
        col.descriptionEn.push(`${detail[1]} ${common[1]}`);
        col.category.push(category);
        col.priceKind.push(pool.priceKind);
        col.priceCents.push(priceCents);
        col.durationMinutes.push(pick(pool.durations));
        col.locationMode.push(mode);
        // An array literal per row: unnest would flatten an array of arrays.
        col.boroughs.push(`{${boroughsFor(mode, coop.region as RegionSlug, rand).join(',')}}`);
        col.solidarityPriceCents.push(rand() < 0.25 ? Math.max(100, Math.round((priceCents * 0.7) / 100) * 100) : null);
        col.createdAt.push(createdAt.toISOString());
      }
      const inserted = (await tx.execute(sql`
        INSERT INTO listings (coop_id, title_fr, title_en, description_fr, description_en, category, price_kind, price_cents,
          duration_minutes, location_mode, boroughs, solidarity_price_cents, status, created_at, updated_at, has_weekly_hours)
        SELECT coop_id, title_fr, title_en, description_fr, description_en, category, price_kind, price_cents,
          duration_minutes, location_mode, boroughs::text[], solidarity_price_cents, 'active', created_at, created_at, true
        FROM unnest(${arrayLiteral(col.coopId)}::uuid[], ${arrayLiteral(col.titleFr)}::text[], ${arrayLiteral(col.titleEn)}::text[], ${arrayLiteral(col.descriptionFr)}::text[],
          ${arrayLiteral(col.descriptionEn)}::text[], ${arrayLiteral(col.category)}::text[], ${arrayLiteral(col.priceKind)}::text[], ${arrayLiteral(col.priceCents)}::int[],
          ${arrayLiteral(col.durationMinutes)}::int[], ${arrayLiteral(col.locationMode)}::text[], ${arrayLiteral(col.boroughs)}::text[], ${arrayLiteral(col.solidarityPriceCents)}::int[],
          ${arrayLiteral(col.createdAt)}::timestamptz[])
          AS t(coop_id, title_fr, title_en, description_fr, description_en, category, price_kind, price_cents,
            duration_minutes, location_mode, boroughs, solidarity_price_cents, created_at)
        RETURNING id`)) as unknown as { id: string }[];
      await tx.execute(sql`
        INSERT INTO listing_schedules (listing_id, weekly)
        SELECT id, ${weekly}::jsonb FROM unnest(${arrayLiteral(inserted.map((l) => l.id))}::uuid[]) AS t(id)`);
    }
    for (const i of gin) await tx.execute(sql.raw(i.indexdef));
    // Photos as search cards show them: three listings in four have one to three (their order is
    // the card's), and half the co-ops a cover, shown on the cards of their listings without.
    const coopIds = arrayLiteral(coops.map((c) => c.id));
    await tx.execute(sql`
      INSERT INTO listing_photos (id, listing_id, position, alt_fr, alt_en, width, height, widths)
      SELECT gen_random_uuid(), l.id, p, 'Photo du service', 'Photo of the service', 1600, 1067, '{480,960,1600}'
      FROM listings l CROSS JOIN generate_series(0, 2) p
      WHERE l.coop_id = ANY(${coopIds}::uuid[]) AND abs(hashtext(l.id::text)) % 4 > p`);
    await tx.execute(sql`
      INSERT INTO coop_images (coop_id, kind, id, alt_fr, alt_en, width, height, widths)
      SELECT id, 'cover', gen_random_uuid(), 'Notre équipe', 'Our team', 1600, 900, '{480,960,1600}'
      FROM unnest(${coopIds}::uuid[]) WITH ORDINALITY AS t(id, n) WHERE n % 2 = 0`);
    return { coops: coops.length, listings: count };
  });
}

/** A PostgreSQL array literal ('{"a","b",NULL}'), sent as one text parameter and cast by the statement. */
function arrayLiteral(values: readonly (string | number | null)[]): string {
  const item = (v: string | number | null) => (v === null ? 'NULL' : `"${String(v).replace(/[\\"]/g, (c) => `\\${c}`)}"`);
  return `{${values.map(item).join(',')}}`;
}

function boroughsFor(mode: LocationMode, home: RegionSlug, rand: () => number): RegionSlug[] {
  if (mode === 'remote') return [];
  if (mode === 'at_coop') return [home];
  const served = new Set<RegionSlug>([home]);
  const extra = 1 + Math.floor(rand() * 5);
  for (let i = 0; i < extra; i++) served.add(REGION_SLUGS[Math.floor(rand() * REGION_SLUGS.length)]!);
  return [...served];
}
