-- A surplus plan is frozen once proposed and never changes once the members approve it. The
-- only moves out of "proposed" are the assembly's decision (approved, or back to draft when
-- rejected); out of "approved", only being paid. Each of these changes the status and its
-- timestamp and nothing else.
CREATE OR REPLACE FUNCTION tissu_surplus_plan_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.status <> 'draft' THEN
      RAISE EXCEPTION 'surplus plan % is % and cannot be deleted', OLD.id, OLD.status USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN OLD;
  END IF;
  IF OLD.status = 'draft' THEN
    RETURN NEW;
  END IF;
  IF OLD.status = 'proposed' AND NEW.status = 'draft' THEN
    RETURN NEW;
  END IF;
  IF OLD.status = 'proposed' AND NEW.status = 'approved'
     AND to_jsonb(NEW) - 'status' - 'approved_at' = to_jsonb(OLD) - 'status' - 'approved_at' THEN
    RETURN NEW;
  END IF;
  IF OLD.status = 'approved' AND NEW.status = 'paid'
     AND to_jsonb(NEW) - 'status' - 'paid_at' = to_jsonb(OLD) - 'status' - 'paid_at' THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'surplus plan % is % and cannot be changed', OLD.id, OLD.status USING ERRCODE = 'restrict_violation';
END $$;
--> statement-breakpoint
CREATE TRIGGER surplus_plans_frozen BEFORE UPDATE OR DELETE ON surplus_plans
  FOR EACH ROW EXECUTE FUNCTION tissu_surplus_plan_frozen();
--> statement-breakpoint
-- A plan's allocations are written while it is a draft (just before it is proposed) and removed
-- only after a rejection has put it back to draft; they are never edited.
CREATE OR REPLACE FUNCTION tissu_plan_allocations_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE plan_status text;
BEGIN
  IF TG_OP = 'UPDATE' THEN
    RAISE EXCEPTION 'plan allocations cannot be changed' USING ERRCODE = 'restrict_violation';
  END IF;
  SELECT status INTO plan_status FROM surplus_plans WHERE id = CASE WHEN TG_OP = 'DELETE' THEN OLD.plan_id ELSE NEW.plan_id END;
  IF plan_status IS DISTINCT FROM 'draft' THEN
    RAISE EXCEPTION 'the allocations of a % surplus plan cannot be changed', plan_status USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
--> statement-breakpoint
CREATE TRIGGER plan_allocations_frozen BEFORE INSERT OR UPDATE OR DELETE ON plan_allocations
  FOR EACH ROW EXECUTE FUNCTION tissu_plan_allocations_frozen();
