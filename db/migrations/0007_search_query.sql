-- The tsquery a search sends, built the way the `search` column is: French and English stems of
-- the unaccented text. Written by hand (drizzle-kit does not manage functions).
--
-- `websearch` is what the person typed (websearch_to_tsquery syntax), `prefix` a to_tsquery text
-- whose last word may be unfinished; either may be NULL, not both. The caller passes websearch
-- NULL when the prefix form matches everything it would.
--
-- Why not simply OR every form: the planner estimates an OR of tsqueries branch by branch, so
-- 'menag' | 'menag' | 'menag':* | 'menag':* counts the same term four times, overestimates the
-- matches and picks a sequential scan over the GIN index. Hence one branch per distinct query.
--
-- IMMUTABLE, like the functions it calls: with the values known at planning time the planner
-- folds the call into a constant tsquery and estimates from the index statistics.
CREATE OR REPLACE FUNCTION tissu_search_query_in(config regconfig, websearch text, prefix text) RETURNS tsquery
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$
    SELECT CASE
      WHEN prefix IS NULL THEN websearch_to_tsquery(config, tissu_unaccent(websearch))
      WHEN websearch IS NULL THEN to_tsquery(config, tissu_unaccent(prefix))
      ELSE websearch_to_tsquery(config, tissu_unaccent(websearch)) || to_tsquery(config, tissu_unaccent(prefix))
    END
  $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION tissu_search_query(websearch text, prefix text) RETURNS tsquery
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$
    SELECT CASE WHEN fr = en THEN fr ELSE fr || en END
    FROM (SELECT tissu_search_query_in('french', websearch, prefix) AS fr,
                 tissu_search_query_in('english', websearch, prefix) AS en) AS q
  $$;
