ALTER TABLE "booking_workers" ADD COLUMN "minutes_reported" integer;--> statement-breakpoint
ALTER TABLE "booking_workers" ADD COLUMN "reported_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "booking_workers" ADD CONSTRAINT "booking_workers_minutes_reported" CHECK (minutes_reported IS NULL OR minutes_reported > 0);