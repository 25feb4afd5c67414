CREATE TABLE "quote_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"quote_id" uuid NOT NULL,
	"actor_id" uuid,
	"actor_role" text NOT NULL,
	"kind" text DEFAULT 'transition' NOT NULL,
	"from_state" text,
	"to_state" text NOT NULL,
	"offer_version" integer,
	"reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "quote_offers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"quote_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"state" text DEFAULT 'sent' NOT NULL,
	"lines" jsonb NOT NULL,
	"service_cents" integer NOT NULL,
	"gst_cents" integer NOT NULL,
	"qst_cents" integer NOT NULL,
	"total_cents" integer NOT NULL,
	"fee_rate_bps" integer NOT NULL,
	"platform_fee_cents" integer NOT NULL,
	"deposit_percent" integer NOT NULL,
	"duration_minutes" integer NOT NULL,
	"proposed_times" jsonb NOT NULL,
	"valid_until" timestamp with time zone NOT NULL,
	"message" text DEFAULT '' NOT NULL,
	"sent_by" uuid,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone,
	"close_reason" text,
	CONSTRAINT "quote_offers_amounts" CHECK (service_cents BETWEEN 0 AND 100000000 AND total_cents = service_cents + gst_cents + qst_cents),
	CONSTRAINT "quote_offers_deposit" CHECK (deposit_percent BETWEEN 0 AND 100)
);
--> statement-breakpoint
CREATE TABLE "quote_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"listing_id" uuid NOT NULL,
	"coop_id" uuid NOT NULL,
	"client_id" uuid NOT NULL,
	"state" text NOT NULL,
	"description" text NOT NULL,
	"address" text DEFAULT '' NOT NULL,
	"preferred_dates" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"dates_note" text DEFAULT '' NOT NULL,
	"answers" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"conversation_id" uuid,
	"expires_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "listings" ADD COLUMN "quote_mode" text DEFAULT 'none' NOT NULL;--> statement-breakpoint
ALTER TABLE "listings" ADD COLUMN "deposit_percent" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "quote_id" uuid;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "deposit_percent" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "quote_events" ADD CONSTRAINT "quote_events_quote_id_quote_requests_id_fk" FOREIGN KEY ("quote_id") REFERENCES "public"."quote_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quote_events" ADD CONSTRAINT "quote_events_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quote_offers" ADD CONSTRAINT "quote_offers_quote_id_quote_requests_id_fk" FOREIGN KEY ("quote_id") REFERENCES "public"."quote_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quote_offers" ADD CONSTRAINT "quote_offers_sent_by_users_id_fk" FOREIGN KEY ("sent_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quote_requests" ADD CONSTRAINT "quote_requests_listing_id_listings_id_fk" FOREIGN KEY ("listing_id") REFERENCES "public"."listings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quote_requests" ADD CONSTRAINT "quote_requests_coop_id_coops_id_fk" FOREIGN KEY ("coop_id") REFERENCES "public"."coops"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quote_requests" ADD CONSTRAINT "quote_requests_client_id_users_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quote_requests" ADD CONSTRAINT "quote_requests_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "quote_events_quote_idx" ON "quote_events" USING btree ("quote_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "quote_offers_version_key" ON "quote_offers" USING btree ("quote_id","version");--> statement-breakpoint
CREATE UNIQUE INDEX "quote_offers_open_key" ON "quote_offers" USING btree ("quote_id") WHERE state = 'sent';--> statement-breakpoint
CREATE UNIQUE INDEX "quote_requests_open_key" ON "quote_requests" USING btree ("client_id","listing_id") WHERE state IN ('requested', 'offered', 'changes_requested');--> statement-breakpoint
CREATE INDEX "quote_requests_coop_idx" ON "quote_requests" USING btree ("coop_id","created_at");--> statement-breakpoint
CREATE INDEX "quote_requests_client_idx" ON "quote_requests" USING btree ("client_id","created_at");--> statement-breakpoint
CREATE INDEX "quote_requests_expiry_idx" ON "quote_requests" USING btree ("expires_at") WHERE state IN ('requested', 'offered', 'changes_requested');--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_quote_id_quote_requests_id_fk" FOREIGN KEY ("quote_id") REFERENCES "public"."quote_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "bookings_quote_key" ON "bookings" USING btree ("quote_id");--> statement-breakpoint
-- A quote's history is append-only, like a booking's.
CREATE TRIGGER quote_events_append_only BEFORE UPDATE OR DELETE ON quote_events
  FOR EACH ROW EXECUTE FUNCTION tissu_append_only();
--> statement-breakpoint
-- What an offer says never changes once sent: only its state, when it closed and why.
CREATE OR REPLACE FUNCTION tissu_quote_offer_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' OR (to_jsonb(NEW) - 'state' - 'closed_at' - 'close_reason') <> (to_jsonb(OLD) - 'state' - 'closed_at' - 'close_reason') THEN
    RAISE EXCEPTION 'a sent offer does not change' USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER quote_offers_frozen BEFORE UPDATE OR DELETE ON quote_offers
  FOR EACH ROW EXECUTE FUNCTION tissu_quote_offer_frozen();
--> statement-breakpoint
ALTER TABLE listings ADD CONSTRAINT listings_deposit_percent CHECK (deposit_percent BETWEEN 0 AND 100);
