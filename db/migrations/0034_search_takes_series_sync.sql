-- Search can keep to listings taking regular visits (issue 13): listings.takes_series (0033) is
-- kept from listing_schedules by the triggers of 0022, through the function of 0032, so the filter
-- reads the listing's own row. Written by hand (drizzle-kit does not manage functions).
CREATE OR REPLACE FUNCTION tissu_listings_from_schedules(ids uuid[]) RETURNS void
  LANGUAGE sql
  AS $$
    UPDATE listings l SET has_weekly_hours = h.weekly, series_discount_bps = h.discount, takes_series = h.series
    FROM (
      SELECT i.id,
        coalesce(jsonb_array_length(s.weekly) > 0, false) AS weekly,
        CASE WHEN cardinality(s.series_frequencies) > 0 THEN s.series_discount_bps ELSE 0 END AS discount,
        coalesce(cardinality(s.series_frequencies) > 0, false) AS series
      FROM (SELECT DISTINCT unnest(ids) AS id) i
      LEFT JOIN listing_schedules s ON s.listing_id = i.id
    ) h
    WHERE l.id = h.id
      AND (l.has_weekly_hours IS DISTINCT FROM h.weekly OR l.series_discount_bps IS DISTINCT FROM h.discount OR l.takes_series IS DISTINCT FROM h.series)
  $$;
--> statement-breakpoint
UPDATE listings l SET takes_series = true
FROM listing_schedules s
WHERE s.listing_id = l.id AND cardinality(s.series_frequencies) > 0;
