ALTER TABLE "booking_series" ADD COLUMN "gst_registered" boolean;--> statement-breakpoint
ALTER TABLE "booking_series" ADD COLUMN "qst_registered" boolean;--> statement-breakpoint
ALTER TABLE "booking_series" ADD CONSTRAINT "booking_series_tax_snapshot" CHECK ((gst_registered IS NULL) = (qst_registered IS NULL));--> statement-breakpoint
-- Series made from an offer before: taxed as their accepted offer showed, and so are their visits not paid yet.
UPDATE "booking_series" s SET "gst_registered" = o.gst_cents > 0, "qst_registered" = o.qst_cents > 0
FROM "quote_offers" o WHERE s.quote_id IS NOT NULL AND o.quote_id = s.quote_id AND o.state = 'accepted';--> statement-breakpoint
UPDATE "bookings" b SET "gst_registered" = s.gst_registered, "qst_registered" = s.qst_registered
FROM "booking_series" s WHERE b.series_id = s.id AND s.gst_registered IS NOT NULL AND b.gst_registered IS NULL AND b.state IN ('requested', 'accepted');
