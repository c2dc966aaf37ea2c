CREATE TABLE "chat_conversations" (
	"contact_id" text PRIMARY KEY NOT NULL,
	"citizen_id" uuid,
	"state" text DEFAULT 'idle' NOT NULL,
	"draft" jsonb,
	"handover" boolean DEFAULT false NOT NULL,
	"agent_id" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_message_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "chat_messages" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"message_id" text,
	"contact_id" text NOT NULL,
	"direction" text NOT NULL,
	"kind" text NOT NULL,
	"text" text,
	"payload" jsonb,
	"case_id" uuid,
	"agent_id" uuid,
	"handled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"dedupe_key" text NOT NULL,
	"case_id" uuid NOT NULL,
	"citizen_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"channel" text NOT NULL,
	"status" text NOT NULL,
	"detail" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notifications_dedupe_key_unique" UNIQUE("dedupe_key")
);
--> statement-breakpoint
CREATE TABLE "subscription_grants" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"citizen_id" uuid NOT NULL,
	"template_kind" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"used_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "surveys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"citizen_id" uuid NOT NULL,
	"round" integer NOT NULL,
	"channel" text NOT NULL,
	"status" text DEFAULT 'scheduled' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone,
	"result" text,
	"comment" text,
	"answered_by" text,
	"last_outcome" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"answered_at" timestamp with time zone
);
--> statement-breakpoint
CREATE UNIQUE INDEX "chat_messages_message_id_key" ON "chat_messages" USING btree ("message_id");--> statement-breakpoint
CREATE INDEX "chat_messages_contact_idx" ON "chat_messages" USING btree ("contact_id","id");--> statement-breakpoint
CREATE INDEX "subscription_grants_citizen_idx" ON "subscription_grants" USING btree ("citizen_id","template_kind");--> statement-breakpoint
CREATE UNIQUE INDEX "surveys_case_citizen_round_key" ON "surveys" USING btree ("case_id","citizen_id","round");--> statement-breakpoint
CREATE INDEX "surveys_status_idx" ON "surveys" USING btree ("status");