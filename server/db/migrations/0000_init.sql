CREATE TABLE "areas" (
	"id" serial PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"level" text NOT NULL,
	"parent_id" integer,
	"geometry" jsonb,
	"aliases" jsonb DEFAULT '[]'::jsonb NOT NULL,
	CONSTRAINT "areas_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"actor_id" uuid,
	"action" text NOT NULL,
	"target_type" text NOT NULL,
	"target_id" text NOT NULL,
	"data" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "calls" (
	"id" text PRIMARY KEY NOT NULL,
	"direction" text NOT NULL,
	"caller_hash" text,
	"caller_masked" text,
	"called_number" text,
	"citizen_id" uuid,
	"case_id" uuid,
	"agent" text,
	"started_at" timestamp with time zone NOT NULL,
	"answered_at" timestamp with time zone,
	"bridged_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"hangup_cause" text,
	"recording_path" text,
	"variables" jsonb,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "case_counters" (
	"day" text PRIMARY KEY NOT NULL,
	"last" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "case_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"case_id" uuid NOT NULL,
	"actor_type" text NOT NULL,
	"actor_id" text,
	"action" text NOT NULL,
	"from_state" text,
	"to_state" text,
	"note" text,
	"attachments" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"data" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cases" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_no" text NOT NULL,
	"state" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"channel" text NOT NULL,
	"kind" text,
	"category_code" text,
	"major_code" text,
	"title" text NOT NULL,
	"description" text NOT NULL,
	"lat" double precision,
	"lng" double precision,
	"address" text,
	"grid_id" integer,
	"community_id" integer,
	"street_id" integer,
	"district_id" integer,
	"department_id" integer,
	"routing_rule_id" integer,
	"priority" text DEFAULT '一般' NOT NULL,
	"deadline_at" timestamp with time zone,
	"deadline_status" text DEFAULT '正常' NOT NULL,
	"reporter_id" uuid,
	"confidence" real,
	"needs_review" boolean DEFAULT false NOT NULL,
	"transfer_agency" text,
	"duplicate_count" integer DEFAULT 0 NOT NULL,
	"rework_count" integer DEFAULT 0 NOT NULL,
	"survey_result" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"dispatched_at" timestamp with time zone,
	"resolved_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	CONSTRAINT "cases_case_no_unique" UNIQUE("case_no")
);
--> statement-breakpoint
CREATE TABLE "categories" (
	"id" serial PRIMARY KEY NOT NULL,
	"city" text NOT NULL,
	"code" text NOT NULL,
	"kind" text NOT NULL,
	"level" text NOT NULL,
	"name" text NOT NULL,
	"parent_code" text,
	"synonyms" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"agency" text,
	"duplicate_radius_m" integer,
	"photo_required" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "citizens" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"phone_enc" text,
	"phone_hash" text,
	"phone_masked" text,
	"openid" text,
	"unionid" text,
	"chat_contact_id" text,
	"name" text,
	"do_not_call" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "departments" (
	"id" serial PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"delivery" text DEFAULT 'internal' NOT NULL,
	"webhook_url" text,
	"webhook_secret" text,
	"agency" text,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "departments_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "reports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"channel" text NOT NULL,
	"citizen_id" uuid,
	"staff_id" uuid,
	"text" text NOT NULL,
	"photos" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"lat" double precision,
	"lng" double precision,
	"address" text,
	"raw" jsonb,
	"idempotency_key" text NOT NULL,
	"classification" jsonb,
	"case_id" uuid,
	"disposition" text DEFAULT 'opened' NOT NULL,
	"call_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reports_idempotency_key_unique" UNIQUE("idempotency_key")
);
--> statement-breakpoint
CREATE TABLE "routing_rules" (
	"id" serial PRIMARY KEY NOT NULL,
	"city" text DEFAULT 'default' NOT NULL,
	"category_code" text NOT NULL,
	"area_id" integer,
	"department_id" integer NOT NULL,
	"deadline_hours" real NOT NULL,
	"deadline_type" text DEFAULT 'working' NOT NULL,
	"priority" text DEFAULT '一般' NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "staff_users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"username" text NOT NULL,
	"display_name" text NOT NULL,
	"role" text NOT NULL,
	"department_id" integer,
	"extension" text,
	"password_hash" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_login_at" timestamp with time zone,
	CONSTRAINT "staff_users_username_unique" UNIQUE("username")
);
--> statement-breakpoint
CREATE INDEX "areas_parent_idx" ON "areas" USING btree ("parent_id");--> statement-breakpoint
CREATE INDEX "audit_log_target_idx" ON "audit_log" USING btree ("target_type","target_id");--> statement-breakpoint
CREATE INDEX "calls_citizen_idx" ON "calls" USING btree ("citizen_id");--> statement-breakpoint
CREATE INDEX "calls_started_idx" ON "calls" USING btree ("started_at");--> statement-breakpoint
CREATE INDEX "case_events_case_idx" ON "case_events" USING btree ("case_id","id");--> statement-breakpoint
CREATE INDEX "cases_state_idx" ON "cases" USING btree ("state");--> statement-breakpoint
CREATE INDEX "cases_department_idx" ON "cases" USING btree ("department_id");--> statement-breakpoint
CREATE INDEX "cases_category_idx" ON "cases" USING btree ("category_code");--> statement-breakpoint
CREATE INDEX "cases_reporter_idx" ON "cases" USING btree ("reporter_id");--> statement-breakpoint
CREATE INDEX "cases_created_idx" ON "cases" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "categories_city_code_key" ON "categories" USING btree ("city","code");--> statement-breakpoint
CREATE UNIQUE INDEX "citizens_phone_hash_key" ON "citizens" USING btree ("phone_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "citizens_openid_key" ON "citizens" USING btree ("openid");--> statement-breakpoint
CREATE UNIQUE INDEX "citizens_chat_contact_key" ON "citizens" USING btree ("chat_contact_id");--> statement-breakpoint
CREATE INDEX "reports_case_idx" ON "reports" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "reports_citizen_idx" ON "reports" USING btree ("citizen_id");--> statement-breakpoint
CREATE INDEX "routing_rules_category_idx" ON "routing_rules" USING btree ("category_code");--> statement-breakpoint
CREATE INDEX "sessions_user_idx" ON "sessions" USING btree ("user_id");