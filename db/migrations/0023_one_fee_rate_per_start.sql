-- Rates set twice for one instant: the one in force was the last inserted (feeRateAtSql), so it is kept.
DELETE FROM "platform_fee_rates" r USING "platform_fee_rates" newer WHERE newer."effective_from" = r."effective_from" AND newer."id" > r."id";--> statement-breakpoint
DROP INDEX "platform_fee_rates_effective_idx";--> statement-breakpoint
CREATE UNIQUE INDEX "platform_fee_rates_effective_key" ON "platform_fee_rates" USING btree ("effective_from");
