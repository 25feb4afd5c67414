-- Extensions and functions the schema relies on; written by hand, applied before everything else.
CREATE EXTENSION IF NOT EXISTS unaccent;
--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS btree_gist;
--> statement-breakpoint
-- unaccent() is only STABLE (it reads a dictionary), so a generated column cannot call it.
-- Pinning the dictionary makes the result depend on the input alone, which is what IMMUTABLE promises.
CREATE OR REPLACE FUNCTION tissu_unaccent(text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;
