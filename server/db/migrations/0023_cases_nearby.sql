-- The duplicate search (cases/duplicates.ts) asks for open cases of one 小类 in a small box around a point, within a
-- window. Its only index was the console list's (category_code, created_at, case_no): every case of the 小类 in the
-- window was read from the heap to test its position, a cost that grows with the city's volume of that 小类. This
-- index reads only the latitude band of the box; longitude and the window are tested in the index, and only cases
-- in the box are read from the heap (where their state is tested).
CREATE INDEX IF NOT EXISTS "cases_nearby_idx" ON "cases" USING btree ("category_code","lat","lng","created_at") WHERE "cases"."lat" is not null;
