-- A category's names, French and English, for the search text (weight B: between titles and
-- descriptions), so "menage" finds a ménage listing whose text never says the word. Written by
-- hand (drizzle-kit does not manage functions).
--
-- The names mirror CATEGORIES in shared/src/taxonomy.ts; tests/api/search-categories.test.ts
-- checks that they agree. IMMUTABLE, so the generated `search` column may call it: a change of
-- names needs a migration that replaces this function and recomputes the column
-- (UPDATE listings SET category = category). An unknown slug has no names.
CREATE OR REPLACE FUNCTION tissu_category_label(category text, locale text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$
    SELECT coalesce((
      SELECT CASE locale WHEN 'fr' THEN c.fr WHEN 'en' THEN c.en END
      FROM (VALUES
        ('menage', 'Ménage', 'Home cleaning'),
        ('garde-enfants', 'Garde d''enfants', 'Childcare'),
        ('promenade-chiens', 'Promenade de chiens', 'Dog walking'),
        ('demenagement', 'Déménagement', 'Moving'),
        ('developpement-web', 'Développement web', 'Web development'),
        ('design-graphique', 'Design graphique', 'Graphic design'),
        ('soutien-informatique', 'Soutien informatique', 'IT support'),
        ('traduction', 'Traduction', 'Translation'),
        ('jardinage', 'Jardinage', 'Gardening'),
        ('reparation-velos', 'Réparation de vélos', 'Bike repair'),
        ('traiteur', 'Traiteur', 'Catering'),
        ('comptabilite', 'Comptabilité', 'Bookkeeping'),
        ('photographie', 'Photographie', 'Photography'),
        ('tutorat', 'Tutorat', 'Tutoring')
      ) AS c(slug, fr, en)
      WHERE c.slug = category), '')
  $$;
