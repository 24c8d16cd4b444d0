-- Retries as the SDK reports them, and daily rollups in each tenant's own time zone.

-- A run may name the earlier run it retries ('' when it is not a retry). Adding a column with
-- a constant default rewrites no row, so the immutability trigger of llm_run_records is not
-- involved.
ALTER TABLE llm_run_records ADD COLUMN retry_of_run_id text NOT NULL DEFAULT '';
ALTER TABLE runs ADD COLUMN retry_of_run_id text NOT NULL DEFAULT '';
-- Runs of the group that were retries of an earlier run.
ALTER TABLE run_rollups_hourly ADD COLUMN retries bigint NOT NULL DEFAULT 0;

-- The UTC-day rollups of V4 were read by nobody, and analytics needs the tenant's local days:
-- replaced by the same table keyed by the tenant's local day (see jobs/DailyRollupJob).
DROP TABLE run_rollups_daily;
CREATE TABLE run_rollups_daily (
    tenant_id           uuid        NOT NULL REFERENCES tenants,
    -- The local day, in rollup_daily_state.time_zone, of the start of every hour folded in.
    day                 date        NOT NULL,
    model               text        NOT NULL,
    provider            text        NOT NULL,
    feature             text        NOT NULL,
    environment         text        NOT NULL,
    status              text        NOT NULL,
    runs                bigint      NOT NULL,
    input_tokens        bigint      NOT NULL,
    output_tokens       bigint      NOT NULL,
    cached_input_tokens bigint      NOT NULL,
    cache_write_tokens  bigint      NOT NULL,
    reasoning_tokens    bigint      NOT NULL,
    cost_micros         bigint      NOT NULL,
    cost_unknown_runs   bigint      NOT NULL,
    latency_ms_sum      bigint      NOT NULL,
    latency_ms_max      bigint      NOT NULL,
    latency_histogram   bigint[]    NOT NULL,
    retries             bigint      NOT NULL,
    PRIMARY KEY (tenant_id, day, model, provider, feature, environment, status)
);

-- Per tenant: the zone its daily rows were folded in, and the first local day not folded.
-- Reads use a daily row only when time_zone is the tenant's current zone and day < folded_until.
CREATE TABLE rollup_daily_state (
    tenant_id           uuid        NOT NULL REFERENCES tenants PRIMARY KEY,
    time_zone           text        NOT NULL,
    folded_until        date        NOT NULL,
    updated_at          timestamptz NOT NULL
);

-- Late data: a UTC day that received runs after it may have been folded (written by ingestion
-- in the run's own transaction, at most one mark per tenant and day per group). Reads treat
-- every local day overlapping a marked UTC day as not folded; the job refolds those days and
-- deletes exactly the marks it read (by mark_id), never one written after its read.
CREATE TABLE rollup_dirty_days (
    tenant_id           uuid        NOT NULL REFERENCES tenants,
    mark_id             bigint      GENERATED ALWAYS AS IDENTITY,
    utc_day             date        NOT NULL,
    marked_at           timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, mark_id)
);
