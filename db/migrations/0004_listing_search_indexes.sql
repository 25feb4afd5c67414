DROP INDEX "listings_search_idx";--> statement-breakpoint
DROP INDEX "listings_category_idx";--> statement-breakpoint
CREATE INDEX "listings_search_idx" ON "listings" USING gin ("search") WITH (fastupdate=false);--> statement-breakpoint
CREATE INDEX "listings_category_idx" ON "listings" USING btree ("category","price_cents","id") WHERE status = 'active';