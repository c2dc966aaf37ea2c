-- The whole city's figures with one dimension per row: a 365-day dashboard sums a few hundred
-- thousand rows here instead of every (channel × 小类 × department) row of stats_daily.
-- The metric columns of stats_daily, with (dim, key) in place of the area and the three dimensions.
CREATE TABLE IF NOT EXISTS "stats_city" (LIKE "stats_daily");--> statement-breakpoint
ALTER TABLE "stats_city" DROP COLUMN "area_id", DROP COLUMN "channel", DROP COLUMN "category_code",
  DROP COLUMN "department_id", ADD COLUMN "dim" text NOT NULL, ADD COLUMN "key" text NOT NULL,
  ADD CONSTRAINT "stats_city_pk" PRIMARY KEY ("cohort_day", "fact_day", "dim", "key");--> statement-breakpoint
-- Filled from the facts already kept; stats_daily and stats_city stay the sums of the same facts.
INSERT INTO stats_city (cohort_day, fact_day, dim, key, received, closed, closed_on_time, reached_survey, disposed,
  reworked, disposal_n, disposal_ms, surveyed, answered, satisfied)
SELECT f.cohort_day, f.fact_day, d.dim, d.key, sum(received), sum(closed), sum(closed_on_time), sum(reached_survey),
  sum(disposed), sum(reworked), sum(disposal_n), sum(disposal_ms), sum(surveyed), sum(answered), sum(satisfied)
FROM stats_case_facts f
CROSS JOIN LATERAL (VALUES ('channel', f.channel), ('category', f.category_code), ('department', f.department_id::text)) AS d(dim, key)
GROUP BY 1, 2, 3, 4;
--> statement-breakpoint
-- 催办 / 督办 figures of a period (server/stats/supervision.ts) read a few urges among millions of events.
CREATE INDEX IF NOT EXISTS "case_events_urge_idx" ON "case_events" USING btree ("created_at") WHERE "case_events"."action" = 'urge';
