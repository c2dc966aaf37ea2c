CREATE TABLE IF NOT EXISTS "agent_screen_pops" (
	"agent" text PRIMARY KEY NOT NULL,
	"call_id" text NOT NULL,
	"payload" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
