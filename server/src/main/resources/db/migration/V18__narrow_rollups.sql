-- Narrow rollups: the run rollups keyed by model, provider and status only, for reads that need
-- no feature or environment breakdown or filter (cost summary, by model, trend, highlights).
-- The wide tables hold one row per (model, provider, feature, environment, status) present in
-- an hour or day, a number that grows with volume (~220 an hour at 10M runs a month); these
-- hold at most one per (model, provider, status), whatever the volume.
--
-- Written only by the rollup-daily job (jobs/DailyRollupJob), in the tenant's transaction that
-- folds the wide rows, and derived from the wide rows at that moment; ingestion never writes
-- them. Measures are those the reads sum (no latency maximum or histogram).

-- UTC hours, for every hour before rollup_daily_state.models_hourly_until.
CREATE TABLE run_rollups_hourly_models (
    tenant_id           uuid        NOT NULL REFERENCES tenants,
    hour                timestamptz NOT NULL,
    model               text        NOT NULL,
    provider            text        NOT NULL,
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
    retries             bigint      NOT NULL,
    PRIMARY KEY (tenant_id, hour, model, provider, status)
);

-- Local days, exactly the days run_rollups_daily holds (same zone, same days, same refolds).
CREATE TABLE run_rollups_daily_models (
    tenant_id           uuid        NOT NULL REFERENCES tenants,
    day                 date        NOT NULL,
    model               text        NOT NULL,
    provider            text        NOT NULL,
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
    retries             bigint      NOT NULL,
    PRIMARY KEY (tenant_id, day, model, provider, status)
);

-- The first UTC hour not folded into run_rollups_hourly_models. NULL: the tenant's narrow rows
-- are not built (before the job's first run after this migration); reads then use the wide
-- tables only, and the job builds both narrow tables from the wide ones in one transaction.
ALTER TABLE rollup_daily_state ADD COLUMN models_hourly_until timestamptz;
