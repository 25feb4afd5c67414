-- A plan's allocations are written in one statement of 10,000 rows; the per-row check read the
-- plan's status once per row (a third of the proposal's time). The same rule, checked once per
-- statement over the rows it wrote or removed (transition tables need one trigger per event).
DROP TRIGGER plan_allocations_frozen ON plan_allocations;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION tissu_plan_allocations_checked() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE plan_status text;
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT p.status INTO plan_status FROM surplus_plans p WHERE p.id IN (SELECT DISTINCT plan_id FROM new_rows) AND p.status <> 'draft' LIMIT 1;
  ELSE
    SELECT p.status INTO plan_status FROM surplus_plans p WHERE p.id IN (SELECT DISTINCT plan_id FROM old_rows) AND p.status <> 'draft' LIMIT 1;
  END IF;
  IF plan_status IS NOT NULL THEN
    RAISE EXCEPTION 'the allocations of a % surplus plan cannot be changed', plan_status USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION tissu_plan_allocations_never_edited() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'plan allocations cannot be changed' USING ERRCODE = 'restrict_violation';
END $$;
--> statement-breakpoint
CREATE TRIGGER plan_allocations_frozen_insert AFTER INSERT ON plan_allocations
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tissu_plan_allocations_checked();
--> statement-breakpoint
CREATE TRIGGER plan_allocations_frozen_delete AFTER DELETE ON plan_allocations
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION tissu_plan_allocations_checked();
--> statement-breakpoint
CREATE TRIGGER plan_allocations_never_edited BEFORE UPDATE ON plan_allocations
  FOR EACH ROW EXECUTE FUNCTION tissu_plan_allocations_never_edited();
--> statement-breakpoint
DROP FUNCTION tissu_plan_allocations_frozen();
