-- A 咨询 answered on the spot used to keep its provisional number ('pending:<uuid>'): the intake
-- returned before numberCase. Such cases get the next numbers of the day they were received on
-- (Asia/Shanghai), in the order they were received, from the same daily counters as every case.
WITH p AS (
  SELECT id,
         to_char(created_at AT TIME ZONE 'Asia/Shanghai', 'YYYYMMDD') AS day,
         row_number() OVER (PARTITION BY to_char(created_at AT TIME ZONE 'Asia/Shanghai', 'YYYYMMDD')
                            ORDER BY created_at, id) AS k
  FROM cases WHERE case_no LIKE 'pending:%'
), per_day AS (
  SELECT day, count(*)::int AS n FROM p GROUP BY day
), c AS (
  INSERT INTO case_counters (day, last) SELECT day, n FROM per_day
  ON CONFLICT (day) DO UPDATE SET last = case_counters.last + excluded.last
  RETURNING day, last
)
UPDATE cases SET case_no = p.day || repeat('0', greatest(0, 5 - length((c.last - d.n + p.k)::text))) || (c.last - d.n + p.k)::text
FROM p JOIN per_day d ON d.day = p.day JOIN c ON c.day = p.day
WHERE cases.id = p.id;
