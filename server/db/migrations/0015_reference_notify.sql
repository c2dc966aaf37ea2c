CREATE OR REPLACE FUNCTION "cg_reference_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('cg_reference_changed', TG_TABLE_NAME);
	RETURN NULL;
END $$;
--> statement-breakpoint
DROP TRIGGER IF EXISTS "routing_rules_changed" ON "routing_rules";
--> statement-breakpoint
CREATE TRIGGER "routing_rules_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "routing_rules"
	FOR EACH STATEMENT EXECUTE FUNCTION "cg_reference_changed"();
--> statement-breakpoint
DROP TRIGGER IF EXISTS "departments_changed" ON "departments";
--> statement-breakpoint
CREATE TRIGGER "departments_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "departments"
	FOR EACH STATEMENT EXECUTE FUNCTION "cg_reference_changed"();
