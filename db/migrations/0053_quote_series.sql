-- Offers of regular visits. quote_offers_frozen (0051) compares the whole row but its state, closed_at and close_reason, so recurrence is frozen with the rest once sent.
ALTER TABLE "booking_series" ADD COLUMN "quote_id" uuid;--> statement-breakpoint
ALTER TABLE "quote_offers" ADD COLUMN "recurrence" jsonb;--> statement-breakpoint
ALTER TABLE "booking_series" ADD CONSTRAINT "booking_series_quote_id_quote_requests_id_fk" FOREIGN KEY ("quote_id") REFERENCES "public"."quote_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "booking_series_quote_key" ON "booking_series" USING btree ("quote_id");--> statement-breakpoint
ALTER TABLE "quote_offers" ADD CONSTRAINT "quote_offers_times_or_series" CHECK (recurrence IS NULL OR (proposed_times = '[]'::jsonb AND deposit_percent = 0));