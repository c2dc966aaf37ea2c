ALTER TABLE "citizens" ADD COLUMN IF NOT EXISTS "sms_opt_out_at" timestamp with time zone;
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "sms_replies" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"provider" text NOT NULL,
	"dedupe_key" text NOT NULL,
	"citizen_id" uuid,
	"text" text NOT NULL,
	"effect" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "sms_replies_dedupe_key" ON "sms_replies" ("dedupe_key");
