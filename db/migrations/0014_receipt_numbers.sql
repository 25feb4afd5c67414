CREATE TABLE "receipt_counters" (
	"year" integer PRIMARY KEY NOT NULL,
	"last_number" integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "receipt_number" text;--> statement-breakpoint
-- Payments already taken get their numbers in the order they were paid, per year in the platform's zone.
WITH numbered AS (
  SELECT id, extract(year FROM paid_at AT TIME ZONE 'America/Toronto')::int AS y,
         row_number() OVER (PARTITION BY extract(year FROM paid_at AT TIME ZONE 'America/Toronto') ORDER BY paid_at, id) AS n
  FROM payments WHERE paid_at IS NOT NULL
)
UPDATE payments p SET receipt_number = 'TIS-' || numbered.y || '-' || lpad(numbered.n::text, 6, '0') FROM numbered WHERE numbered.id = p.id;--> statement-breakpoint
INSERT INTO receipt_counters (year, last_number)
  SELECT extract(year FROM paid_at AT TIME ZONE 'America/Toronto')::int, count(*) FROM payments WHERE paid_at IS NOT NULL GROUP BY 1;--> statement-breakpoint
-- Only the newest open Checkout of a booking stays open (older duplicates came from concurrent clicks).
UPDATE payments p SET status = 'expired' WHERE status = 'open' AND EXISTS (
  SELECT 1 FROM payments q WHERE q.booking_id = p.booking_id AND q.status = 'open' AND (q.created_at, q.id) > (p.created_at, p.id));--> statement-breakpoint
CREATE UNIQUE INDEX "payments_receipt_number_key" ON "payments" USING btree ("receipt_number");--> statement-breakpoint
CREATE UNIQUE INDEX "payments_one_open_per_booking" ON "payments" USING btree ("booking_id") WHERE status = 'open';