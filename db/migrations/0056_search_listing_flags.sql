ALTER TABLE "listings" ADD COLUMN "extra_hours_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "listings" ADD COLUMN "coop_approved" boolean DEFAULT false NOT NULL;--> statement-breakpoint
-- Search, faster again (issue 11). Written by hand (drizzle-kit does not manage functions or triggers).
-- Every search kept matches whose co-op is approved (a join to coops per match) and that have hours
-- (has_weekly_hours, else a subquery over the schedule's exceptions per match): at 10,000 listings
-- about a quarter of a text search's time in PostgreSQL. Both now sit on the listing's own row.
--
-- 1. listings.extra_hours_until: the end of the schedule's last day of extra hours (midnight after
-- it, in the schedule's zone), kept with the other copies by tissu_listings_from_schedules (0034).
-- A listing has hours when has_weekly_hours OR extra_hours_until > now(): the same as "an extra
-- day on or after today in the listing's zone".
CREATE OR REPLACE FUNCTION tissu_listings_from_schedules(ids uuid[]) RETURNS void
  LANGUAGE sql
  AS $$
    UPDATE listings l SET has_weekly_hours = h.weekly, series_discount_bps = h.discount, takes_series = h.series,
      extra_hours_until = h.extra_until
    FROM (
      SELECT i.id,
        coalesce(jsonb_array_length(s.weekly) > 0, false) AS weekly,
        CASE WHEN cardinality(s.series_frequencies) > 0 THEN s.series_discount_bps ELSE 0 END AS discount,
        coalesce(cardinality(s.series_frequencies) > 0, false) AS series,
        ((SELECT max(e->>'date') FROM jsonb_array_elements(s.exceptions) e WHERE e->>'kind' = 'extra')::date + 1)::timestamp
          AT TIME ZONE s.time_zone AS extra_until
      FROM (SELECT DISTINCT unnest(ids) AS id) i
      LEFT JOIN listing_schedules s ON s.listing_id = i.id
    ) h
    WHERE l.id = h.id
      AND (l.has_weekly_hours IS DISTINCT FROM h.weekly OR l.series_discount_bps IS DISTINCT FROM h.discount
        OR l.takes_series IS DISTINCT FROM h.series OR l.extra_hours_until IS DISTINCT FROM h.extra_until)
  $$;
--> statement-breakpoint
-- A zone PostgreSQL does not know (Node accepted a few, such as "US/Pacific-New", before the schedule
-- service asked the database) leaves the copy empty rather than failing the migration: such a
-- listing's special hours did not work before either, and saving its schedule now asks for a zone.
UPDATE listings l SET extra_hours_until = ((SELECT max(e->>'date') FROM jsonb_array_elements(s.exceptions) e WHERE e->>'kind' = 'extra')::date + 1)::timestamp AT TIME ZONE s.time_zone
FROM listing_schedules s
WHERE s.listing_id = l.id AND s.time_zone IN (SELECT name FROM pg_timezone_names);
--> statement-breakpoint
-- 2. listings.coop_approved: whether the listing's co-op is approved. A new listing takes it from its
-- co-op; a co-op's change of status updates its listings, once per statement.
CREATE OR REPLACE FUNCTION tissu_listing_coop_approved() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  BEGIN
    NEW.coop_approved := coalesce((SELECT c.status = 'approved' FROM coops c WHERE c.id = NEW.coop_id), false);
    RETURN NEW;
  END
  $$;
--> statement-breakpoint
CREATE TRIGGER listings_coop_approved BEFORE INSERT OR UPDATE OF coop_id, coop_approved ON listings
  FOR EACH ROW EXECUTE FUNCTION tissu_listing_coop_approved();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION tissu_coops_status_changed() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  BEGIN
    UPDATE listings l SET coop_approved = (n.status = 'approved')
    FROM new_rows n
    WHERE l.coop_id = n.id AND l.coop_approved IS DISTINCT FROM (n.status = 'approved');
    RETURN NULL;
  END
  $$;
--> statement-breakpoint
CREATE TRIGGER coops_status_listings AFTER UPDATE ON coops
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tissu_coops_status_changed();
--> statement-breakpoint
UPDATE listings l SET coop_approved = true
FROM coops c
WHERE c.id = l.coop_id AND c.status = 'approved';
--> statement-breakpoint
ANALYZE listings;
