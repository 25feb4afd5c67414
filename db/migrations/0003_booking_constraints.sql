-- No double booking, decided by PostgreSQL: two live bookings of the same capacity unit of a
-- listing may not hold overlapping time (the booking's time plus the listing's buffer after it).
ALTER TABLE bookings ADD CONSTRAINT bookings_no_overlap
  EXCLUDE USING gist (listing_id WITH =, unit WITH =, tstzrange(starts_at, blocked_until, '[)') WITH &&)
  WHERE (state IN ('requested', 'accepted', 'paid'));
--> statement-breakpoint
-- History is append-only: a trigger refuses to change or remove a recorded event.
CREATE OR REPLACE FUNCTION tissu_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
END $$;
--> statement-breakpoint
CREATE TRIGGER booking_events_append_only BEFORE UPDATE OR DELETE ON booking_events
  FOR EACH ROW EXECUTE FUNCTION tissu_append_only();
