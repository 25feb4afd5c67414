CREATE TABLE "tips" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"booking_id" uuid NOT NULL,
	"coop_id" uuid NOT NULL,
	"client_id" uuid NOT NULL,
	"amount_cents" integer NOT NULL,
	"status" text NOT NULL,
	"attempt" integer DEFAULT 1 NOT NULL,
	"checkout_session_id" text,
	"checkout_url" text,
	"payment_intent_id" text,
	"last_error" text,
	"paid_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tips_amount" CHECK (amount_cents > 0)
);
--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "no_show_percent" integer DEFAULT 100 NOT NULL;--> statement-breakpoint
ALTER TABLE "listing_schedules" ADD COLUMN "no_show_percent" integer DEFAULT 100 NOT NULL;--> statement-breakpoint
ALTER TABLE "tips" ADD CONSTRAINT "tips_booking_id_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."bookings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tips" ADD CONSTRAINT "tips_coop_id_coops_id_fk" FOREIGN KEY ("coop_id") REFERENCES "public"."coops"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tips" ADD CONSTRAINT "tips_client_id_users_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "tips_booking_key" ON "tips" USING btree ("booking_id");--> statement-breakpoint
CREATE UNIQUE INDEX "tips_checkout_key" ON "tips" USING btree ("checkout_session_id");--> statement-breakpoint
CREATE INDEX "tips_coop_idx" ON "tips" USING btree ("coop_id","paid_at");--> statement-breakpoint
ALTER TABLE "listing_schedules" ADD CONSTRAINT "listing_schedules_no_show_percent" CHECK (no_show_percent BETWEEN 0 AND 100);