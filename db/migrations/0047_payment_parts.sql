DROP INDEX "payments_one_paid_per_booking";--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "part" text DEFAULT 'full' NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "payments_one_paid_per_booking" ON "payments" USING btree ("booking_id","part") WHERE status IN ('paid', 'refunded', 'partially_refunded');