CREATE TABLE "patronage_changes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"from_month" date NOT NULL,
	"to_month" date NOT NULL
);
--> statement-breakpoint
CREATE TABLE "patronage_month_units" (
	"month" date NOT NULL,
	"membership_id" uuid NOT NULL,
	"units" bigint NOT NULL,
	CONSTRAINT "patronage_month_units_month_membership_id_pk" PRIMARY KEY("month","membership_id")
);
--> statement-breakpoint
CREATE TABLE "patronage_months" (
	"month" date PRIMARY KEY NOT NULL,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
-- The year close, faster (issue 11). Written by hand (drizzle-kit does not manage functions or triggers).
-- Closing a year joined every completed booking of the year with its payment (a million of each at
-- scale: 3–5 s). Each member's units per whole month are now kept in patronage_month_units ahead of
-- the close; these triggers log which months changed since they were computed, so the nightly job and
-- the close recompute only those. Each change is its own row (no "already logged" check: a recompute
-- that read such a row could miss the change that skipped writing its own).
-- The Toronto month (its first day) of an instant: the books' zone, as the close counts days.
CREATE OR REPLACE FUNCTION tissu_books_month(at timestamptz) RETURNS date
  LANGUAGE sql STABLE
  AS $$ SELECT date_trunc('month', at AT TIME ZONE 'America/Toronto')::date $$;
--> statement-breakpoint
-- A completed booking counts: its month changes when it becomes or stops being completed, or when its
-- start, co-op or client changes while completed.
CREATE OR REPLACE FUNCTION tissu_patronage_booking_changed() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  BEGIN
    IF TG_OP <> 'INSERT' AND OLD.state = 'completed' THEN
      INSERT INTO patronage_changes (from_month, to_month) VALUES (tissu_books_month(OLD.starts_at), tissu_books_month(OLD.starts_at));
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.state = 'completed' AND (TG_OP = 'INSERT' OR OLD.state <> 'completed' OR tissu_books_month(OLD.starts_at) <> tissu_books_month(NEW.starts_at)) THEN
      INSERT INTO patronage_changes (from_month, to_month) VALUES (tissu_books_month(NEW.starts_at), tissu_books_month(NEW.starts_at));
    END IF;
    RETURN NULL;
  END
  $$;
--> statement-breakpoint
CREATE TRIGGER bookings_patronage_inserted AFTER INSERT ON bookings
  FOR EACH ROW WHEN (NEW.state = 'completed') EXECUTE FUNCTION tissu_patronage_booking_changed();
--> statement-breakpoint
CREATE TRIGGER bookings_patronage_deleted AFTER DELETE ON bookings
  FOR EACH ROW WHEN (OLD.state = 'completed') EXECUTE FUNCTION tissu_patronage_booking_changed();
--> statement-breakpoint
CREATE TRIGGER bookings_patronage_updated AFTER UPDATE OF state, starts_at, coop_id, client_id ON bookings
  FOR EACH ROW WHEN ((OLD.state = 'completed' OR NEW.state = 'completed')
    AND (OLD.state, OLD.starts_at, OLD.coop_id, OLD.client_id) IS DISTINCT FROM (NEW.state, NEW.starts_at, NEW.coop_id, NEW.client_id))
  EXECUTE FUNCTION tissu_patronage_booking_changed();
--> statement-breakpoint
-- A payment or a worker's minutes: its booking's month; a refund: the month of its payment's booking (the
-- rule reaches refunds through their payment). Whatever the booking's state: one completed by another
-- transaction at the same moment still reads as not completed here, and its month would go unlogged.
CREATE OR REPLACE FUNCTION tissu_patronage_part_changed() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  DECLARE
    ids uuid[] := CASE TG_OP WHEN 'INSERT' THEN ARRAY[NEW.booking_id] WHEN 'DELETE' THEN ARRAY[OLD.booking_id] ELSE ARRAY[OLD.booking_id, NEW.booking_id] END;
  BEGIN
    INSERT INTO patronage_changes (from_month, to_month)
    SELECT DISTINCT tissu_books_month(b.starts_at), tissu_books_month(b.starts_at) FROM bookings b WHERE b.id = ANY(ids);
    RETURN NULL;
  END
  $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION tissu_patronage_refund_changed() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  DECLARE
    ids uuid[] := CASE TG_OP WHEN 'INSERT' THEN ARRAY[NEW.payment_id] WHEN 'DELETE' THEN ARRAY[OLD.payment_id] ELSE ARRAY[OLD.payment_id, NEW.payment_id] END;
  BEGIN
    INSERT INTO patronage_changes (from_month, to_month)
    SELECT DISTINCT tissu_books_month(b.starts_at), tissu_books_month(b.starts_at) FROM payments p JOIN bookings b ON b.id = p.booking_id WHERE p.id = ANY(ids);
    RETURN NULL;
  END
  $$;
--> statement-breakpoint
CREATE TRIGGER payments_patronage AFTER INSERT OR DELETE OR UPDATE OF booking_id, status, service_cents, total_cents ON payments
  FOR EACH ROW EXECUTE FUNCTION tissu_patronage_part_changed();
--> statement-breakpoint
CREATE TRIGGER refunds_patronage AFTER INSERT OR DELETE OR UPDATE OF payment_id, service_cents, total_cents ON refunds
  FOR EACH ROW EXECUTE FUNCTION tissu_patronage_refund_changed();
--> statement-breakpoint
CREATE TRIGGER booking_workers_patronage AFTER INSERT OR DELETE OR UPDATE OF booking_id, user_id, minutes_delivered ON booking_workers
  FOR EACH ROW EXECUTE FUNCTION tissu_patronage_part_changed();
--> statement-breakpoint
-- A membership counts on the days it is in force (started_on <= day < ended_on). When only its dates
-- move, the months between the old and the new date; otherwise every month of both versions.
CREATE OR REPLACE FUNCTION tissu_patronage_membership_changed() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  BEGIN
    IF TG_OP = 'UPDATE' AND (OLD.member_class, OLD.user_id, OLD.coop_id) IS NOT DISTINCT FROM (NEW.member_class, NEW.user_id, NEW.coop_id) THEN
      IF OLD.started_on <> NEW.started_on THEN
        INSERT INTO patronage_changes (from_month, to_month)
        VALUES (date_trunc('month', least(OLD.started_on, NEW.started_on))::date, date_trunc('month', greatest(OLD.started_on, NEW.started_on))::date);
      END IF;
      IF OLD.ended_on IS DISTINCT FROM NEW.ended_on THEN
        INSERT INTO patronage_changes (from_month, to_month)
        VALUES (date_trunc('month', least(coalesce(OLD.ended_on, 'infinity'), coalesce(NEW.ended_on, 'infinity')))::date,
                greatest(coalesce(OLD.ended_on, 'infinity'), coalesce(NEW.ended_on, 'infinity')));
      END IF;
    ELSE
      INSERT INTO patronage_changes (from_month, to_month)
      SELECT date_trunc('month', min(started_on))::date, max(coalesce(ended_on, 'infinity'))
      FROM (SELECT OLD.started_on, OLD.ended_on WHERE TG_OP <> 'INSERT' UNION ALL SELECT NEW.started_on, NEW.ended_on WHERE TG_OP <> 'DELETE') v(started_on, ended_on);
    END IF;
    RETURN NULL;
  END
  $$;
--> statement-breakpoint
CREATE TRIGGER memberships_patronage AFTER INSERT OR DELETE OR UPDATE OF member_class, user_id, coop_id, started_on, ended_on ON memberships
  FOR EACH ROW EXECUTE FUNCTION tissu_patronage_membership_changed();
