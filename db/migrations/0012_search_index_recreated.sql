-- drizzle-kit changes a generated column's expression by dropping the column and adding it again
-- (0011), which drops its index and its statistics with it. Written by hand.
CREATE INDEX IF NOT EXISTS "listings_search_idx" ON "listings" USING gin ("search") WITH (fastupdate=false);
--> statement-breakpoint
ANALYZE listings;
