ALTER TABLE "chat_conversations" ADD COLUMN "reply_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "chat_conversations" ADD COLUMN "replies_left" integer DEFAULT 0 NOT NULL;
