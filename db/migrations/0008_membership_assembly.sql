CREATE TABLE "coop_settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid
);
--> statement-breakpoint
CREATE TABLE "fiscal_records" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"occurred_on" date NOT NULL,
	"category" text NOT NULL,
	"amount_cents" integer NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"recorded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fiscal_records_positive" CHECK (amount_cents > 0)
);
--> statement-breakpoint
CREATE TABLE "fiscal_years" (
	"id" serial PRIMARY KEY NOT NULL,
	"label" text NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"closed_at" timestamp with time zone,
	CONSTRAINT "fiscal_years_order" CHECK (ends_on > starts_on)
);
--> statement-breakpoint
CREATE TABLE "memberships" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"member_class" text NOT NULL,
	"user_id" uuid,
	"coop_id" uuid,
	"share_cents" integer NOT NULL,
	"paid_by" text NOT NULL,
	"started_on" date NOT NULL,
	"ended_on" date,
	"recorded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "memberships_holder" CHECK ((member_class = 'producer') = (coop_id IS NOT NULL) AND (coop_id IS NULL) <> (user_id IS NULL))
);
--> statement-breakpoint
CREATE TABLE "patronage_measures" (
	"fiscal_year_id" integer NOT NULL,
	"membership_id" uuid NOT NULL,
	"month" text NOT NULL,
	"units" integer NOT NULL,
	CONSTRAINT "patronage_measures_fiscal_year_id_membership_id_month_pk" PRIMARY KEY("fiscal_year_id","membership_id","month")
);
--> statement-breakpoint
CREATE TABLE "plan_allocations" (
	"plan_id" uuid NOT NULL,
	"membership_id" uuid NOT NULL,
	"member_class" text NOT NULL,
	"units" bigint NOT NULL,
	"allocation_cents" bigint NOT NULL,
	"cash_cents" bigint NOT NULL,
	"retained_cents" bigint NOT NULL,
	"carried_in_cents" bigint NOT NULL,
	"paid_cents" bigint NOT NULL,
	"carried_forward_cents" bigint NOT NULL,
	"withholding_cents" bigint NOT NULL,
	CONSTRAINT "plan_allocations_plan_id_membership_id_pk" PRIMARY KEY("plan_id","membership_id")
);
--> statement-breakpoint
CREATE TABLE "proposals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"plan_id" uuid,
	"fee_rate_bps" integer,
	"fee_effective_from" timestamp with time zone,
	"opens_at" timestamp with time zone NOT NULL,
	"closes_at" timestamp with time zone NOT NULL,
	"quorum_bps" integer NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_at" timestamp with time zone,
	CONSTRAINT "proposals_window" CHECK (closes_at > opens_at)
);
--> statement-breakpoint
CREATE TABLE "surplus_plans" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"fiscal_year_id" integer NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"reserve_bps" integer NOT NULL,
	"weights" jsonb NOT NULL,
	"cash_bps" integer NOT NULL,
	"threshold_cents" integer NOT NULL,
	"result" jsonb,
	"surplus_cents" bigint,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"proposed_at" timestamp with time zone,
	"approved_at" timestamp with time zone,
	"paid_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "votes" (
	"proposal_id" uuid NOT NULL,
	"membership_id" uuid NOT NULL,
	"choice" text NOT NULL,
	"cast_by" uuid NOT NULL,
	"cast_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "votes_proposal_id_membership_id_pk" PRIMARY KEY("proposal_id","membership_id")
);
--> statement-breakpoint
ALTER TABLE "coop_settings" ADD CONSTRAINT "coop_settings_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fiscal_records" ADD CONSTRAINT "fiscal_records_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_coop_id_coops_id_fk" FOREIGN KEY ("coop_id") REFERENCES "public"."coops"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patronage_measures" ADD CONSTRAINT "patronage_measures_fiscal_year_id_fiscal_years_id_fk" FOREIGN KEY ("fiscal_year_id") REFERENCES "public"."fiscal_years"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patronage_measures" ADD CONSTRAINT "patronage_measures_membership_id_memberships_id_fk" FOREIGN KEY ("membership_id") REFERENCES "public"."memberships"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_allocations" ADD CONSTRAINT "plan_allocations_plan_id_surplus_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."surplus_plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_allocations" ADD CONSTRAINT "plan_allocations_membership_id_memberships_id_fk" FOREIGN KEY ("membership_id") REFERENCES "public"."memberships"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "proposals" ADD CONSTRAINT "proposals_plan_id_surplus_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."surplus_plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "proposals" ADD CONSTRAINT "proposals_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "surplus_plans" ADD CONSTRAINT "surplus_plans_fiscal_year_id_fiscal_years_id_fk" FOREIGN KEY ("fiscal_year_id") REFERENCES "public"."fiscal_years"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "surplus_plans" ADD CONSTRAINT "surplus_plans_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "votes" ADD CONSTRAINT "votes_proposal_id_proposals_id_fk" FOREIGN KEY ("proposal_id") REFERENCES "public"."proposals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "votes" ADD CONSTRAINT "votes_membership_id_memberships_id_fk" FOREIGN KEY ("membership_id") REFERENCES "public"."memberships"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "votes" ADD CONSTRAINT "votes_cast_by_users_id_fk" FOREIGN KEY ("cast_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "fiscal_records_date_idx" ON "fiscal_records" USING btree ("occurred_on");--> statement-breakpoint
CREATE UNIQUE INDEX "fiscal_years_starts_key" ON "fiscal_years" USING btree ("starts_on");--> statement-breakpoint
CREATE UNIQUE INDEX "memberships_open_user" ON "memberships" USING btree ("user_id") WHERE ended_on IS NULL AND user_id IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "memberships_open_coop" ON "memberships" USING btree ("coop_id") WHERE ended_on IS NULL AND coop_id IS NOT NULL;--> statement-breakpoint
CREATE INDEX "memberships_class_idx" ON "memberships" USING btree ("member_class");--> statement-breakpoint
CREATE INDEX "proposals_status_idx" ON "proposals" USING btree ("status","closes_at");--> statement-breakpoint
CREATE INDEX "surplus_plans_year_idx" ON "surplus_plans" USING btree ("fiscal_year_id");--> statement-breakpoint
CREATE UNIQUE INDEX "surplus_plans_one_live" ON "surplus_plans" USING btree ("fiscal_year_id") WHERE status IN ('proposed', 'approved', 'paid');