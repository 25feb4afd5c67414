ALTER TABLE "booking_series" ADD COLUMN "answers" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "booking_series" ADD COLUMN "addons" jsonb DEFAULT '[]'::jsonb NOT NULL;