-- Sessions are cached in each instance (auth/sessions.ts); a session ended or an account changed, by any
-- instance or by hand in SQL, tells every instance at commit. Row triggers, so the expired-session clean-up
-- at each login (which usually deletes nothing) and a login's last_login_at say nothing.
DROP TRIGGER IF EXISTS "sessions_changed" ON "sessions";
--> statement-breakpoint
CREATE TRIGGER "sessions_changed" AFTER UPDATE OR DELETE ON "sessions"
	FOR EACH ROW EXECUTE FUNCTION "cg_reference_changed"();
--> statement-breakpoint
DROP TRIGGER IF EXISTS "sessions_truncated" ON "sessions";
--> statement-breakpoint
CREATE TRIGGER "sessions_truncated" AFTER TRUNCATE ON "sessions"
	FOR EACH STATEMENT EXECUTE FUNCTION "cg_reference_changed"();
--> statement-breakpoint
DROP TRIGGER IF EXISTS "staff_users_changed" ON "staff_users";
--> statement-breakpoint
CREATE TRIGGER "staff_users_changed" AFTER UPDATE ON "staff_users"
	FOR EACH ROW WHEN (
		(OLD.active, OLD.role, OLD.department_id, OLD.username, OLD.password_hash)
		IS DISTINCT FROM (NEW.active, NEW.role, NEW.department_id, NEW.username, NEW.password_hash)
	) EXECUTE FUNCTION "cg_reference_changed"();
--> statement-breakpoint
DROP TRIGGER IF EXISTS "staff_users_deleted" ON "staff_users";
--> statement-breakpoint
CREATE TRIGGER "staff_users_deleted" AFTER DELETE ON "staff_users"
	FOR EACH ROW EXECUTE FUNCTION "cg_reference_changed"();
--> statement-breakpoint
DROP TRIGGER IF EXISTS "staff_users_truncated" ON "staff_users";
--> statement-breakpoint
CREATE TRIGGER "staff_users_truncated" AFTER TRUNCATE ON "staff_users"
	FOR EACH STATEMENT EXECUTE FUNCTION "cg_reference_changed"();
