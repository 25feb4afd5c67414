CREATE TABLE "membership_applications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"member_class" text NOT NULL,
	"user_id" uuid,
	"coop_id" uuid,
	"requested_by" uuid NOT NULL,
	"share_cents" integer NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"checkout_session_id" text,
	"checkout_url" text,
	"expires_at" timestamp with time zone NOT NULL,
	"payment_intent_id" text,
	"membership_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"paid_at" timestamp with time zone,
	CONSTRAINT "membership_applications_holder" CHECK ((member_class = 'producer') = (coop_id IS NOT NULL) AND (coop_id IS NULL) <> (user_id IS NULL))
);
--> statement-breakpoint
ALTER TABLE "membership_applications" ADD CONSTRAINT "membership_applications_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "membership_applications" ADD CONSTRAINT "membership_applications_coop_id_coops_id_fk" FOREIGN KEY ("coop_id") REFERENCES "public"."coops"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "membership_applications" ADD CONSTRAINT "membership_applications_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "membership_applications" ADD CONSTRAINT "membership_applications_membership_id_memberships_id_fk" FOREIGN KEY ("membership_id") REFERENCES "public"."memberships"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "membership_applications_session_key" ON "membership_applications" USING btree ("checkout_session_id");--> statement-breakpoint
CREATE UNIQUE INDEX "membership_applications_open_user" ON "membership_applications" USING btree ("user_id") WHERE status = 'open' AND user_id IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "membership_applications_open_coop" ON "membership_applications" USING btree ("coop_id") WHERE status = 'open' AND coop_id IS NOT NULL;