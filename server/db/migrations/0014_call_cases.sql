CREATE TABLE IF NOT EXISTS "call_cases" (
	"call_id" text NOT NULL,
	"case_id" uuid NOT NULL,
	"linked_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "call_cases_pkey" PRIMARY KEY ("call_id", "case_id")
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "call_cases_case_idx" ON "call_cases" ("case_id");
--> statement-breakpoint
INSERT INTO "call_cases" ("call_id", "case_id", "linked_at")
SELECT "id", "case_id", "updated_at" FROM "calls" WHERE "case_id" IS NOT NULL
ON CONFLICT DO NOTHING;
