import type { DemoCoop } from './types.js';

/** Fictional co-ops that move, grow, fix and cook. Any resemblance is accidental. */

const MOVING_AREA = [
  'mercier-hochelaga-maisonneuve',
  'rosemont-petite-patrie',
  'plateau-mont-royal',
  'villeray-saint-michel-parc-extension',
  'ville-marie',
  'anjou',
  'saint-leonard',
] as const;

export const demenageursSolidaires: DemoCoop = {
  slug: 'demenageurs-solidaires',
  legalName: 'Coopérative de travail Les Déménageurs Solidaires',
  legalForm: 'worker_coop',
  neq: '1170215587',
  region: 'mercier-hochelaga-maisonneuve',
  languages: ['fr', 'en', 'ht'],
  foundedYear: 2011,
  descriptionFr:
    "Fondée dans Hochelaga en 2011, la coop compte aujourd'hui quatorze déménageurs membres et trois camions de 26 pieds. On connaît les escaliers en colimaçon de Montréal par cœur et on n'ajoute aucuns frais cachés le 1er juillet. Les membres sont payés à l'heure et les pourboires sont partagés également.",
  descriptionEn:
    "Founded in Hochelaga in 2011, the co-op now has fourteen mover-members and three 26-foot trucks. We know Montréal's spiral staircases by heart and never add hidden fees on July 1st. Members are paid by the hour and tips are shared equally.",
  commitments:
    'Aucuns frais cachés · Assurance responsabilité de 2 M$ · Couvertures réutilisables plutôt que pellicule plastique · Meubles non désirés donnés aux organismes du quartier',
  admin: { email: 'demenageurs-solidaires@tissu.demo', name: 'Patrick Joseph', locale: 'fr' },
  listings: [
    {
      titleFr: 'Déménagement de 3 ½ (équipe de deux)',
      titleEn: 'One-bedroom move (team of two)',
      descriptionFr:
        "Deux déménageurs, un camion de 26 pieds, couvertures et diables compris. Le prix fixe couvre un trajet dans l'île et jusqu'à quatre heures de travail.",
      descriptionEn:
        'Two movers, a 26-foot truck, blankets and dollies included. The fixed price covers a trip on the island and up to four hours of work.',
      category: 'demenagement',
      priceKind: 'fixed',
      priceCents: 45000,
      durationMinutes: 240,
      locationMode: 'client_place',
      boroughs: [...MOVING_AREA],
    },
    {
      titleFr: 'Déménagement de 5 ½ (équipe de trois)',
      titleEn: 'Three-bedroom move (team of three)',
      descriptionFr:
        "Trois déménageurs pour une grande famille et ses boîtes. On démonte et remonte les lits et on protège les cadres de porte.",
      descriptionEn:
        'Three movers for a big household and all its boxes. We take apart and reassemble the beds and protect your door frames.',
      category: 'demenagement',
      priceKind: 'fixed',
      priceCents: 85000,
      durationMinutes: 420,
      locationMode: 'client_place',
      boroughs: [...MOVING_AREA],
    },
    {
      titleFr: "Camion et déménageurs à l'heure",
      titleEn: 'Truck and movers by the hour',
      descriptionFr:
        "Pour les déménagements qui ne rentrent dans aucune case : deux déménageurs et un camion, facturés à l'heure, minimum trois heures.",
      descriptionEn:
        "For moves that don't fit any box: two movers and a truck, billed by the hour, three-hour minimum.",
      category: 'demenagement',
      priceKind: 'hourly',
      priceCents: 14500,
      durationMinutes: 180,
      locationMode: 'client_place',
      boroughs: [...MOVING_AREA, 'longueuil', 'laval'],
    },
    {
      titleFr: "Transport d'un meuble ou d'un électroménager",
      titleEn: 'Single furniture or appliance delivery',
      descriptionFr:
        "Un sofa trouvé sur Marketplace ou une laveuse neuve ? On le transporte et on le monte jusqu'à votre étage.",
      descriptionEn:
        'A couch you found online or a new washing machine? We pick it up and carry it up to your floor.',
      category: 'demenagement',
      priceKind: 'fixed',
      priceCents: 12000,
      durationMinutes: 90,
      locationMode: 'client_place',
      boroughs: [...MOVING_AREA],
    },
    {
      titleFr: 'Emballage avant le déménagement',
      titleEn: 'Packing before your move',
      descriptionFr:
        "On emballe la vaisselle, les livres et les objets fragiles dans des bacs réutilisables qu'on reprend après. Chaque bac est étiqueté par pièce.",
      descriptionEn:
        'We pack dishes, books and fragile things into reusable crates that we collect afterwards. Every crate is labelled by room.',
      category: 'demenagement',
      priceKind: 'hourly',
      priceCents: 6000,
      durationMinutes: 240,
      locationMode: 'client_place',
      boroughs: [...MOVING_AREA],
      solidarityPriceCents: 4500,
    },
    {
      titleFr: 'Déménagement pour personnes aînées',
      titleEn: 'Seniors’ move with unpacking',
      descriptionFr:
        "On accompagne le passage vers une résidence ou un plus petit logement : tri, emballage, transport et installation du nouveau chez-soi. Une seule personne-ressource du début à la fin.",
      descriptionEn:
        'We help with the move to a residence or a smaller home: sorting, packing, transport and setting up the new place. One contact person from start to finish.',
      category: 'demenagement',
      priceKind: 'fixed',
      priceCents: 95000,
      durationMinutes: 480,
      locationMode: 'client_place',
      boroughs: [...MOVING_AREA, 'ahuntsic-cartierville'],
      solidarityPriceCents: 75000,
    },
  ],
};

const GARDEN_AREA = [
  'ahuntsic-cartierville',
  'laval',
  'saint-laurent',
  'villeray-saint-michel-parc-extension',
  'montreal-nord',
  'rosemont-petite-patrie',
] as const;

export const racinesUrbaines: DemoCoop = {
  slug: 'racines-urbaines',
  legalName: 'Coopérative de producteurs Racines Urbaines',
  legalForm: 'producer_coop',
  region: 'ahuntsic-cartierville',
  languages: ['fr', 'en', 'it', 'pt'],
  foundedYear: 2010,
  descriptionFr:
    "Racines Urbaines est une coopérative de producteurs qui réunit des jardiniers et des horticultrices à leur compte d'Ahuntsic et de Laval. On entretient des cours, des balcons et des potagers sans pesticides, en misant sur les plantes indigènes et les pollinisateurs. Du printemps jusqu'aux premières neiges.",
  descriptionEn:
    'Racines Urbaines is a producer co-op of self-employed gardeners and horticulturists from Ahuntsic and Laval. We look after yards, balconies and vegetable gardens without pesticides, favouring native plants and pollinators. From spring until the first snow.',
  commitments:
    'Aucun pesticide de synthèse · Plantes indigènes et semences locales · Outils à batterie, pas à essence · Compost laissé sur place',
  admin: { email: 'racines-urbaines@tissu.demo', name: 'Marc-Olivier Pelletier', locale: 'fr' },
  listings: [
    {
      titleFr: 'Entretien de jardin et de plates-bandes',
      titleEn: 'Garden and flower bed upkeep',
      descriptionFr:
        'Désherbage à la main, taille légère, paillage et arrosage, aux deux semaines ou une fois par mois. On vous laisse une note sur ce qui fleurit et ce qui souffre.',
      descriptionEn:
        "Hand weeding, light pruning, mulching and watering, every two weeks or once a month. We leave you a note on what's blooming and what's struggling.",
      category: 'jardinage',
      priceKind: 'hourly',
      priceCents: 4800,
      durationMinutes: 180,
      locationMode: 'client_place',
      boroughs: [...GARDEN_AREA],
      solidarityPriceCents: 3800,
    },
    {
      titleFr: "Aménagement d'un potager urbain",
      titleEn: 'Urban vegetable garden setup',
      descriptionFr:
        "Bacs surélevés en cèdre, terreau, semis et plan de culture adapté à l'ensoleillement de votre cour ou de votre balcon. Un suivi est inclus en juillet.",
      descriptionEn:
        'Raised cedar beds, soil, seedlings and a planting plan suited to the sun in your yard or on your balcony. A follow-up visit in July is included.',
      category: 'jardinage',
      priceKind: 'fixed',
      priceCents: 65000,
      durationMinutes: 480,
      locationMode: 'client_place',
      boroughs: [...GARDEN_AREA],
    },
    {
      titleFr: 'Ouverture de terrain au printemps',
      titleEn: 'Spring yard clean-up',
      descriptionFr:
        'Râtelage, ramassage des branches, nettoyage des plates-bandes et première tonte. Les résidus verts sont compostés, pas envoyés au dépotoir.',
      descriptionEn:
        'Raking, picking up branches, clearing the beds and the first mow of the year. Green waste is composted, never sent to landfill.',
      category: 'jardinage',
      priceKind: 'fixed',
      priceCents: 38000,
      durationMinutes: 360,
      locationMode: 'client_place',
      boroughs: [...GARDEN_AREA],
    },
    {
      titleFr: 'Jardin pour pollinisateurs',
      titleEn: 'Pollinator garden planting',
      descriptionFr:
        "On transforme un bout de pelouse en prairie fleurie d'asclépiades, d'échinacées et de monardes. Les monarques et les abeilles vous remercieront.",
      descriptionEn:
        'We turn a patch of lawn into a flowering meadow of milkweed, coneflowers and bee balm. The monarchs and bees will thank you.',
      category: 'jardinage',
      priceKind: 'fixed',
      priceCents: 90000,
      durationMinutes: 600,
      locationMode: 'client_place',
      boroughs: [...GARDEN_AREA],
    },
    {
      titleFr: "Taille de haies et d'arbustes",
      titleEn: 'Hedge and shrub pruning',
      descriptionFr:
        'Taille de cèdres, de lilas et d\'arbustes fruitiers au bon moment de l\'année, avec des outils électriques silencieux.',
      descriptionEn:
        'Pruning cedars, lilacs and fruit shrubs at the right time of year, with quiet battery tools.',
      category: 'jardinage',
      priceKind: 'hourly',
      priceCents: 5500,
      durationMinutes: 180,
      locationMode: 'client_place',
      boroughs: [...GARDEN_AREA],
    },
  ],
};

export const roueLibre: DemoCoop = {
  slug: 'roue-libre',
  legalName: 'Atelier communautaire Roue Libre',
  legalForm: 'non_profit',
  neq: '1170318864',
  region: 'sud-ouest',
  languages: ['fr', 'en', 'es'],
  foundedYear: 2008,
  descriptionFr:
    "Roue Libre est un atelier vélo sans but lucratif de Saint-Henri, géré par ses mécaniciens et ses membres. On répare, on remet à neuf des vélos usagés et on montre à qui veut apprendre comment entretenir le sien. Les pièces usagées sont récupérées et revendues à petit prix.",
  descriptionEn:
    'Roue Libre is a non-profit bike workshop in Saint-Henri run by its mechanics and members. We repair bikes, refurbish used ones and teach anyone who wants to learn how to look after their own. Used parts are salvaged and sold cheap.',
  commitments:
    'Pièces usagées récupérées · Mécanique enseignée gratuitement le mardi soir · Prix solidaires pour personnes étudiantes et à faible revenu · Livraison en vélo-cargo',
  admin: { email: 'roue-libre@tissu.demo', name: 'Gabriel Ouellet', locale: 'fr' },
  listings: [
    {
      titleFr: 'Mise au point complète',
      titleEn: 'Full bike tune-up',
      descriptionFr:
        'Freins, vitesses, roues dévoilées, chaîne nettoyée et lubrifiée, serrages vérifiés. Pièces en sus, usagées quand elles sont en bon état.',
      descriptionEn:
        'Brakes, gears, wheels trued, chain cleaned and lubed, every bolt checked. Parts extra, used ones whenever they are in good shape.',
      category: 'reparation-velos',
      priceKind: 'fixed',
      priceCents: 9500,
      durationMinutes: 90,
      locationMode: 'at_coop',
      boroughs: ['sud-ouest'],
      solidarityPriceCents: 6500,
    },
    {
      titleFr: 'Réparation de crevaison',
      titleEn: 'Flat tire repair',
      descriptionFr: 'Chambre à air réparée ou remplacée pendant que vous attendez, pression vérifiée.',
      descriptionEn: 'Inner tube patched or replaced while you wait, tire pressure checked.',
      category: 'reparation-velos',
      priceKind: 'fixed',
      priceCents: 2000,
      durationMinutes: 30,
      locationMode: 'at_coop',
      boroughs: ['sud-ouest'],
      solidarityPriceCents: 1200,
    },
    {
      titleFr: 'Réparation à domicile en vélo-cargo',
      titleEn: 'Mobile bike repair at your door',
      descriptionFr:
        "Notre mécanicienne arrive avec son atelier monté sur un vélo-cargo et répare devant chez vous. Parfait pour les familles qui ont plusieurs vélos à remettre en état.",
      descriptionEn:
        'Our mechanic rides over with a workshop on a cargo bike and fixes your bike at your door. Great for families with several bikes to get back on the road.',
      category: 'reparation-velos',
      priceKind: 'hourly',
      priceCents: 6500,
      durationMinutes: 60,
      locationMode: 'client_place',
      boroughs: ['sud-ouest', 'verdun', 'ville-marie', 'cote-des-neiges-ndg', 'lasalle'],
    },
    {
      titleFr: "Préparation du vélo pour l'hiver",
      titleEn: 'Winter bike prep',
      descriptionFr:
        "Pneus à clous, garde-boue, éclairage et traitement antirouille pour rouler de décembre à mars sans abîmer votre vélo.",
      descriptionEn:
        'Studded tires, fenders, lights and rust-proofing so you can ride from December to March without wrecking your bike.',
      category: 'reparation-velos',
      priceKind: 'fixed',
      priceCents: 7500,
      durationMinutes: 60,
      locationMode: 'at_coop',
      boroughs: ['sud-ouest'],
    },
    {
      titleFr: 'Cours de mécanique vélo',
      titleEn: 'Bike mechanics class',
      descriptionFr:
        'Deux heures en petit groupe pour apprendre à réparer une crevaison, régler ses freins et ajuster ses vitesses. Outils fournis, venez avec votre vélo.',
      descriptionEn:
        'Two hours in a small group to learn how to fix a flat, adjust your brakes and tune your gears. Tools provided; bring your bike.',
      category: 'reparation-velos',
      priceKind: 'fixed',
      priceCents: 4000,
      durationMinutes: 120,
      locationMode: 'at_coop',
      boroughs: ['sud-ouest'],
      solidarityPriceCents: 2000,
    },
  ],
};

const CATERING_AREA = [
  'villeray-saint-michel-parc-extension',
  'rosemont-petite-patrie',
  'ahuntsic-cartierville',
  'saint-leonard',
  'montreal-nord',
  'plateau-mont-royal',
  'ville-marie',
] as const;

export const laMarmite: DemoCoop = {
  slug: 'la-marmite',
  legalName: 'Coopérative de travail La Marmite collective',
  legalForm: 'worker_coop',
  neq: '1175502186',
  region: 'villeray-saint-michel-parc-extension',
  languages: ['fr', 'en', 'ar', 'ht', 'es'],
  foundedYear: 2020,
  descriptionFr:
    "La Marmite est une coop de cuisinières et de cuisiniers de Saint-Michel et de Parc-Extension qui font les recettes de leurs familles : Haïti, Liban, Sénégal, Mexique et Québec. On nourrit les réunions, les fêtes et les assemblées générales avec des produits de fermes d'ici et des contenants consignés.",
  descriptionEn:
    "La Marmite is a co-op of cooks from Saint-Michel and Parc-Extension who make their families' recipes: Haiti, Lebanon, Senegal, Mexico and Québec. We feed meetings, parties and annual general meetings with produce from local farms and returnable containers.",
  commitments:
    'Ingrédients de fermes québécoises · Contenants consignés, aucune vaisselle jetable · Options végétaliennes et halal · Surplus donnés au frigo communautaire',
  admin: { email: 'la-marmite@tissu.demo', name: 'Fatou Ndiaye', locale: 'fr' },
  listings: [
    {
      titleFr: 'Buffet pour réunion (20 personnes)',
      titleEn: 'Meeting buffet for 20',
      descriptionFr:
        'Deux plats chauds, salades, pain et dessert, livrés et installés. Menu végétalien possible sans frais.',
      descriptionEn:
        'Two hot dishes, salads, bread and dessert, delivered and set up. A vegan menu is available at no extra cost.',
      category: 'traiteur',
      priceKind: 'fixed',
      priceCents: 42000,
      durationMinutes: 120,
      locationMode: 'client_place',
      boroughs: [...CATERING_AREA],
      solidarityPriceCents: 34000,
    },
    {
      titleFr: 'Boîtes-repas pour assemblée générale',
      titleEn: 'Boxed lunches for your general assembly',
      descriptionFr:
        'Vingt-cinq boîtes-repas individuelles, étiquetées selon les allergies, dans des contenants consignés que l\'on récupère le lendemain.',
      descriptionEn:
        'Twenty-five individual boxed lunches, labelled for allergies, in returnable containers we collect the next day.',
      category: 'traiteur',
      priceKind: 'fixed',
      priceCents: 38000,
      durationMinutes: 60,
      locationMode: 'client_place',
      boroughs: [...CATERING_AREA],
    },
    {
      titleFr: 'Cocktail dînatoire',
      titleEn: 'Cocktail reception finger food',
      descriptionFr:
        "Accras de morue, fatayers, pastels et bouchées végétaliennes pour une cinquantaine d'invités, avec service sur place.",
      descriptionEn:
        'Salt cod fritters, fatayer, pastels and vegan bites for about fifty guests, with staff on site.',
      category: 'traiteur',
      priceKind: 'fixed',
      priceCents: 95000,
      durationMinutes: 240,
      locationMode: 'client_place',
      boroughs: [...CATERING_AREA],
    },
    {
      titleFr: 'Atelier de cuisine en groupe',
      titleEn: 'Group cooking workshop',
      descriptionFr:
        "Une cuisinière de la coop vous apprend un plat de son pays, puis on mange ensemble. Idéal pour une activité d'équipe, jusqu'à douze personnes.",
      descriptionEn:
        'A co-op cook teaches you a dish from her home country, then everyone eats together. Great as a team activity, up to twelve people.',
      category: 'traiteur',
      priceKind: 'fixed',
      priceCents: 48000,
      durationMinutes: 180,
      locationMode: 'at_coop',
      boroughs: ['villeray-saint-michel-parc-extension'],
    },
    {
      titleFr: 'Repas de fête familiale',
      titleEn: 'Family celebration meal',
      descriptionFr:
        'Baptême, anniversaire ou retrouvailles : un repas complet pour trente personnes, avec le riz collé, le poulet yassa ou la tourtière selon vos goûts.',
      descriptionEn:
        'Christening, birthday or reunion: a full meal for thirty people, with diri kole, chicken yassa or tourtière, whatever you fancy.',
      category: 'traiteur',
      priceKind: 'fixed',
      priceCents: 65000,
      durationMinutes: 180,
      locationMode: 'client_place',
      boroughs: [...CATERING_AREA],
    },
  ],
};
