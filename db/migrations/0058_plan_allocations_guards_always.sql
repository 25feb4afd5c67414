-- A plan's 10,000 lines are inserted with the per-row foreign-key checks off (the plan and the
-- memberships are locked FOR KEY SHARE once each instead: server/src/lib/held-keys.ts), which
-- session_replication_role = replica does for the rest of that one statement. The rules that keep
-- a proposed plan's lines frozen must hold then too: they fire whatever the session's role.
ALTER TABLE plan_allocations ENABLE ALWAYS TRIGGER plan_allocations_frozen_insert;
--> statement-breakpoint
ALTER TABLE plan_allocations ENABLE ALWAYS TRIGGER plan_allocations_frozen_delete;
--> statement-breakpoint
ALTER TABLE plan_allocations ENABLE ALWAYS TRIGGER plan_allocations_never_edited;
