-- The quality check saves its progress chunk by chunk (a shutdown stops it between chunks; the next start
-- resumes there). Below the last horizon only rows its snapshot could not see are read again: those written
-- by transactions not older than the horizon snapshot's xmin. 0 (existing rows) = read all of them again.
alter table check_watermarks add column horizon_xmin xid8 not null default '0'::xid8;
