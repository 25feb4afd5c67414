/** The seeded service taxonomy and the places served. Slugs are stable ids stored in the database. */

export const CATEGORIES = [
  { slug: 'menage', fr: 'Ménage', en: 'Home cleaning' },
  { slug: 'garde-enfants', fr: "Garde d'enfants", en: 'Childcare' },
  { slug: 'promenade-chiens', fr: 'Promenade de chiens', en: 'Dog walking' },
  { slug: 'demenagement', fr: 'Déménagement', en: 'Moving' },
  { slug: 'developpement-web', fr: 'Développement web', en: 'Web development' },
  { slug: 'design-graphique', fr: 'Design graphique', en: 'Graphic design' },
  { slug: 'soutien-informatique', fr: 'Soutien informatique', en: 'IT support' },
  { slug: 'traduction', fr: 'Traduction', en: 'Translation' },
  { slug: 'jardinage', fr: 'Jardinage', en: 'Gardening' },
  { slug: 'reparation-velos', fr: 'Réparation de vélos', en: 'Bike repair' },
  { slug: 'traiteur', fr: 'Traiteur', en: 'Catering' },
  { slug: 'comptabilite', fr: 'Comptabilité', en: 'Bookkeeping' },
  { slug: 'photographie', fr: 'Photographie', en: 'Photography' },
  { slug: 'tutorat', fr: 'Tutorat', en: 'Tutoring' },
] as const;

export type CategorySlug = (typeof CATEGORIES)[number]['slug'];
export const CATEGORY_SLUGS = CATEGORIES.map((c) => c.slug) as [CategorySlug, ...CategorySlug[]];

/** Montréal's 19 boroughs and the neighbouring cities co-ops commonly serve. */
export const REGIONS = [
  { slug: 'ahuntsic-cartierville', fr: 'Ahuntsic-Cartierville', en: 'Ahuntsic-Cartierville' },
  { slug: 'anjou', fr: 'Anjou', en: 'Anjou' },
  { slug: 'cote-des-neiges-ndg', fr: 'Côte-des-Neiges–Notre-Dame-de-Grâce', en: 'Côte-des-Neiges–Notre-Dame-de-Grâce' },
  { slug: 'lachine', fr: 'Lachine', en: 'Lachine' },
  { slug: 'lasalle', fr: 'LaSalle', en: 'LaSalle' },
  { slug: 'plateau-mont-royal', fr: 'Le Plateau-Mont-Royal', en: 'Plateau-Mont-Royal' },
  { slug: 'sud-ouest', fr: 'Le Sud-Ouest', en: 'Le Sud-Ouest' },
  { slug: 'ile-bizard-sainte-genevieve', fr: "L'Île-Bizard–Sainte-Geneviève", en: "L'Île-Bizard–Sainte-Geneviève" },
  { slug: 'mercier-hochelaga-maisonneuve', fr: 'Mercier–Hochelaga-Maisonneuve', en: 'Mercier–Hochelaga-Maisonneuve' },
  { slug: 'montreal-nord', fr: 'Montréal-Nord', en: 'Montréal-Nord' },
  { slug: 'outremont', fr: 'Outremont', en: 'Outremont' },
  { slug: 'pierrefonds-roxboro', fr: 'Pierrefonds-Roxboro', en: 'Pierrefonds-Roxboro' },
  { slug: 'riviere-des-prairies-pointe-aux-trembles', fr: 'Rivière-des-Prairies–Pointe-aux-Trembles', en: 'Rivière-des-Prairies–Pointe-aux-Trembles' },
  { slug: 'rosemont-petite-patrie', fr: 'Rosemont–La Petite-Patrie', en: 'Rosemont–La Petite-Patrie' },
  { slug: 'saint-laurent', fr: 'Saint-Laurent', en: 'Saint-Laurent' },
  { slug: 'saint-leonard', fr: 'Saint-Léonard', en: 'Saint-Léonard' },
  { slug: 'verdun', fr: 'Verdun', en: 'Verdun' },
  { slug: 'ville-marie', fr: 'Ville-Marie', en: 'Ville-Marie' },
  { slug: 'villeray-saint-michel-parc-extension', fr: 'Villeray–Saint-Michel–Parc-Extension', en: 'Villeray–Saint-Michel–Parc-Extension' },
  { slug: 'laval', fr: 'Laval', en: 'Laval' },
  { slug: 'longueuil', fr: 'Longueuil', en: 'Longueuil' },
] as const;

export type RegionSlug = (typeof REGIONS)[number]['slug'];
export const REGION_SLUGS = REGIONS.map((r) => r.slug) as [RegionSlug, ...RegionSlug[]];

/** Languages a co-op can serve in (ISO 639-1). */
export const SERVICE_LANGUAGES = ['fr', 'en', 'es', 'ar', 'ht', 'pt', 'zh', 'vi', 'it', 'fa'] as const;
export type ServiceLanguage = (typeof SERVICE_LANGUAGES)[number];

/** Legal forms of a member co-op. Here, not beside its schema: pages import it without zod. */
export const LEGAL_FORMS = ['worker_coop', 'solidarity_coop', 'producer_coop', 'non_profit'] as const;
