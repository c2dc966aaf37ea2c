-- cases_created_idx (created_at) is the first column of cases_created_no_idx (created_at, case_no), which serves
-- every query it served (ranges and the order by created_at) as well: each case insert and each update that is
-- not HOT (a transition changes the state, an indexed column) wrote one index entry too many.
DROP INDEX IF EXISTS "cases_created_idx";
