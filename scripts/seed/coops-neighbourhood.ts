import type { DemoCoop } from './types.js';

/** Fictional co-ops whose members come to the client's home or yard. Any resemblance is accidental. */

const EAST_CENTRAL = [
  'rosemont-petite-patrie',
  'plateau-mont-royal',
  'villeray-saint-michel-parc-extension',
  'mercier-hochelaga-maisonneuve',
] as const;

const SOUTH_WEST = ['verdun', 'sud-ouest', 'lasalle', 'cote-des-neiges-ndg'] as const;

export const menageEclat: DemoCoop = {
  slug: 'menage-eclat',
  legalName: 'Coopérative de travail Ménage Éclat',
  legalForm: 'worker_coop',
  neq: '1170482913',
  region: 'rosemont-petite-patrie',
  languages: ['fr', 'en', 'es'],
  foundedYear: 2016,
  descriptionFr:
    "Ménage Éclat est une coopérative de travail fondée par six préposées à l'entretien ménager de Rosemont. On offre un ménage soigné, régulier ou ponctuel, avec des produits certifiés écologiques qu'on apporte nous-mêmes. Chaque membre est propriétaire de la coop et reçoit un salaire viable, des congés payés et sa part des surplus.",
  descriptionEn:
    'Ménage Éclat is a worker co-op started by six house cleaners from Rosemont. We do careful weekly, biweekly or one-time cleaning with certified green products we bring along. Every cleaner is an owner, earns a living wage with paid time off, and shares in the surplus.',
  commitments:
    'Salaire viable (24 $/h minimum) · Produits certifiés ÉcoLogo · Congés payés et assurance collective · Horaires choisis par les membres',
  admin: { email: 'admin@tissu.demo', name: 'Sophie Tremblay', locale: 'fr' },
  workers: [{ email: 'travailleuse@tissu.demo', name: 'Amina Diallo', locale: 'fr' }],
  listings: [
    {
      titleFr: 'Ménage régulier de logement',
      titleEn: 'Regular home cleaning',
      descriptionFr:
        "Entretien complet de votre logement chaque semaine ou aux deux semaines : cuisine, salle de bain, planchers et époussetage. On garde la même équipe d'une visite à l'autre autant que possible.",
      descriptionEn:
        'Full upkeep of your home every week or every other week: kitchen, bathroom, floors and dusting. We keep the same team from one visit to the next whenever we can.',
      category: 'menage',
      priceKind: 'hourly',
      priceCents: 4500,
      durationMinutes: 180,
      locationMode: 'client_place',
      boroughs: [...EAST_CENTRAL],
      solidarityPriceCents: 3500,
      series: { frequencies: ['weekly', 'every_2_weeks', 'every_4_weeks'], discountBps: 1000 },
    },
    {
      titleFr: 'Grand ménage du printemps',
      titleEn: 'Spring deep cleaning',
      descriptionFr:
        "On s'attaque à tout ce qui attend depuis l'hiver : intérieur des armoires, fenêtres intérieures, plinthes, cadres de porte et électroménagers. Prévoyez une équipe de deux pour un 5 ½.",
      descriptionEn:
        "We tackle everything that has been waiting since winter: inside cupboards, inside windows, baseboards, door frames and appliances. Plan on a team of two for a typical three-bedroom flat.",
      category: 'menage',
      priceKind: 'hourly',
      priceCents: 5000,
      durationMinutes: 300,
      locationMode: 'client_place',
      boroughs: [...EAST_CENTRAL],
    },
    {
      titleFr: 'Ménage de fin de bail',
      titleEn: 'Move-out cleaning',
      descriptionFr:
        "Votre ancien logement remis propre pour l'état des lieux ou les prochains locataires, four et frigo compris. Prix fixe jusqu'à un 4 ½ ; pour plus grand, on vous fait une soumission.",
      descriptionEn:
        "Your old place left spotless for the landlord's walkthrough or the next tenants, oven and fridge included. Fixed price up to a two-bedroom; larger homes get a quote.",
      category: 'menage',
      priceKind: 'fixed',
      priceCents: 32000,
      durationMinutes: 360,
      locationMode: 'client_place',
      boroughs: [...EAST_CENTRAL, 'ahuntsic-cartierville'],
    },
    {
      titleFr: 'Ménage doux pour personnes aînées',
      titleEn: 'Gentle home cleaning for seniors',
      descriptionFr:
        'Des visites plus courtes, à votre rythme, avec des produits sans parfum. Nos membres sont formées pour repérer les risques de chute et peuvent en parler à vos proches si vous le souhaitez.',
      descriptionEn:
        'Shorter visits at a comfortable pace, with fragrance-free products. Our members are trained to spot fall hazards and can mention them to your family if you wish.',
      category: 'menage',
      priceKind: 'hourly',
      priceCents: 4200,
      durationMinutes: 120,
      locationMode: 'client_place',
      boroughs: ['rosemont-petite-patrie', 'villeray-saint-michel-parc-extension', 'ahuntsic-cartierville'],
      solidarityPriceCents: 3200,
      series: { frequencies: ['weekly', 'every_2_weeks'], discountBps: 500 },
    },
    {
      titleFr: 'Entretien de bureaux pour organismes',
      titleEn: 'Office cleaning for community groups',
      descriptionFr:
        'Pour les organismes communautaires, les cafés et les petits bureaux du coin, le soir ou la fin de semaine. Facturation mensuelle possible.',
      descriptionEn:
        'For community organisations, cafés and small offices in the area, evenings or weekends. Monthly invoicing available.',
      category: 'menage',
      priceKind: 'hourly',
      priceCents: 4800,
      durationMinutes: 180,
      locationMode: 'client_place',
      boroughs: ['rosemont-petite-patrie', 'plateau-mont-royal', 'villeray-saint-michel-parc-extension'],
    },
  ],
};

export const balaisVerts: DemoCoop = {
  slug: 'balais-verts',
  legalName: 'Coopérative de solidarité Les Balais Verts',
  legalForm: 'solidarity_coop',
  neq: '1172415068',
  region: 'verdun',
  languages: ['fr', 'en', 'pt', 'ht'],
  foundedYear: 2019,
  descriptionFr:
    "Les Balais Verts réunit des travailleuses de Verdun et du Sud-Ouest et les ménages qui tenaient à un service fait dans le respect. On nettoie au vinaigre, au savon de Castille et au bicarbonate, avec des recharges en vrac achetées dans une épicerie zéro déchet du quartier. Service en français, en anglais, en portugais et en créole.",
  descriptionEn:
    'Les Balais Verts brings together cleaners from Verdun and the Sud-Ouest and the households who wanted cleaning done with respect. We clean with vinegar, castile soap and baking soda, refilled in bulk at a local zero-waste grocer. Service in French, English, Portuguese and Haitian Creole.',
  commitments:
    'Zéro déchet : produits en vrac et chiffons lavables · Salaire viable · Tarif solidaire pour les ménages à faible revenu · Déplacements en transport en commun ou à vélo',
  admin: { email: 'balais-verts@tissu.demo', name: 'Mariana Costa', locale: 'fr' },
  listings: [
    {
      titleFr: 'Ménage zéro déchet',
      titleEn: 'Zero-waste home cleaning',
      descriptionFr:
        'Le ménage complet de votre logement, sans un seul produit jetable : chiffons lavables, vadrouilles à franges et nettoyants faits maison. Idéal pour les familles avec de jeunes enfants ou des animaux.',
      descriptionEn:
        'A full clean of your home without a single disposable product: washable cloths, fringe mops and homemade cleaners. Ideal for families with young children or pets.',
      category: 'menage',
      priceKind: 'hourly',
      priceCents: 4200,
      durationMinutes: 180,
      locationMode: 'client_place',
      boroughs: [...SOUTH_WEST],
      solidarityPriceCents: 3000,
    },
    {
      titleFr: 'Nettoyage après rénovations',
      titleEn: 'Post-renovation cleaning',
      descriptionFr:
        "Poussière de plâtre, traces de peinture, résidus de colle : on remet votre logement habitable après les travaux. On apporte l'aspirateur à filtre HEPA.",
      descriptionEn:
        'Drywall dust, paint spatter, glue residue: we make your home liveable again after the contractors leave. We bring our own HEPA-filter vacuum.',
      category: 'menage',
      priceKind: 'hourly',
      priceCents: 5500,
      durationMinutes: 360,
      locationMode: 'client_place',
      boroughs: [...SOUTH_WEST, 'ville-marie'],
    },
    {
      titleFr: 'Entretien de cuisine et salle de bain',
      titleEn: 'Kitchen and bathroom cleaning',
      descriptionFr:
        'Une visite courte, concentrée sur les pièces qui en ont le plus besoin : comptoirs, évier, cuisinière, douche, toilette et miroirs.',
      descriptionEn:
        'A short visit focused on the rooms that need it most: counters, sink, stove, shower, toilet and mirrors.',
      category: 'menage',
      priceKind: 'hourly',
      priceCents: 4000,
      durationMinutes: 120,
      locationMode: 'client_place',
      boroughs: [...SOUTH_WEST],
      solidarityPriceCents: 3000,
      series: { frequencies: ['every_2_weeks', 'every_4_weeks'], discountBps: 500 },
    },
    {
      titleFr: 'Lavage de vitres',
      titleEn: 'Window washing',
      descriptionFr:
        "Fenêtres intérieures et extérieures accessibles, cadres et rebords compris, au savon et à la raclette. Prix fixe jusqu'à 12 fenêtres.",
      descriptionEn:
        'Inside windows and reachable outside ones, frames and sills included, with soap and a squeegee. Fixed price for up to 12 windows.',
      category: 'menage',
      priceKind: 'fixed',
      priceCents: 18000,
      durationMinutes: 180,
      locationMode: 'client_place',
      boroughs: [...SOUTH_WEST],
    },
    {
      titleFr: "Ménage avant l'arrivée de bébé",
      titleEn: 'Deep cleaning before the baby arrives',
      descriptionFr:
        'Chambre du bébé, électros, literie et recoins oubliés : tout est prêt pour accueillir le nouveau-né, sans odeur de produits chimiques.',
      descriptionEn:
        "Nursery, appliances, bedding and forgotten corners: everything is ready for the newborn, with no chemical smell.",
      category: 'menage',
      priceKind: 'fixed',
      priceCents: 24000,
      durationMinutes: 240,
      locationMode: 'client_place',
      boroughs: [...SOUTH_WEST],
      solidarityPriceCents: 18000,
    },
  ],
};

export const petitsPas: DemoCoop = {
  slug: 'petits-pas',
  legalName: 'Coopérative de solidarité Petits Pas',
  legalForm: 'solidarity_coop',
  neq: '1170936254',
  region: 'villeray-saint-michel-parc-extension',
  languages: ['fr', 'en', 'ar', 'es'],
  foundedYear: 2014,
  descriptionFr:
    "Petits Pas réunit des éducatrices, des parents et des étudiantes en éducation de Villeray et de Parc-Extension. Toutes nos gardiennes ont une vérification d'antécédents judiciaires et un cours de secourisme pédiatrique à jour. On offre de la garde à domicile, des soirées de répit pour les parents et de l'aide aux devoirs.",
  descriptionEn:
    "Petits Pas brings together early childhood educators, parents and education students from Villeray and Parc-Extension. Every sitter has a police background check and up-to-date pediatric first aid. We offer in-home childcare, parents' nights out and homework help.",
  commitments:
    "Vérification d'antécédents pour toutes les membres · Secourisme pédiatrique à jour · Places à tarif solidaire pour les familles à faible revenu · Activités sans écran",
  admin: { email: 'petits-pas@tissu.demo', name: 'Nadia Benali', locale: 'fr' },
  listings: [
    {
      titleFr: "Garde d'enfants à domicile",
      titleEn: 'In-home babysitting',
      descriptionFr:
        'Une gardienne formée vient chez vous le jour, le soir ou la fin de semaine, pour un à trois enfants. Jeux, repas, bain et dodo selon vos habitudes.',
      descriptionEn:
        'A trained sitter comes to your home for the day, the evening or the weekend, for one to three children. Play, meals, bath and bedtime just the way you do them.',
      category: 'garde-enfants',
      priceKind: 'hourly',
      priceCents: 2200,
      durationMinutes: 240,
      locationMode: 'client_place',
      boroughs: ['villeray-saint-michel-parc-extension', 'rosemont-petite-patrie', 'ahuntsic-cartierville', 'plateau-mont-royal'],
      solidarityPriceCents: 1600,
    },
    {
      titleFr: 'Soirée de répit pour parents',
      titleEn: "Parents' night out",
      descriptionFr:
        "Sortez souper ou dormez enfin : on s'occupe des enfants de 17 h à 22 h, souper compris. Jusqu'à trois enfants de la même famille.",
      descriptionEn:
        'Go out for dinner or finally get some sleep: we look after the kids from 5 to 10 p.m., supper included. Up to three children from the same family.',
      category: 'garde-enfants',
      priceKind: 'fixed',
      priceCents: 9000,
      durationMinutes: 300,
      locationMode: 'client_place',
      boroughs: ['villeray-saint-michel-parc-extension', 'rosemont-petite-patrie', 'ahuntsic-cartierville'],
      solidarityPriceCents: 6000,
    },
    {
      titleFr: 'Halte-garderie du samedi',
      titleEn: 'Saturday drop-in childcare',
      descriptionFr:
        "Un local lumineux près du métro Jarry, avec des éducatrices et des bricolages. Pour les enfants de 18 mois à 6 ans, le samedi matin.",
      descriptionEn:
        'A bright space near Jarry metro with educators and crafts. For children from 18 months to 6 years old, on Saturday mornings.',
      category: 'garde-enfants',
      priceKind: 'hourly',
      priceCents: 1500,
      durationMinutes: 180,
      locationMode: 'at_coop',
      boroughs: ['villeray-saint-michel-parc-extension'],
      solidarityPriceCents: 1000,
    },
    {
      titleFr: 'Aide aux devoirs au primaire',
      titleEn: 'Homework help for elementary students',
      descriptionFr:
        'Une étudiante en enseignement aide votre enfant avec ses devoirs et ses leçons, en français ou en anglais. On suit le programme du ministère et on communique avec le titulaire au besoin.',
      descriptionEn:
        "An education student helps your child with homework and reading, in French or English. We follow the Québec curriculum and can talk with the teacher if needed.",
      category: 'tutorat',
      priceKind: 'hourly',
      priceCents: 3000,
      durationMinutes: 60,
      locationMode: 'client_place',
      boroughs: ['villeray-saint-michel-parc-extension', 'rosemont-petite-patrie', 'ahuntsic-cartierville'],
      solidarityPriceCents: 2000,
    },
    {
      titleFr: 'Francisation pour enfants nouvellement arrivés',
      titleEn: 'French support for newcomer children',
      descriptionFr:
        "Des ateliers en petit groupe pour les enfants qui arrivent en classe d'accueil : vocabulaire de l'école, lecture et jeux. Nos animatrices parlent aussi arabe et espagnol.",
      descriptionEn:
        'Small-group sessions for children starting in a welcome class: school vocabulary, reading and games. Our facilitators also speak Arabic and Spanish.',
      category: 'tutorat',
      priceKind: 'hourly',
      priceCents: 3200,
      durationMinutes: 60,
      locationMode: 'at_coop',
      boroughs: ['villeray-saint-michel-parc-extension'],
      solidarityPriceCents: 2000,
    },
  ],
};

export const pattesEtTrottoirs: DemoCoop = {
  slug: 'pattes-et-trottoirs',
  legalName: 'Coopérative de travail Pattes et Trottoirs',
  legalForm: 'worker_coop',
  region: 'plateau-mont-royal',
  languages: ['fr', 'en'],
  foundedYear: 2018,
  descriptionFr:
    "Pattes et Trottoirs, c'est cinq promeneuses et promeneurs de chiens du Plateau qui ont choisi de travailler ensemble plutôt que pour une application. Petits groupes de quatre chiens au maximum, trajets au parc La Fontaine et sur le mont Royal, photo et petit compte rendu après chaque sortie.",
  descriptionEn:
    'Pattes et Trottoirs is five Plateau dog walkers who chose to work together rather than for an app. Small groups of four dogs at most, routes through Parc La Fontaine and up the mountain, and a photo with a short note after every outing.',
  commitments:
    'Groupes de 4 chiens maximum · Sacs compostables · Formation en premiers soins canins · Même rémunération pour tous les membres',
  admin: { email: 'pattes-et-trottoirs@tissu.demo', name: 'Julien Lavoie', locale: 'fr' },
  listings: [
    {
      titleFr: 'Promenade de groupe (1 h)',
      titleEn: 'Group dog walk (1 hour)',
      descriptionFr:
        "On passe chercher votre chien à la maison pour une heure de marche et de jeu avec trois copains au maximum. Photo envoyée à la fin de la sortie.",
      descriptionEn:
        'We pick your dog up at home for an hour of walking and play with no more than three buddies. A photo lands in your inbox at the end.',
      category: 'promenade-chiens',
      priceKind: 'fixed',
      priceCents: 2800,
      durationMinutes: 60,
      locationMode: 'client_place',
      boroughs: ['plateau-mont-royal', 'rosemont-petite-patrie', 'outremont', 'ville-marie'],
      series: { frequencies: ['weekdays', 'weekly'], discountBps: 800 },
    },
    {
      titleFr: 'Promenade individuelle',
      titleEn: 'Solo dog walk',
      descriptionFr:
        'Pour les chiens réactifs, âgés ou en convalescence : une sortie seule à seul, au rythme de votre chien. Les consignes du vétérinaire sont suivies à la lettre.',
      descriptionEn:
        "For reactive, senior or recovering dogs: a one-on-one outing at your dog's pace. Your vet's instructions are followed to the letter.",
      category: 'promenade-chiens',
      priceKind: 'fixed',
      priceCents: 3500,
      durationMinutes: 45,
      locationMode: 'client_place',
      boroughs: ['plateau-mont-royal', 'rosemont-petite-patrie', 'outremont'],
      series: { frequencies: ['weekdays', 'weekly'], discountBps: 500 },
    },
    {
      titleFr: 'Visite à domicile pour chien ou chat',
      titleEn: 'Drop-in pet visit',
      descriptionFr:
        "Pendant vos vacances, on passe nourrir, faire sortir et cajoler vos animaux, et on arrose les plantes en prime. Deux visites par jour recommandées pour les chiens.",
      descriptionEn:
        "While you're away we feed, let out and cuddle your pets, and water the plants as a bonus. Two visits a day recommended for dogs.",
      category: 'promenade-chiens',
      priceKind: 'fixed',
      priceCents: 2500,
      durationMinutes: 30,
      locationMode: 'client_place',
      boroughs: ['plateau-mont-royal', 'rosemont-petite-patrie', 'outremont', 'ville-marie'],
    },
    {
      titleFr: 'Sortie de socialisation pour chiot',
      titleEn: 'Puppy socialisation outing',
      descriptionFr:
        'Bruits de la ville, autobus, enfants, autres chiens : on habitue votre chiot au quartier en douceur, avec des récompenses. Pour les chiots de 3 à 8 mois qui ont leurs vaccins.',
      descriptionEn:
        'City noise, buses, kids and other dogs: we gently get your puppy used to the neighbourhood, with plenty of treats. For vaccinated puppies aged 3 to 8 months.',
      category: 'promenade-chiens',
      priceKind: 'fixed',
      priceCents: 4000,
      durationMinutes: 60,
      locationMode: 'client_place',
      boroughs: ['plateau-mont-royal', 'rosemont-petite-patrie'],
    },
  ],
};
