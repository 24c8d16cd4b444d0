-- Limit simulation at scale (issue 4): each recorded run's usage marks for the two limit kinds
-- that depend on the order of runs, kept off the ingestion path by the job "run-marks".
--
-- `run_marks` holds, for every run recorded (not BLOCKED) before
-- `run_marks_watermark.recorded_before`, in (tenant_id, start_time, run_id) order:
--   minute_place  its place among the tenant's runs that started in the same UTC minute;
--   in_flight     the tenant's runs in flight when it started, itself included (the rule of
--                 LimitSimulator: a run that ends at an instant frees its place for one starting then).
-- A tenant-wide replay reads these marks instead of sorting every run of its window; the runs
-- recorded from the watermark on (the last minute or two, and runs recorded late) are replayed
-- from llm_run_records as before. The job moves the watermark on `recorded_at` (the inserting
-- transaction's start), never past a transaction still open, so no run is skipped.
CREATE TABLE run_marks (
    tenant_id    uuid        NOT NULL REFERENCES tenants ON DELETE CASCADE,
    start_time   timestamptz NOT NULL,
    run_id       text        COLLATE "C" NOT NULL,
    end_time     timestamptz NOT NULL,
    feature      text        NOT NULL,
    cost_micros  bigint      NOT NULL,
    tokens       bigint      NOT NULL,
    minute_place integer     NOT NULL DEFAULT 0,
    in_flight    integer     NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, start_time, run_id)
);
-- Runs in flight at an instant are found by start time within the hour before it, and the
-- (rare) runs longer than an hour by this index.
CREATE INDEX run_marks_long ON run_marks (tenant_id, end_time) WHERE end_time - start_time > interval '1 hour';

CREATE TABLE run_marks_watermark (
    only_row        boolean     PRIMARY KEY DEFAULT true CHECK (only_row),
    recorded_before timestamptz NOT NULL
);
INSERT INTO run_marks_watermark (recorded_before) VALUES ('1970-01-01 00:00:00+00');

-- The runs recorded from the watermark on. A BRIN index costs an insert almost nothing (a new
-- row lands in the table's last, unsummarised block range, which the index does not track
-- until it is summarised); a btree on recorded_at would be one more index on the hottest table.
CREATE INDEX llm_run_records_recorded ON llm_run_records USING brin (recorded_at) WITH (autosummarize = on);
