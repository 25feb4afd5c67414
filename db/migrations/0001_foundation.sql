CREATE TABLE "sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"password_hash" text NOT NULL,
	"name" text NOT NULL,
	"locale" text DEFAULT 'fr' NOT NULL,
	"is_steward" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"password_changed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "coop_invitations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"coop_id" uuid NOT NULL,
	"email" text NOT NULL,
	"role" text NOT NULL,
	"token_hash" text NOT NULL,
	"invited_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"accepted_at" timestamp with time zone,
	"accepted_by" uuid,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "coop_members" (
	"coop_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"role" text NOT NULL,
	"joined_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "coop_members_coop_id_user_id_pk" PRIMARY KEY("coop_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "coops" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"legal_name" text NOT NULL,
	"legal_form" text NOT NULL,
	"neq" text,
	"region" text NOT NULL,
	"languages" text[] NOT NULL,
	"description_fr" text NOT NULL,
	"description_en" text NOT NULL,
	"commitments" text DEFAULT '' NOT NULL,
	"founded_year" integer NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"decision_reason" text,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "coops_neq_format" CHECK ("coops"."neq" IS NULL OR "coops"."neq" ~ '^[0-9]{10}$')
);
--> statement-breakpoint
CREATE TABLE "listings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"coop_id" uuid NOT NULL,
	"title_fr" text NOT NULL,
	"title_en" text NOT NULL,
	"description_fr" text NOT NULL,
	"description_en" text NOT NULL,
	"category" text NOT NULL,
	"price_kind" text NOT NULL,
	"price_cents" integer NOT NULL,
	"duration_minutes" integer NOT NULL,
	"location_mode" text NOT NULL,
	"boroughs" text[] DEFAULT '{}'::text[] NOT NULL,
	"solidarity_price_cents" integer,
	"status" text DEFAULT 'active' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"search" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector('french'::regconfig, tissu_unaccent(title_fr)), 'A') || setweight(to_tsvector('english'::regconfig, tissu_unaccent(title_en)), 'A') || setweight(to_tsvector('french'::regconfig, tissu_unaccent(description_fr)), 'C') || setweight(to_tsvector('english'::regconfig, tissu_unaccent(description_en)), 'C')) STORED NOT NULL,
	CONSTRAINT "listings_price_positive" CHECK (price_cents > 0),
	CONSTRAINT "listings_solidarity_lower" CHECK (solidarity_price_cents IS NULL OR solidarity_price_cents < price_cents)
);
--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coop_invitations" ADD CONSTRAINT "coop_invitations_coop_id_coops_id_fk" FOREIGN KEY ("coop_id") REFERENCES "public"."coops"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coop_invitations" ADD CONSTRAINT "coop_invitations_invited_by_users_id_fk" FOREIGN KEY ("invited_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coop_invitations" ADD CONSTRAINT "coop_invitations_accepted_by_users_id_fk" FOREIGN KEY ("accepted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coop_members" ADD CONSTRAINT "coop_members_coop_id_coops_id_fk" FOREIGN KEY ("coop_id") REFERENCES "public"."coops"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coop_members" ADD CONSTRAINT "coop_members_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coops" ADD CONSTRAINT "coops_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coops" ADD CONSTRAINT "coops_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "listings" ADD CONSTRAINT "listings_coop_id_coops_id_fk" FOREIGN KEY ("coop_id") REFERENCES "public"."coops"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "sessions_token_hash_key" ON "sessions" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "sessions_user_idx" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_key" ON "users" USING btree (lower("email"));--> statement-breakpoint
CREATE UNIQUE INDEX "coop_invitations_token_key" ON "coop_invitations" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "coop_invitations_coop_idx" ON "coop_invitations" USING btree ("coop_id");--> statement-breakpoint
CREATE INDEX "coop_members_user_idx" ON "coop_members" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "coops_slug_key" ON "coops" USING btree ("slug");--> statement-breakpoint
CREATE INDEX "coops_status_idx" ON "coops" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "listings_search_idx" ON "listings" USING gin ("search");--> statement-breakpoint
CREATE INDEX "listings_boroughs_idx" ON "listings" USING gin ("boroughs");--> statement-breakpoint
CREATE INDEX "listings_active_price_idx" ON "listings" USING btree ("price_cents","id") WHERE status = 'active';--> statement-breakpoint
CREATE INDEX "listings_active_newest_idx" ON "listings" USING btree ("created_at","id") WHERE status = 'active';--> statement-breakpoint
CREATE INDEX "listings_category_idx" ON "listings" USING btree ("category","price_cents") WHERE status = 'active';--> statement-breakpoint
CREATE INDEX "listings_coop_idx" ON "listings" USING btree ("coop_id","status");