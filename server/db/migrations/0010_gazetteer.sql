CREATE TABLE "gazetteer_entries" (
	"id" serial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"aliases" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"lat" double precision NOT NULL,
	"lng" double precision NOT NULL,
	"geometry" jsonb,
	"road" text,
	"house_from" integer,
	"house_to" integer,
	"parity" text,
	"source" text DEFAULT 'demo' NOT NULL
);
--> statement-breakpoint
CREATE INDEX "gazetteer_entries_kind_idx" ON "gazetteer_entries" USING btree ("kind");
