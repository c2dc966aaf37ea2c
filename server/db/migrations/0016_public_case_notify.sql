-- Every change the public lookup could show (a case's row, its timeline) is announced to every
-- instance at commit, whichever code path made it, so each instance's cache of presented answers
-- drops that case (server/cases/publicCaseCache.ts). PostgreSQL folds a transaction's repeated
-- identical notifications into one, and sends none for a rollback.
CREATE OR REPLACE FUNCTION public_case_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
  IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
  IF TG_TABLE_NAME = 'cases' THEN
    PERFORM pg_notify('cg_public_case', r.id::text);
  ELSE
    PERFORM pg_notify('cg_public_case', r.case_id::text);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER public_case_changed_cases AFTER UPDATE OR DELETE ON "cases" FOR EACH ROW EXECUTE FUNCTION public_case_changed();
--> statement-breakpoint
CREATE TRIGGER public_case_changed_events AFTER INSERT OR UPDATE OR DELETE ON "case_events" FOR EACH ROW EXECUTE FUNCTION public_case_changed();
