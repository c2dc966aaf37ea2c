ALTER TABLE "uploads" ADD COLUMN "check_trace_id" text;--> statement-breakpoint
ALTER TABLE "uploads" ADD COLUMN "check_status" text DEFAULT 'none' NOT NULL;