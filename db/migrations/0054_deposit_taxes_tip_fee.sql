ALTER TABLE "bookings" ADD COLUMN "gst_registered" boolean;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "qst_registered" boolean;--> statement-breakpoint
ALTER TABLE "tips" ADD COLUMN "processor_fee_cents" integer;--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_tax_snapshot" CHECK ((gst_registered IS NULL) = (qst_registered IS NULL));--> statement-breakpoint
-- Quote bookings made before: taxed as their deposit was paid, or else as their accepted offer showed.
UPDATE "bookings" b SET "gst_registered" = s.gst, "qst_registered" = s.qst
FROM (
  SELECT b2.id,
    COALESCE((SELECT p.gst_cents > 0 FROM payments p WHERE p.booking_id = b2.id AND p.part = 'deposit' AND p.status IN ('paid', 'partially_refunded', 'refunded') LIMIT 1),
             (SELECT o.gst_cents > 0 FROM quote_offers o WHERE o.quote_id = b2.quote_id AND o.state = 'accepted' LIMIT 1)) AS gst,
    COALESCE((SELECT p.qst_cents > 0 FROM payments p WHERE p.booking_id = b2.id AND p.part = 'deposit' AND p.status IN ('paid', 'partially_refunded', 'refunded') LIMIT 1),
             (SELECT o.qst_cents > 0 FROM quote_offers o WHERE o.quote_id = b2.quote_id AND o.state = 'accepted' LIMIT 1)) AS qst
  FROM "bookings" b2 WHERE b2.quote_id IS NOT NULL
) s
WHERE b.id = s.id AND s.gst IS NOT NULL AND s.qst IS NOT NULL;
