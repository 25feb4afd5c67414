-- Search cards say a listing's discount on regular visits (issue 13), and search is speed-sensitive
-- (issue 11): listings.series_discount_bps (0031) copies it from listing_schedules, so the search
-- statement reads it on the listing's own row, with no read of the schedule per row. Written by
-- hand (drizzle-kit does not manage functions or triggers): the triggers of 0022 now keep both
-- columns, through one function; a statement still updates the listings it touched once.
CREATE OR REPLACE FUNCTION tissu_listings_from_schedules(ids uuid[]) RETURNS void
  LANGUAGE sql
  AS $$
    UPDATE listings l SET has_weekly_hours = h.weekly, series_discount_bps = h.discount
    FROM (
      SELECT i.id,
        coalesce(jsonb_array_length(s.weekly) > 0, false) AS weekly,
        CASE WHEN cardinality(s.series_frequencies) > 0 THEN s.series_discount_bps ELSE 0 END AS discount
      FROM (SELECT DISTINCT unnest(ids) AS id) i
      LEFT JOIN listing_schedules s ON s.listing_id = i.id
    ) h
    WHERE l.id = h.id AND (l.has_weekly_hours IS DISTINCT FROM h.weekly OR l.series_discount_bps IS DISTINCT FROM h.discount)
  $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION tissu_schedules_changed() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  BEGIN
    -- Each trigger of 0022 names only the transition tables its event has.
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
      PERFORM tissu_listings_from_schedules(ARRAY(SELECT listing_id FROM new_rows));
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
      PERFORM tissu_listings_from_schedules(ARRAY(SELECT listing_id FROM old_rows));
    END IF;
    RETURN NULL;
  END
  $$;
--> statement-breakpoint
DROP FUNCTION tissu_listings_weekly_hours(uuid[]);
--> statement-breakpoint
UPDATE listings l SET series_discount_bps = s.series_discount_bps
FROM listing_schedules s
WHERE s.listing_id = l.id AND cardinality(s.series_frequencies) > 0 AND s.series_discount_bps <> 0;
