-- The daily limit of case numbers (999,999: cases/caseNumber.ts) was checked by the service after the statement
-- that took the number. The intake now sends its COMMIT right behind that statement (db/transaction.ts), so the
-- limit is the database's: an intake that would go over it fails in that statement and is rolled back.
ALTER TABLE "case_counters" ADD CONSTRAINT "case_counters_daily_limit" CHECK ("last" <= 999999);
