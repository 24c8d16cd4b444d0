-- Background jobs of the server (dev.govcon.server.jobs): their state, their run history, and
-- the daily rollups one of them maintains.
--
-- `jobs` and `job_runs` are SERVER-WIDE, not tenant-owned: a job works for the whole
-- deployment (the reaper times out every tenant's stale runs), so these tables have no
-- tenant_id. They are tiny (one row per job, a week of runs) and stay on the coordinator
-- (a Citus reference/local table), never distributed. Their events go to system_records
-- under the nil tenant id.

CREATE TABLE jobs (
    job_name             text        PRIMARY KEY,
    description          text        NOT NULL DEFAULT '',
    -- How often the job is due, cluster-wide ("run_interval": INTERVAL is a keyword).
    run_interval         interval    NOT NULL CHECK (run_interval > interval '0'),
    -- An operator may turn a job off here; the server does not overwrite it on start.
    enabled              boolean     NOT NULL DEFAULT true,
    registered_at        timestamptz NOT NULL,
    first_started_at     timestamptz,
    last_started_at      timestamptz,
    last_finished_at     timestamptz,
    last_outcome         text        CHECK (last_outcome IN ('RUNNING', 'SUCCEEDED', 'FAILED')),
    last_error           text        NOT NULL DEFAULT '',
    last_success_at      timestamptz,
    last_items           bigint      NOT NULL DEFAULT 0,
    last_instance        text        NOT NULL DEFAULT '',
    consecutive_failures integer     NOT NULL DEFAULT 0 CHECK (consecutive_failures >= 0),
    -- Set when the job becomes UNHEALTHY (see JobsReads for the rules), cleared on success.
    unhealthy_since      timestamptz
);

-- One row per attempt. A SKIPPED row is a replica that found the job's advisory lock held by
-- another replica and did not run it. A RUNNING row whose replica died is marked FAILED by
-- the next run of the job (which holds the lock, so nothing else can be running it).
CREATE TABLE job_runs (
    job_name             text        NOT NULL,
    run_id               uuid        NOT NULL,
    started_at           timestamptz NOT NULL,
    finished_at          timestamptz,
    outcome              text        NOT NULL CHECK (outcome IN ('RUNNING', 'SUCCEEDED', 'FAILED', 'SKIPPED')),
    error                text        NOT NULL DEFAULT '',
    items                bigint      NOT NULL DEFAULT 0,
    instance             text        NOT NULL DEFAULT '',
    PRIMARY KEY (job_name, run_id)
);
CREATE INDEX job_runs_newest ON job_runs (job_name, started_at DESC);

-- Daily totals of finished runs, folded from run_rollups_hourly by the rollup-daily job:
-- the same columns and key, with the UTC day instead of the hour. A day is only written once
-- it has closed (UTC midnight passed), and re-written while late runs may still change it.
CREATE TABLE run_rollups_daily (
    tenant_id           uuid        NOT NULL REFERENCES tenants,
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
    PRIMARY KEY (tenant_id, day, model, provider, feature, environment, status)
);

-- Element-wise sum of latency histograms (arrays of bucket counts). Arrays of different
-- lengths are summed as if the shorter were padded with zeros; NULL is the empty histogram.
CREATE FUNCTION sum_histograms_agg_step(a bigint[], b bigint[]) RETURNS bigint[] AS $$
    SELECT CASE
        WHEN a IS NULL THEN b
        WHEN b IS NULL THEN a
        ELSE ARRAY(SELECT coalesce(a[i], 0) + coalesce(b[i], 0)
                   FROM generate_series(1, greatest(cardinality(a), cardinality(b))) AS i
                   ORDER BY i)
    END
$$ LANGUAGE sql IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE sum_histograms_agg(bigint[]) (
    SFUNC = sum_histograms_agg_step,
    STYPE = bigint[],
    COMBINEFUNC = sum_histograms_agg_step,
    PARALLEL = SAFE
);
