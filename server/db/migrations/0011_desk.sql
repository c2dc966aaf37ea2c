ALTER TABLE "cases" ADD COLUMN IF NOT EXISTS "reporter_name" text;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN IF NOT EXISTS "urge_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN IF NOT EXISTS "urged_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN IF NOT EXISTS "merged_into" uuid;--> statement-breakpoint
ALTER TABLE "routing_rules" ADD COLUMN IF NOT EXISTS "urgent_deadline_hours" real;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "cases_urged_idx" ON "cases" USING btree ("department_id","urged_at") WHERE "cases"."urged_at" is not null;--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "knowledge_answers" (
	"id" serial PRIMARY KEY NOT NULL,
	"question" text NOT NULL,
	"answer" text NOT NULL,
	"keywords" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
