-- Drafts made twice for one year (a double submit): the newest one is kept, as is any draft once put
-- to the vote (its proposal refers to it). A year left with two such plans stops this migration, to
-- be sorted out by hand.
DELETE FROM "surplus_plans" p
WHERE p."status" = 'draft'
  AND NOT EXISTS (SELECT 1 FROM "proposals" pr WHERE pr."plan_id" = p."id")
  AND NOT EXISTS (SELECT 1 FROM "plan_allocations" a WHERE a."plan_id" = p."id")
  AND EXISTS (
    SELECT 1 FROM "surplus_plans" other
    WHERE other."fiscal_year_id" = p."fiscal_year_id" AND other."id" <> p."id" AND other."status" IN ('draft', 'proposed')
      AND (other."status" = 'proposed' OR EXISTS (SELECT 1 FROM "proposals" pr WHERE pr."plan_id" = other."id")
        OR (other."created_at", other."id") > (p."created_at", p."id"))
  );--> statement-breakpoint
CREATE UNIQUE INDEX "surplus_plans_one_in_progress" ON "surplus_plans" USING btree ("fiscal_year_id") WHERE status IN ('draft', 'proposed');
