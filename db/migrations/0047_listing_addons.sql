CREATE TABLE "booking_addons" (
	"booking_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"addon_id" uuid,
	"name_fr" text NOT NULL,
	"name_en" text NOT NULL,
	"price_cents" integer NOT NULL,
	"extra_minutes" integer NOT NULL,
	CONSTRAINT "booking_addons_booking_id_position_pk" PRIMARY KEY("booking_id","position"),
	CONSTRAINT "booking_addons_amounts" CHECK (price_cents >= 0 AND extra_minutes >= 0)
);
--> statement-breakpoint
CREATE TABLE "listing_addons" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"listing_id" uuid NOT NULL,
	"name_fr" text NOT NULL,
	"name_en" text NOT NULL,
	"price_cents" integer NOT NULL,
	"extra_minutes" integer NOT NULL,
	"position" integer NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "listing_addons_price" CHECK (price_cents BETWEEN 0 AND 1000000),
	CONSTRAINT "listing_addons_minutes" CHECK (extra_minutes BETWEEN 0 AND 480 AND extra_minutes % 5 = 0)
);
--> statement-breakpoint
ALTER TABLE "booking_addons" ADD CONSTRAINT "booking_addons_booking_id_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."bookings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "booking_addons" ADD CONSTRAINT "booking_addons_addon_id_listing_addons_id_fk" FOREIGN KEY ("addon_id") REFERENCES "public"."listing_addons"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "listing_addons" ADD CONSTRAINT "listing_addons_listing_id_listings_id_fk" FOREIGN KEY ("listing_id") REFERENCES "public"."listings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "booking_addons_addon_idx" ON "booking_addons" USING btree ("addon_id");--> statement-breakpoint
CREATE INDEX "listing_addons_listing_idx" ON "listing_addons" USING btree ("listing_id","position");