-- A worker's or a co-op's feed belongs to the membership it was made for. Feeds of people no longer
-- in their co-op (already answering 404) go first, and co-op feeds of people no longer its admin.
DELETE FROM "calendar_feeds" f WHERE f."coop_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "coop_members" m WHERE m."coop_id" = f."coop_id" AND m."user_id" = f."user_id");--> statement-breakpoint
DELETE FROM "calendar_feeds" f WHERE f."kind" = 'coop' AND NOT EXISTS (SELECT 1 FROM "coop_members" m WHERE m."coop_id" = f."coop_id" AND m."user_id" = f."user_id" AND m."role" = 'admin');--> statement-breakpoint
ALTER TABLE "calendar_feeds" ADD CONSTRAINT "calendar_feeds_membership_fk" FOREIGN KEY ("coop_id","user_id") REFERENCES "public"."coop_members"("coop_id","user_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Leaving the co-op removes both feeds (the key above); ceasing to be its admin removes the co-op's
-- feed, so being made admin again never brings the old address back.
CREATE FUNCTION calendar_feeds_admin_left() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM calendar_feeds WHERE kind = 'coop' AND coop_id = OLD.coop_id AND user_id = OLD.user_id;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER calendar_feeds_admin_left AFTER UPDATE OF role ON coop_members
  FOR EACH ROW WHEN (OLD.role = 'admin' AND NEW.role IS DISTINCT FROM 'admin')
  EXECUTE FUNCTION calendar_feeds_admin_left();
