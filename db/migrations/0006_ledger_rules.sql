-- The ledger is append-only: entries and lines are never changed or removed (a correction is a new entry).
CREATE TRIGGER journal_entries_append_only BEFORE UPDATE OR DELETE ON journal_entries
  FOR EACH ROW EXECUTE FUNCTION tissu_append_only();
--> statement-breakpoint
CREATE TRIGGER journal_lines_append_only BEFORE UPDATE OR DELETE ON journal_lines
  FOR EACH ROW EXECUTE FUNCTION tissu_append_only();
--> statement-breakpoint
-- Every entry balances: checked when the transaction commits, once all its lines are in.
CREATE OR REPLACE FUNCTION tissu_entry_balances() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE off bigint;
BEGIN
  SELECT coalesce(sum(amount_cents), 0) INTO off FROM journal_lines WHERE entry_id = NEW.entry_id;
  IF off <> 0 THEN
    RAISE EXCEPTION 'journal entry % does not balance (off by % cents)', NEW.entry_id, off USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER journal_lines_balance AFTER INSERT ON journal_lines
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION tissu_entry_balances();
--> statement-breakpoint
-- The platform fee starts at the public 5 %.
INSERT INTO platform_fee_rates (rate_bps, effective_from, reason) VALUES (500, '2026-01-01T05:00:00Z', 'Founding rate adopted by the members');
