-- Runs, their immutable records, traces, hourly rollups and system records.
--
-- A run lives in `runs` while it is RUNNING. Its completion (by the caller, or TIMED_OUT by
-- the reaper) writes one immutable `llm_run_records` row, adds it to `run_rollups_hourly`
-- and removes the `runs` row, all in one transaction. So `runs` is the live set and
-- `llm_run_records` the history; a run is in exactly one of them (a start that arrives after
-- its completion is ignored).

CREATE TABLE runs (
    tenant_id           uuid        NOT NULL REFERENCES tenants,
    run_id              text        NOT NULL,
    model               text        NOT NULL DEFAULT '',
    provider            text        NOT NULL DEFAULT '',
    feature             text        NOT NULL DEFAULT '',
    end_user            text        NOT NULL DEFAULT '',
    integration_id      text        NOT NULL DEFAULT '',
    environment         text        NOT NULL DEFAULT 'default',
    start_time          timestamptz NOT NULL,
    metadata            jsonb       NOT NULL DEFAULT '{}',
    reservation_id      text        NOT NULL DEFAULT '',
    api_key_id          uuid,
    received_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, run_id)
);
CREATE INDEX runs_by_start ON runs (tenant_id, start_time DESC, run_id DESC);
-- The reaper looks across tenants for runs past their timeout.
CREATE INDEX runs_stale ON runs (start_time);

CREATE TABLE llm_run_records (
    tenant_id           uuid        NOT NULL REFERENCES tenants,
    record_id           uuid        NOT NULL,
    run_id              text        NOT NULL,
    model               text        NOT NULL,
    provider            text        NOT NULL DEFAULT '',
    feature             text        NOT NULL DEFAULT '',
    end_user            text        NOT NULL DEFAULT '',
    integration_id      text        NOT NULL DEFAULT '',
    environment         text        NOT NULL DEFAULT 'default',
    status              text        NOT NULL CHECK (status IN ('SUCCEEDED', 'FAILED', 'BLOCKED', 'CANCELLED', 'TIMED_OUT')),
    start_time          timestamptz NOT NULL,
    end_time            timestamptz NOT NULL,
    input_tokens        bigint      NOT NULL DEFAULT 0 CHECK (input_tokens >= 0),
    output_tokens       bigint      NOT NULL DEFAULT 0 CHECK (output_tokens >= 0),
    cached_input_tokens bigint      NOT NULL DEFAULT 0 CHECK (cached_input_tokens >= 0),
    cache_write_tokens  bigint      NOT NULL DEFAULT 0 CHECK (cache_write_tokens >= 0),
    reasoning_tokens    bigint      NOT NULL DEFAULT 0 CHECK (reasoning_tokens >= 0),
    cost_micros         bigint      NOT NULL DEFAULT 0 CHECK (cost_micros >= 0),
    cost_source         text        NOT NULL,
    cost_unknown        boolean     NOT NULL DEFAULT false,
    latency_ms          bigint      NOT NULL DEFAULT 0 CHECK (latency_ms >= 0),
    error               text        NOT NULL DEFAULT '',
    metadata            jsonb       NOT NULL DEFAULT '{}',
    reservation_id      text        NOT NULL DEFAULT '',
    api_key_id          uuid,
    received_at         timestamptz NOT NULL,
    recorded_at         timestamptz NOT NULL DEFAULT now(),
    -- SHA-256 of the completion as the caller sent it: a retry with the same content is a
    -- duplicate, a different one contradicts the record and is refused.
    content_hash        bytea       NOT NULL,
    PRIMARY KEY (tenant_id, record_id)
);
CREATE UNIQUE INDEX llm_run_records_run ON llm_run_records (tenant_id, run_id);
CREATE INDEX llm_run_records_newest ON llm_run_records (tenant_id, end_time DESC, run_id DESC);

CREATE TRIGGER trg_llm_run_records_immutable
    BEFORE UPDATE OR DELETE ON llm_run_records
    FOR EACH ROW EXECUTE FUNCTION reject_mutation();
CREATE TRIGGER trg_llm_run_records_no_truncate
    BEFORE TRUNCATE ON llm_run_records
    FOR EACH STATEMENT EXECUTE FUNCTION reject_mutation();

-- One trace per run; its steps are keyed by their index so a retried append is a no-op.
CREATE TABLE aos_traces (
    tenant_id           uuid        NOT NULL REFERENCES tenants,
    run_id              text        NOT NULL,
    step_count          integer     NOT NULL DEFAULT 0,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, run_id)
);

CREATE TABLE aos_trace_steps (
    tenant_id           uuid        NOT NULL,
    run_id              text        NOT NULL,
    step_index          integer     NOT NULL CHECK (step_index >= 0),
    kind                text        NOT NULL,
    name                text        NOT NULL DEFAULT '',
    parent_step_index   integer,
    status              text        NOT NULL DEFAULT 'SUCCEEDED',
    start_time          timestamptz,
    end_time            timestamptz,
    latency_ms          bigint      NOT NULL DEFAULT 0,
    model               text        NOT NULL DEFAULT '',
    provider            text        NOT NULL DEFAULT '',
    input_tokens        bigint      NOT NULL DEFAULT 0,
    output_tokens       bigint      NOT NULL DEFAULT 0,
    cost_micros         bigint,
    error               text        NOT NULL DEFAULT '',
    input_summary       text        NOT NULL DEFAULT '',
    output_summary      text        NOT NULL DEFAULT '',
    attributes          jsonb       NOT NULL DEFAULT '{}',
    PRIMARY KEY (tenant_id, run_id, step_index),
    FOREIGN KEY (tenant_id, run_id) REFERENCES aos_traces (tenant_id, run_id)
);

-- Hourly totals of finished runs: every console aggregate reads these, never raw runs.
-- latency_histogram counts runs per bucket (17 buckets); bucket i holds latencies at or
-- above bound i-1 and below bound i, with bounds (ms) 50, 100, 200, 300, 500, 750, 1000,
-- 1500, 2000, 3000, 5000, 7500, 10000, 15000, 30000, 60000, and the last bucket everything
-- from 60000 up (see activity.LatencyHistogram).
CREATE TABLE run_rollups_hourly (
    tenant_id           uuid        NOT NULL REFERENCES tenants,
    hour                timestamptz NOT NULL,
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
    PRIMARY KEY (tenant_id, hour, model, provider, feature, environment, status)
);

-- The 17-bucket histogram of a set of latencies (bounds above).
CREATE FUNCTION latency_histogram(latencies bigint[]) RETURNS bigint[] AS $$
    SELECT array_agg(coalesce(counted.n, 0) ORDER BY bucket.i)
    FROM generate_series(0, 16) AS bucket(i)
    LEFT JOIN (
        SELECT width_bucket(l, ARRAY[50, 100, 200, 300, 500, 750, 1000, 1500, 2000, 3000, 5000,
                                     7500, 10000, 15000, 30000, 60000]::bigint[]) AS i,
               count(*) AS n
        FROM unnest(latencies) AS l
        GROUP BY 1
    ) AS counted ON counted.i = bucket.i
$$ LANGUAGE sql IMMUTABLE;

-- Element-wise sum of two histograms.
CREATE FUNCTION add_histograms(a bigint[], b bigint[]) RETURNS bigint[] AS $$
    SELECT array_agg(x + y ORDER BY i) FROM unnest(a, b) WITH ORDINALITY AS h(x, y, i)
$$ LANGUAGE sql IMMUTABLE;

-- Events of the server's own workers. Events about no tenant in particular (a job's run)
-- carry the nil tenant id and are shown to every tenant; nothing tenant-specific is in them.
CREATE TABLE system_records (
    tenant_id           uuid        NOT NULL,
    record_id           uuid        NOT NULL,
    occurred_at         timestamptz NOT NULL DEFAULT now(),
    level               text        NOT NULL CHECK (level IN ('DEBUG', 'INFO', 'WARN', 'ERROR')),
    component           text        NOT NULL,
    event               text        NOT NULL,
    message             text        NOT NULL DEFAULT '',
    details             jsonb       NOT NULL DEFAULT '{}',
    instance            text        NOT NULL DEFAULT '',
    request_id          text        NOT NULL DEFAULT '',
    PRIMARY KEY (tenant_id, record_id)
);
CREATE INDEX system_records_newest ON system_records (tenant_id, occurred_at DESC, record_id DESC);

CREATE TRIGGER trg_system_records_immutable
    BEFORE UPDATE OR DELETE ON system_records
    FOR EACH ROW EXECUTE FUNCTION reject_mutation();
CREATE TRIGGER trg_system_records_no_truncate
    BEFORE TRUNCATE ON system_records
    FOR EACH STATEMENT EXECUTE FUNCTION reject_mutation();
