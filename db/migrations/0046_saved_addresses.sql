CREATE TABLE "client_addresses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"label" text NOT NULL,
	"street" text NOT NULL,
	"unit" text DEFAULT '' NOT NULL,
	"city" text NOT NULL,
	"postal_code" text NOT NULL,
	"entry_notes" text DEFAULT '' NOT NULL,
	"last_used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "client_addresses_entry_notes_length" CHECK (char_length("client_addresses"."entry_notes") <= 1000)
);
--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "entry_notes" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "booking_series" ADD COLUMN "entry_notes" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "client_addresses" ADD CONSTRAINT "client_addresses_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "client_addresses_user_idx" ON "client_addresses" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "bookings_entry_notes_idx" ON "bookings" USING btree ("ends_at") WHERE entry_notes <> '';