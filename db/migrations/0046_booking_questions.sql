CREATE TABLE "listing_questions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"listing_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"kind" text NOT NULL,
	"label_fr" text NOT NULL,
	"label_en" text NOT NULL,
	"help_fr" text DEFAULT '' NOT NULL,
	"help_en" text DEFAULT '' NOT NULL,
	"required" boolean DEFAULT false NOT NULL,
	"choices" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"min" integer,
	"max" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "listing_questions_position_range" CHECK ("listing_questions"."position" >= 0 AND "listing_questions"."position" < 15),
	CONSTRAINT "listing_questions_kind" CHECK ("listing_questions"."kind" IN ('short_text', 'long_text', 'one_choice', 'several_choices', 'yes_no', 'number'))
);
--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "answers" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "listing_questions" ADD CONSTRAINT "listing_questions_listing_id_listings_id_fk" FOREIGN KEY ("listing_id") REFERENCES "public"."listings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "listing_questions_listing_idx" ON "listing_questions" USING btree ("listing_id","position");