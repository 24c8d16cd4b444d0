-- Risk signals (inventory 2.3): written by the signal detection job, read by the activity
-- API, the incident engine (which opens incidents from signals of severity HIGH or above)
-- and the overview's pulse. Created ahead of both so they share one definition.
--
-- A signal is identified by what it watches: (tenant, type, dimension, key, limit). While it
-- is OPEN, a new detection updates value/baseline/severity/last_seen_at of the same row; once
-- CLEARED, a new detection opens a new row.

CREATE TABLE risk_signals (
    tenant_id       uuid        NOT NULL REFERENCES tenants,
    signal_id       uuid        NOT NULL,
    signal_type     text        NOT NULL CHECK (signal_type IN ('ERROR_RATE_SPIKE', 'COST_SPIKE',
                                'LATENCY_DEGRADATION', 'BUDGET_BURN')),
    -- MODEL, PROVIDER or FEATURE; '' with an empty key means the whole tenant.
    dimension       text        NOT NULL DEFAULT '' CHECK (dimension IN ('', 'MODEL', 'PROVIDER', 'FEATURE')),
    dimension_key   text        NOT NULL DEFAULT '',
    -- For BUDGET_BURN: the limit concerned; NULL otherwise.
    limit_id        uuid,
    value           double precision NOT NULL,
    baseline        double precision NOT NULL,
    unit            text        NOT NULL,
    severity        text        NOT NULL CHECK (severity IN ('LOW', 'MEDIUM', 'HIGH', 'CRITICAL')),
    state           text        NOT NULL CHECK (state IN ('OPEN', 'CLEARED')),
    first_seen_at   timestamptz NOT NULL,
    last_seen_at    timestamptz NOT NULL,
    cleared_at      timestamptz,
    message         text        NOT NULL DEFAULT '',
    -- Set by the incident engine when the signal opened or joined an incident.
    incident_id     uuid,
    PRIMARY KEY (tenant_id, signal_id)
);
-- At most one OPEN signal per watched thing.
CREATE UNIQUE INDEX risk_signals_one_open ON risk_signals
    (tenant_id, signal_type, dimension, dimension_key, coalesce(limit_id, '00000000-0000-0000-0000-000000000000'::uuid))
    WHERE state = 'OPEN';
CREATE INDEX risk_signals_newest ON risk_signals (tenant_id, last_seen_at DESC, signal_id DESC);
-- The incident engine's scan: signals of HIGH or above not yet attached to an incident.
CREATE INDEX risk_signals_unlinked ON risk_signals (tenant_id, last_seen_at)
    WHERE incident_id IS NULL AND severity IN ('HIGH', 'CRITICAL');
