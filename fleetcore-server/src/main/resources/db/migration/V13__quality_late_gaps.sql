-- The quality check notes the ids it did not see between its last horizon and the one before (late_gaps:
-- ranges as pairs, lo1, hi1, lo2, hi2, ... inclusive): a row that committed after the check read past its id
-- lies in one of them, so the next run reads again only those ranges instead of every row of the last run
-- with a transaction-age filter. NULL (existing rows, or more ranges than the check keeps) = the age filter.
alter table check_watermarks add column late_gaps bigint[];
