CREATE TABLE "booking_series" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"listing_id" uuid NOT NULL,
	"coop_id" uuid NOT NULL,
	"client_id" uuid NOT NULL,
	"state" text NOT NULL,
	"time_zone" text NOT NULL,
	"duration_minutes" integer NOT NULL,
	"regular_price_cents" integer NOT NULL,
	"price_cents" integer NOT NULL,
	"discount_bps" integer DEFAULT 0 NOT NULL,
	"fee_rate_bps" integer NOT NULL,
	"free_cancellation_hours" integer NOT NULL,
	"late_cancellation_percent" integer NOT NULL,
	"address" text DEFAULT '' NOT NULL,
	"notes" text DEFAULT '' NOT NULL,
	"contact_name" text NOT NULL,
	"contact_phone" text DEFAULT '' NOT NULL,
	"contact_email" text NOT NULL,
	"generated_through" date NOT NULL,
	"ends_on" date,
	"paused_from" date,
	"end_reason" text,
	"sequence" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "booking_series_price" CHECK (price_cents >= 0 AND price_cents <= regular_price_cents),
	CONSTRAINT "booking_series_discount" CHECK (discount_bps BETWEEN 0 AND 5000)
);
--> statement-breakpoint
CREATE TABLE "booking_series_gaps" (
	"series_id" uuid NOT NULL,
	"date" date NOT NULL,
	"reason" text NOT NULL,
	"resolution" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone,
	CONSTRAINT "booking_series_gaps_series_id_date_pk" PRIMARY KEY("series_id","date")
);
--> statement-breakpoint
CREATE TABLE "booking_series_rules" (
	"series_id" uuid NOT NULL,
	"starts_on" date NOT NULL,
	"frequency" text NOT NULL,
	"time" text NOT NULL,
	"until" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "booking_series_rules_series_id_starts_on_pk" PRIMARY KEY("series_id","starts_on"),
	CONSTRAINT "booking_series_rules_time" CHECK (time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$')
);
--> statement-breakpoint
CREATE TABLE "booking_series_workers" (
	"series_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	CONSTRAINT "booking_series_workers_series_id_user_id_pk" PRIMARY KEY("series_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "payment_customers" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"stripe_customer_id" text NOT NULL,
	"payment_method_id" text,
	"card_brand" text,
	"card_last4" text,
	"card_exp_month" integer,
	"card_exp_year" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payment_customers_stripe_customer_id_unique" UNIQUE("stripe_customer_id")
);
--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "series_id" uuid;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "series_date" date;--> statement-breakpoint
ALTER TABLE "listing_schedules" ADD COLUMN "series_frequencies" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "listing_schedules" ADD COLUMN "series_discount_bps" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "booking_series" ADD CONSTRAINT "booking_series_listing_id_listings_id_fk" FOREIGN KEY ("listing_id") REFERENCES "public"."listings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "booking_series" ADD CONSTRAINT "booking_series_coop_id_coops_id_fk" FOREIGN KEY ("coop_id") REFERENCES "public"."coops"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "booking_series" ADD CONSTRAINT "booking_series_client_id_users_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "booking_series_gaps" ADD CONSTRAINT "booking_series_gaps_series_id_booking_series_id_fk" FOREIGN KEY ("series_id") REFERENCES "public"."booking_series"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "booking_series_rules" ADD CONSTRAINT "booking_series_rules_series_id_booking_series_id_fk" FOREIGN KEY ("series_id") REFERENCES "public"."booking_series"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "booking_series_workers" ADD CONSTRAINT "booking_series_workers_series_id_booking_series_id_fk" FOREIGN KEY ("series_id") REFERENCES "public"."booking_series"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "booking_series_workers" ADD CONSTRAINT "booking_series_workers_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_customers" ADD CONSTRAINT "payment_customers_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "booking_series_client_idx" ON "booking_series" USING btree ("client_id");--> statement-breakpoint
CREATE INDEX "booking_series_coop_idx" ON "booking_series" USING btree ("coop_id");--> statement-breakpoint
CREATE INDEX "booking_series_listing_idx" ON "booking_series" USING btree ("listing_id");--> statement-breakpoint
CREATE INDEX "booking_series_horizon_idx" ON "booking_series" USING btree ("generated_through") WHERE state IN ('requested', 'active');--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_series_id_booking_series_id_fk" FOREIGN KEY ("series_id") REFERENCES "public"."booking_series"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "bookings_series_date_idx" ON "bookings" USING btree ("series_id","series_date") WHERE series_id IS NOT NULL AND state IN ('requested', 'accepted', 'paid', 'completed', 'no_show');--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_series_date" CHECK ((series_id IS NULL) = (series_date IS NULL));--> statement-breakpoint
ALTER TABLE "listing_schedules" ADD CONSTRAINT "listing_schedules_series_discount" CHECK (series_discount_bps BETWEEN 0 AND 5000);