-- Predictions and anomalies (inventory 2.3), written by the signals-detect job from the hourly
-- rollups. Risk signals live in risk_signals (V7).

-- Every prediction made, kept with the time it was made: the latest per subject is what the
-- console shows; the history, once actual_micros is filled in after target_time, measures
-- accuracy. A subject is (kind, limit_id); month-end spend has no limit.
CREATE TABLE predictions (
    tenant_id           uuid        NOT NULL REFERENCES tenants,
    prediction_id       uuid        NOT NULL,
    kind                text        NOT NULL CHECK (kind IN ('LIMIT_EXHAUSTION', 'MONTH_END_SPEND')),
    limit_id            uuid,
    limit_name          text        NOT NULL DEFAULT '',
    made_at             timestamptz NOT NULL,
    -- The window the prediction is about: [window_start, target_time).
    window_start        timestamptz NOT NULL,
    target_time         timestamptz NOT NULL,
    exhaustion_time     timestamptz,
    predicted_micros    bigint      NOT NULL,
    lower_micros        bigint      NOT NULL,
    upper_micros        bigint      NOT NULL,
    confidence          double precision NOT NULL,
    current_micros      bigint      NOT NULL,
    limit_micros        bigint      NOT NULL DEFAULT 0,
    method              text        NOT NULL,
    -- The limit's scope as the rollups can follow it ('' = any), so the actual can be summed.
    scope_feature       text        NOT NULL DEFAULT '',
    scope_model         text        NOT NULL DEFAULT '',
    scope_provider      text        NOT NULL DEFAULT '',
    scope_environment   text        NOT NULL DEFAULT '',
    actual_micros       bigint,
    PRIMARY KEY (tenant_id, prediction_id)
);
CREATE INDEX predictions_newest ON predictions (tenant_id, made_at DESC, prediction_id DESC);
CREATE INDEX predictions_by_subject ON predictions (tenant_id, kind, limit_id, made_at DESC);
CREATE INDEX predictions_awaiting_actual ON predictions (tenant_id, target_time) WHERE actual_micros IS NULL;

-- One anomalous hour of one metric for one dimension value; the id is derived from what it
-- identifies, so re-detection updates the same row.
CREATE TABLE anomalies (
    tenant_id       uuid        NOT NULL REFERENCES tenants,
    anomaly_id      uuid        NOT NULL,
    metric          text        NOT NULL CHECK (metric IN ('COST', 'TOKENS', 'ERRORS')),
    dimension       text        NOT NULL DEFAULT '' CHECK (dimension IN ('', 'MODEL', 'PROVIDER', 'FEATURE')),
    dimension_key   text        NOT NULL DEFAULT '',
    hour_start      timestamptz NOT NULL,
    observed        double precision NOT NULL,
    expected        double precision NOT NULL,
    mad             double precision NOT NULL,
    score           double precision NOT NULL,
    severity        text        NOT NULL CHECK (severity IN ('LOW', 'MEDIUM', 'HIGH', 'CRITICAL')),
    baseline_days   integer     NOT NULL,
    detected_at     timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, anomaly_id)
);
CREATE UNIQUE INDEX anomalies_one_per_hour ON anomalies (tenant_id, metric, dimension, dimension_key, hour_start);
CREATE INDEX anomalies_newest ON anomalies (tenant_id, hour_start DESC, anomaly_id DESC);
