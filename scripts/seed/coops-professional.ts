import type { DemoCoop } from './types.js';

/** Fictional co-ops of developers, designers, bookkeepers and translators. Any resemblance is accidental. */

export const codeCommun: DemoCoop = {
  slug: 'code-commun',
  legalName: 'Coopérative de travail Code Commun',
  legalForm: 'worker_coop',
  neq: '1171258840',
  region: 'ville-marie',
  languages: ['fr', 'en'],
  foundedYear: 2015,
  descriptionFr:
    "Code Commun est une coop de développeuses et de développeurs web qui travaille surtout avec des OBNL, des coops et des médias indépendants. On bâtit des sites accessibles, rapides et faciles à mettre à jour, avec des logiciels libres. On aime aussi dépanner : soutien informatique pour les petites équipes.",
  descriptionEn:
    'Code Commun is a co-op of web developers working mostly with non-profits, co-ops and independent media. We build accessible, fast websites that are easy to keep up to date, using free software. We also like fixing things: IT support for small teams.',
  commitments:
    'Logiciels libres et hébergement au Québec · Accessibilité WCAG 2.1 AA · Semaine de 32 heures · 10 % des heures données à des projets communautaires',
  admin: { email: 'code-commun@tissu.demo', name: 'Émilie Nguyen', locale: 'fr' },
  listings: [
    {
      titleFr: "Développement web à l'heure",
      titleEn: 'Web development by the hour',
      descriptionFr:
        "Corrections, nouvelles fonctionnalités ou mise à jour d'un site existant (WordPress, Drupal, sites statiques). On vous envoie un compte rendu de ce qui a été fait après chaque bloc.",
      descriptionEn:
        'Fixes, new features or updates to an existing site (WordPress, Drupal, static sites). You get a short report of what was done after every block of hours.',
      category: 'developpement-web',
      priceKind: 'hourly',
      priceCents: 9500,
      durationMinutes: 120,
      locationMode: 'remote',
      boroughs: [],
      solidarityPriceCents: 7500,
    },
    {
      titleFr: 'Site vitrine WordPress pour OBNL',
      titleEn: 'WordPress website for non-profits',
      descriptionFr:
        "Un site bilingue de cinq à dix pages, accessible et hébergé au Québec, avec une formation pour que votre équipe le tienne à jour elle-même.",
      descriptionEn:
        'A bilingual five-to-ten-page site, accessible and hosted in Québec, with training so your team can keep it up to date on its own.',
      category: 'developpement-web',
      priceKind: 'fixed',
      priceCents: 480000,
      durationMinutes: 2400,
      locationMode: 'remote',
      boroughs: [],
      solidarityPriceCents: 380000,
    },
    {
      titleFr: "Audit d'accessibilité web",
      titleEn: 'Web accessibility audit',
      descriptionFr:
        "On teste votre site au clavier, au lecteur d'écran et avec les outils automatisés, puis on vous remet un rapport priorisé. Conforme aux exigences du gouvernement du Québec.",
      descriptionEn:
        'We test your site with a keyboard, a screen reader and automated tools, then hand you a prioritised report. Meets Québec government requirements.',
      category: 'developpement-web',
      priceKind: 'fixed',
      priceCents: 120000,
      durationMinutes: 480,
      locationMode: 'remote',
      boroughs: [],
    },
    {
      titleFr: 'Boutique en ligne pour commerce local',
      titleEn: 'Online store for local shops',
      descriptionFr:
        'Une boutique en ligne simple, avec cueillette en magasin et livraison locale, sans commission sur vos ventes. Paiements en ligne et taxes du Québec configurés.',
      descriptionEn:
        'A simple online store with in-store pickup and local delivery, and no commission on your sales. Online payments and Québec sales taxes set up for you.',
      category: 'developpement-web',
      priceKind: 'fixed',
      priceCents: 750000,
      durationMinutes: 4800,
      locationMode: 'remote',
      boroughs: [],
    },
    {
      titleFr: 'Soutien informatique pour petites équipes',
      titleEn: 'IT support for small teams',
      descriptionFr:
        "Ordinateurs lents, imprimante capricieuse, réseau Wi-Fi, sauvegardes : on se déplace dans vos bureaux et on documente tout ce qu'on fait.",
      descriptionEn:
        'Slow computers, a moody printer, Wi-Fi, backups: we come to your office and document everything we do.',
      category: 'soutien-informatique',
      priceKind: 'hourly',
      priceCents: 8500,
      durationMinutes: 120,
      locationMode: 'client_place',
      boroughs: ['ville-marie', 'plateau-mont-royal', 'sud-ouest', 'rosemont-petite-patrie', 'mercier-hochelaga-maisonneuve'],
    },
    {
      titleFr: 'Migration vers les logiciels libres',
      titleEn: 'Switching to free software',
      descriptionFr:
        'On déplace vos fichiers, vos courriels et vos agendas vers Nextcloud et LibreOffice, puis on forme votre équipe. Fini les licences annuelles.',
      descriptionEn:
        'We move your files, email and calendars to Nextcloud and LibreOffice, then train your team. No more yearly licences.',
      category: 'soutien-informatique',
      priceKind: 'hourly',
      priceCents: 9000,
      durationMinutes: 240,
      locationMode: 'remote',
      boroughs: [],
    },
  ],
};

const STUDIO_AREA = [
  'plateau-mont-royal',
  'ville-marie',
  'rosemont-petite-patrie',
  'outremont',
  'villeray-saint-michel-parc-extension',
  'sud-ouest',
] as const;

export const encreEtPixel: DemoCoop = {
  slug: 'encre-et-pixel',
  legalName: 'Coopérative de travail Atelier Encre et Pixel',
  legalForm: 'worker_coop',
  neq: '1172049375',
  region: 'plateau-mont-royal',
  languages: ['fr', 'en', 'it'],
  foundedYear: 2017,
  descriptionFr:
    "Un atelier du Mile End où graphistes, illustratrices et photographes mettent leurs talents en commun. On accompagne surtout des commerces de quartier, des artistes et des organismes culturels, de l'identité visuelle jusqu'aux photos de produits. On imprime localement, sur papier recyclé quand c'est possible.",
  descriptionEn:
    'A Mile End studio where graphic designers, illustrators and photographers pool their talents. We mostly work with neighbourhood shops, artists and cultural groups, from visual identity to product shots. We print locally, on recycled paper whenever we can.',
  commitments:
    "Impression locale sur papier recyclé · Droits d'auteur respectés et crédités · Tarifs réduits pour les organismes culturels · Même taux horaire pour tous les membres",
  admin: { email: 'encre-et-pixel@tissu.demo', name: 'Camille Bouchard', locale: 'fr' },
  listings: [
    {
      titleFr: 'Identité visuelle et logo',
      titleEn: 'Logo and visual identity',
      descriptionFr:
        'Logo, palette, typographies et un petit guide de marque, en trois rondes de propositions. Fichiers livrés pour le web et pour l\'imprimeur.',
      descriptionEn:
        'Logo, colour palette, typefaces and a short brand guide, over three rounds of proposals. Files delivered for the web and for the printer.',
      category: 'design-graphique',
      priceKind: 'fixed',
      priceCents: 180000,
      durationMinutes: 1200,
      locationMode: 'remote',
      boroughs: [],
      solidarityPriceCents: 120000,
    },
    {
      titleFr: "Affiche et matériel d'événement",
      titleEn: 'Event poster and promo kit',
      descriptionFr:
        'Une affiche, ses déclinaisons pour les réseaux sociaux et un dépliant, prêts pour votre spectacle, votre marché ou votre levée de fonds.',
      descriptionEn:
        'A poster plus social media versions and a flyer, ready for your show, market or fundraiser.',
      category: 'design-graphique',
      priceKind: 'fixed',
      priceCents: 45000,
      durationMinutes: 480,
      locationMode: 'remote',
      boroughs: [],
    },
    {
      titleFr: 'Mise en page de rapport annuel',
      titleEn: 'Annual report layout',
      descriptionFr:
        'On transforme vos textes et vos chiffres en un rapport clair et agréable à lire, en français et en anglais, en version imprimée et PDF accessible.',
      descriptionEn:
        'We turn your text and figures into a clear, pleasant report in French and English, in print and as an accessible PDF.',
      category: 'design-graphique',
      priceKind: 'hourly',
      priceCents: 7500,
      durationMinutes: 240,
      locationMode: 'remote',
      boroughs: [],
    },
    {
      titleFr: 'Séance photo de produits',
      titleEn: 'Product photo shoot',
      descriptionFr:
        "Jusqu'à vingt produits photographiés en studio sur fond neutre, retouchés et prêts pour votre boutique en ligne.",
      descriptionEn:
        'Up to twenty products shot in our studio on a neutral background, retouched and ready for your online store.',
      category: 'photographie',
      priceKind: 'fixed',
      priceCents: 60000,
      durationMinutes: 240,
      locationMode: 'at_coop',
      boroughs: ['plateau-mont-royal'],
    },
    {
      titleFr: "Photographie d'événement",
      titleEn: 'Event photography',
      descriptionFr:
        'Conférences, lancements, assemblées ou fêtes de quartier : une photographe discrète, et une sélection retouchée livrée sous 48 heures.',
      descriptionEn:
        'Conferences, launches, assemblies or block parties: a discreet photographer, and a retouched selection delivered within 48 hours.',
      category: 'photographie',
      priceKind: 'hourly',
      priceCents: 12500,
      durationMinutes: 180,
      locationMode: 'client_place',
      boroughs: [...STUDIO_AREA],
    },
    {
      titleFr: 'Portraits professionnels en studio',
      titleEn: 'Professional headshots',
      descriptionFr:
        'Une demi-heure devant l\'objectif pour un portrait naturel, deux photos retouchées incluses. Parfait pour LinkedIn ou le site de votre organisme.',
      descriptionEn:
        "Half an hour in front of the camera for a natural portrait, two retouched photos included. Perfect for LinkedIn or your organisation's website.",
      category: 'photographie',
      priceKind: 'fixed',
      priceCents: 22000,
      durationMinutes: 60,
      locationMode: 'at_coop',
      boroughs: ['plateau-mont-royal'],
      solidarityPriceCents: 15000,
    },
  ],
};

export const chiffresJustes: DemoCoop = {
  slug: 'chiffres-justes',
  legalName: 'Coopérative de travail Chiffres Justes',
  legalForm: 'worker_coop',
  neq: '1170627391',
  region: 'sud-ouest',
  languages: ['fr', 'en', 'es'],
  foundedYear: 2013,
  descriptionFr:
    "Chiffres Justes tient les livres de plus de 120 OBNL, coops et travailleurs autonomes de Montréal. Nos membres sont techniciennes comptables et CPA ; on explique les chiffres en mots simples et on forme vos équipes pour qu'elles gagnent en autonomie. Déclarations de TPS et de TVQ, paie et états financiers de fin d'année.",
  descriptionEn:
    'Chiffres Justes keeps the books for more than 120 non-profits, co-ops and self-employed people in Montréal. Our members are bookkeepers and CPAs; we explain the numbers in plain words and train your team to handle the routine. GST/QST returns, payroll and year-end statements.',
  commitments:
    'Tarifs publics, sans surprise · Formation incluse · Logiciels comptables libres ou québécois quand c\'est possible · Semaine de quatre jours',
  admin: { email: 'chiffres-justes@tissu.demo', name: 'Isabel Ramírez', locale: 'fr' },
  listings: [
    {
      titleFr: 'Tenue de livres mensuelle pour OBNL',
      titleEn: 'Monthly bookkeeping for non-profits',
      descriptionFr:
        'Saisie des transactions, conciliations bancaires et rapport mensuel pour votre conseil d\'administration. On travaille dans votre logiciel ou on vous aide à en choisir un.',
      descriptionEn:
        'Transaction entry, bank reconciliations and a monthly report for your board. We work in your software or help you pick one.',
      category: 'comptabilite',
      priceKind: 'hourly',
      priceCents: 6500,
      durationMinutes: 180,
      locationMode: 'remote',
      boroughs: [],
      solidarityPriceCents: 5000,
    },
    {
      titleFr: 'Déclaration de revenus de travailleur autonome',
      titleEn: 'Self-employed tax return',
      descriptionFr:
        'Déclarations fédérale et provinciale, dépenses d\'entreprise et bureau à domicile compris. Apportez vos relevés ; on vous explique chaque ligne.',
      descriptionEn:
        'Federal and Québec returns, business expenses and home office included. Bring your slips and we walk you through every line.',
      category: 'comptabilite',
      priceKind: 'fixed',
      priceCents: 35000,
      durationMinutes: 180,
      locationMode: 'at_coop',
      boroughs: ['sud-ouest'],
      solidarityPriceCents: 22000,
    },
    {
      titleFr: 'Déclarations de TPS et de TVQ',
      titleEn: 'GST and QST returns',
      descriptionFr:
        'Préparation et production de vos déclarations de taxes trimestrielles ou annuelles, avec un rappel avant chaque échéance.',
      descriptionEn:
        'We prepare and file your quarterly or annual sales tax returns, with a reminder before every deadline.',
      category: 'comptabilite',
      priceKind: 'fixed',
      priceCents: 18000,
      durationMinutes: 120,
      locationMode: 'remote',
      boroughs: [],
    },
    {
      titleFr: 'États financiers de fin d\'année pour coopérative',
      titleEn: 'Year-end financial statements for co-ops',
      descriptionFr:
        "États financiers, calcul de la réserve et du trop-perçu à répartir en ristournes, prêts à présenter à l'assemblée générale.",
      descriptionEn:
        'Financial statements, reserve and patronage surplus calculations, ready to present at your annual general meeting.',
      category: 'comptabilite',
      priceKind: 'fixed',
      priceCents: 220000,
      durationMinutes: 1200,
      locationMode: 'remote',
      boroughs: [],
    },
    {
      titleFr: 'Atelier : comprendre son budget',
      titleEn: 'Workshop: making sense of your budget',
      descriptionFr:
        "Deux heures pour les membres d'un CA ou d'une petite équipe : lire un état des résultats, suivre un budget et poser les bonnes questions.",
      descriptionEn:
        'Two hours for board members or a small team: reading an income statement, tracking a budget and asking the right questions.',
      category: 'comptabilite',
      priceKind: 'fixed',
      priceCents: 30000,
      durationMinutes: 120,
      locationMode: 'at_coop',
      boroughs: ['sud-ouest'],
    },
  ],
};

export const passerelles: DemoCoop = {
  slug: 'passerelles',
  legalName: 'Coopérative de travail Passerelles langagières',
  legalForm: 'worker_coop',
  neq: '1171893026',
  region: 'cote-des-neiges-ndg',
  languages: ['fr', 'en', 'es', 'pt', 'ar', 'fa'],
  foundedYear: 2012,
  descriptionFr:
    "Passerelles regroupe des traductrices et des interprètes agréées de Côte-des-Neiges, dont la plupart sont elles-mêmes arrivées au Québec à l'âge adulte. On traduit des documents officiels, des sites web et des communications d'organismes, et on accompagne les familles en interprétation lors de leurs rendez-vous. Français, anglais, espagnol, portugais, arabe et persan.",
  descriptionEn:
    'Passerelles brings together certified translators and interpreters from Côte-des-Neiges, most of whom came to Québec as adults themselves. We translate official documents, websites and community communications, and interpret for families at their appointments. French, English, Spanish, Portuguese, Arabic and Persian.',
  commitments:
    'Membres agréées par leur ordre professionnel · Confidentialité stricte · Tarif solidaire pour les personnes réfugiées et demandeuses d\'asile · Chaque traduction relue par une deuxième membre',
  admin: { email: 'passerelles@tissu.demo', name: 'Leila Haddad', locale: 'fr' },
  listings: [
    {
      titleFr: 'Traduction certifiée de documents officiels',
      titleEn: 'Certified translation of official documents',
      descriptionFr:
        "Actes de naissance, diplômes, relevés de notes et permis, traduits et certifiés pour l'immigration, les ordres professionnels et la SAAQ. Prix par document d'une page.",
      descriptionEn:
        'Birth certificates, diplomas, transcripts and licences, translated and certified for immigration, professional orders and the SAAQ. Price per one-page document.',
      category: 'traduction',
      priceKind: 'fixed',
      priceCents: 7500,
      durationMinutes: 120,
      locationMode: 'remote',
      boroughs: [],
      solidarityPriceCents: 4500,
    },
    {
      titleFr: 'Traduction de site web (français et anglais)',
      titleEn: 'Website translation (French and English)',
      descriptionFr:
        'On traduit votre site dans les deux sens en respectant la Charte de la langue française, avec une terminologie cohérente d\'une page à l\'autre.',
      descriptionEn:
        "We translate your website in either direction, in line with Québec's French language charter and with consistent terminology from page to page.",
      category: 'traduction',
      priceKind: 'hourly',
      priceCents: 7000,
      durationMinutes: 240,
      locationMode: 'remote',
      boroughs: [],
    },
    {
      titleFr: 'Interprétation lors d\'un rendez-vous',
      titleEn: 'Interpreting at an appointment',
      descriptionFr:
        "Une interprète vous accompagne chez le médecin, à l'école ou au bureau d'immigration. Arabe, persan, espagnol et portugais vers le français ou l'anglais.",
      descriptionEn:
        'An interpreter comes with you to the doctor, the school or the immigration office. Arabic, Persian, Spanish and Portuguese to French or English.',
      category: 'traduction',
      priceKind: 'hourly',
      priceCents: 6500,
      durationMinutes: 90,
      locationMode: 'client_place',
      boroughs: ['cote-des-neiges-ndg', 'villeray-saint-michel-parc-extension', 'saint-laurent', 'ville-marie', 'montreal-nord', 'saint-leonard'],
      solidarityPriceCents: 4000,
    },
    {
      titleFr: 'Révision linguistique',
      titleEn: 'French copy editing',
      descriptionFr:
        'Relecture de vos textes en français : orthographe, grammaire, anglicismes et clarté. Idéal avant une demande de subvention ou une publication.',
      descriptionEn:
        'Proofreading of your French texts: spelling, grammar, anglicisms and clarity. Ideal before a grant application or a publication.',
      category: 'traduction',
      priceKind: 'hourly',
      priceCents: 5500,
      durationMinutes: 120,
      locationMode: 'remote',
      boroughs: [],
    },
    {
      titleFr: 'Sous-titrage de vidéos',
      titleEn: 'Video subtitling',
      descriptionFr:
        'Transcription, traduction et sous-titres synchronisés pour une vidéo de moins de vingt minutes, en français et en anglais.',
      descriptionEn:
        'Transcription, translation and timed captions for a video under twenty minutes, in French and English.',
      category: 'traduction',
      priceKind: 'fixed',
      priceCents: 40000,
      durationMinutes: 480,
      locationMode: 'remote',
      boroughs: [],
    },
  ],
};
