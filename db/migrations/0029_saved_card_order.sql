ALTER TABLE "payment_customers" ADD COLUMN "card_set_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "saved_card_id" text;