-- Text is split into runs of letters and digits; a run's characters are indexed as bigrams.
CREATE OR REPLACE FUNCTION case_search_runs(t text) RETURNS SETOF text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT w FROM regexp_split_to_table(lower(coalesce(t, '')), '[[:space:][:punct:]，。！？、；：“”‘’（）《》【】…—·～]+') AS w WHERE w <> ''
$$;--> statement-breakpoint
-- Every bigram of every run, and the last character of each run alone: a one-character query is then a prefix match.
CREATE OR REPLACE FUNCTION case_search_vector(t text) RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(array_to_tsvector(array_agg(DISTINCT substr(w, i, 2))), ''::tsvector)
  FROM case_search_runs(t) AS w, generate_series(1, length(w)) AS i
$$;--> statement-breakpoint
-- All the query's bigrams must be there; a one-character run matches any lexeme it starts.
CREATE OR REPLACE FUNCTION case_search_query(q text) RETURNS tsquery LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT string_agg(DISTINCT '''' || replace(replace(g, '\', '\\'), '''', '''''') || '''' || CASE WHEN length(g) = 1 THEN ':*' ELSE '' END, ' & ')::tsquery
  FROM (
    SELECT CASE WHEN length(w) = 1 THEN w ELSE substr(w, i, 2) END AS g
    FROM case_search_runs(q) AS w, generate_series(1, greatest(length(w) - 1, 1)) AS i
  ) AS s
$$;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "search_vector" "tsvector" GENERATED ALWAYS AS (case_search_vector(coalesce(title, '') || ' ' || coalesce(description, '') || ' ' || coalesce(address, ''))) STORED;--> statement-breakpoint
DROP INDEX IF EXISTS "cases_state_idx";--> statement-breakpoint
DROP INDEX IF EXISTS "cases_department_idx";--> statement-breakpoint
DROP INDEX IF EXISTS "cases_category_idx";--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "cases_created_no_idx" ON "cases" USING btree ("created_at","case_no");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "cases_state_created_idx" ON "cases" USING btree ("state","created_at","case_no");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "cases_category_created_idx" ON "cases" USING btree ("category_code","created_at","case_no");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "cases_major_created_idx" ON "cases" USING btree ("major_code","created_at","case_no");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "cases_department_created_idx" ON "cases" USING btree ("department_id","created_at","case_no");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "cases_deadline_status_created_idx" ON "cases" USING btree ("deadline_status","created_at","case_no");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "cases_channel_created_idx" ON "cases" USING btree ("channel","created_at","case_no");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "cases_grid_created_idx" ON "cases" USING btree ("grid_id","created_at","case_no");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "cases_community_created_idx" ON "cases" USING btree ("community_id","created_at","case_no");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "cases_street_created_idx" ON "cases" USING btree ("street_id","created_at","case_no");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "cases_district_created_idx" ON "cases" USING btree ("district_id","created_at","case_no");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "cases_review_idx" ON "cases" USING btree ("created_at","case_no") WHERE "cases"."needs_review";--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "cases_triage_idx" ON "cases" USING btree ("created_at","case_no") WHERE "cases"."department_id" is null;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "cases_public_closed_idx" ON "cases" USING btree ("closed_at" DESC) WHERE "cases"."state" = '结案';--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "cases_search_idx" ON "cases" USING gin ("search_vector");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "calls_case_idx" ON "calls" USING btree ("case_id");--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "stats_dirty" (
	"case_id" uuid PRIMARY KEY NOT NULL
);--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "stats_case_facts" (
	"case_id" uuid NOT NULL,
	"fact_day" date NOT NULL,
	"cohort_day" date NOT NULL,
	"channel" text NOT NULL,
	"category_code" text NOT NULL,
	"department_id" integer NOT NULL,
	"grid_id" integer,
	"community_id" integer,
	"street_id" integer,
	"district_id" integer,
	"received" integer NOT NULL,
	"closed" integer NOT NULL,
	"closed_on_time" integer NOT NULL,
	"reached_survey" integer NOT NULL,
	"disposed" integer NOT NULL,
	"reworked" integer NOT NULL,
	"disposal_n" integer NOT NULL,
	"disposal_ms" bigint NOT NULL,
	"surveyed" integer NOT NULL,
	"answered" integer NOT NULL,
	"satisfied" integer NOT NULL,
	CONSTRAINT "stats_case_facts_pk" PRIMARY KEY("case_id","fact_day")
);--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "stats_daily" (
	"area_id" integer NOT NULL,
	"cohort_day" date NOT NULL,
	"fact_day" date NOT NULL,
	"channel" text NOT NULL,
	"category_code" text NOT NULL,
	"department_id" integer NOT NULL,
	"received" integer NOT NULL,
	"closed" integer NOT NULL,
	"closed_on_time" integer NOT NULL,
	"reached_survey" integer NOT NULL,
	"disposed" integer NOT NULL,
	"reworked" integer NOT NULL,
	"disposal_n" integer NOT NULL,
	"disposal_ms" bigint NOT NULL,
	"surveyed" integer NOT NULL,
	"answered" integer NOT NULL,
	"satisfied" integer NOT NULL,
	CONSTRAINT "stats_daily_pk" PRIMARY KEY("area_id","cohort_day","fact_day","channel","category_code","department_id")
);--> statement-breakpoint
CREATE OR REPLACE FUNCTION stats_mark_case() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO stats_dirty (case_id) VALUES (NEW.id) ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION stats_mark_case_of_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO stats_dirty (case_id) VALUES (NEW.case_id) ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER stats_cases_ins AFTER INSERT ON "cases" FOR EACH ROW EXECUTE FUNCTION stats_mark_case();--> statement-breakpoint
CREATE TRIGGER stats_cases_upd AFTER UPDATE ON "cases" FOR EACH ROW WHEN (
  OLD.created_at IS DISTINCT FROM NEW.created_at OR OLD.channel IS DISTINCT FROM NEW.channel
  OR OLD.category_code IS DISTINCT FROM NEW.category_code OR OLD.department_id IS DISTINCT FROM NEW.department_id
  OR OLD.deadline_at IS DISTINCT FROM NEW.deadline_at OR OLD.grid_id IS DISTINCT FROM NEW.grid_id
  OR OLD.community_id IS DISTINCT FROM NEW.community_id OR OLD.street_id IS DISTINCT FROM NEW.street_id
  OR OLD.district_id IS DISTINCT FROM NEW.district_id
) EXECUTE FUNCTION stats_mark_case();--> statement-breakpoint
CREATE TRIGGER stats_case_events_ins AFTER INSERT ON "case_events" FOR EACH ROW EXECUTE FUNCTION stats_mark_case_of_row();--> statement-breakpoint
CREATE TRIGGER stats_surveys_ins AFTER INSERT OR UPDATE ON "surveys" FOR EACH ROW EXECUTE FUNCTION stats_mark_case_of_row();--> statement-breakpoint
INSERT INTO stats_dirty (case_id) SELECT id FROM cases ON CONFLICT DO NOTHING;
