-- Search, faster (issue 11). Written by hand (drizzle-kit does not manage functions or triggers).
--
-- 1. listings.has_weekly_hours (0021) says whether the listing's schedule has weekly hours. Search
-- keeps only listings that have hours, and checking the schedule row of every match cost one
-- index probe and one heap read per match: half the time of a search with thousands of matches.
-- These triggers keep the column in step with listing_schedules, whoever writes it; a statement
-- updates the listings it touched once, so a bulk import of schedules costs one UPDATE.
CREATE OR REPLACE FUNCTION tissu_listings_weekly_hours(ids uuid[]) RETURNS void
  LANGUAGE sql
  AS $$
    UPDATE listings l SET has_weekly_hours = h.weekly
    FROM (
      SELECT i.id, EXISTS (SELECT 1 FROM listing_schedules s WHERE s.listing_id = i.id AND jsonb_array_length(s.weekly) > 0) AS weekly
      FROM (SELECT DISTINCT unnest(ids) AS id) i
    ) h
    WHERE l.id = h.id AND l.has_weekly_hours IS DISTINCT FROM h.weekly
  $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION tissu_schedules_changed() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  BEGIN
    -- Each trigger below names only the transition tables its event has.
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
      PERFORM tissu_listings_weekly_hours(ARRAY(SELECT listing_id FROM new_rows));
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
      PERFORM tissu_listings_weekly_hours(ARRAY(SELECT listing_id FROM old_rows));
    END IF;
    RETURN NULL;
  END
  $$;
--> statement-breakpoint
CREATE TRIGGER listing_schedules_hours_inserted AFTER INSERT ON listing_schedules
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tissu_schedules_changed();
--> statement-breakpoint
CREATE TRIGGER listing_schedules_hours_updated AFTER UPDATE ON listing_schedules
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tissu_schedules_changed();
--> statement-breakpoint
CREATE TRIGGER listing_schedules_hours_deleted AFTER DELETE ON listing_schedules
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION tissu_schedules_changed();
--> statement-breakpoint
UPDATE listings l SET has_weekly_hours = true
FROM listing_schedules s
WHERE s.listing_id = l.id AND jsonb_array_length(s.weekly) > 0;
--> statement-breakpoint
-- 2. tissu_search_query (0007) was an SQL function with a FROM clause, which PostgreSQL cannot
-- inline: each call with known arguments was planned and run as a statement of its own at plan
-- time (about 0.19 ms each, three to five times per search). PL/pgSQL keeps its plan for the
-- session: about 0.02 ms a call. Still IMMUTABLE, so the planner folds it into a constant tsquery
-- and estimates from the index statistics; same result as before.
CREATE OR REPLACE FUNCTION tissu_search_query(websearch text, prefix text) RETURNS tsquery
  LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
  AS $$
  DECLARE
    fr constant tsquery := tissu_search_query_in('french', websearch, prefix);
    en constant tsquery := tissu_search_query_in('english', websearch, prefix);
  BEGIN
    RETURN CASE WHEN fr = en THEN fr ELSE fr || en END;
  END
  $$;
--> statement-breakpoint
ANALYZE listings;
