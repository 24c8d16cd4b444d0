-- The tenant-wide minute and concurrency replays read run_marks and sum the flagged runs per
-- hour of their end (then per day and feature). Without statistics on that expression the
-- planner takes every run for a group of its own (end_time is nearly unique), so it sorts
-- half a million rows instead of hashing a few thousand groups, and splits no work between
-- parallel workers. ANALYZE (autovacuum) fills it in; the expression must stay the one the
-- statements of SimulationMapper.xml group by.
CREATE STATISTICS run_marks_end_hour ON (date_bin('1 hour', end_time, timestamptz '2000-01-01 00:00:00+00'))
    FROM run_marks;

-- The foreign key to tenants checked every row the run-marks job copies with a query of its
-- own: about half of the insert's cost (docs/PERFORMANCE.md, sixth round). It guarded nothing
-- the run records do not: every copied run is a row of llm_run_records, whose own key to
-- tenants (no cascade) already keeps a tenant with runs from being deleted, and a tenant
-- without runs has no marks.
ALTER TABLE run_marks DROP CONSTRAINT run_marks_tenant_id_fkey;
