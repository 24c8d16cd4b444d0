-- Guard checks counted per control (issue 7, policy usage). The guard counts in memory and
-- every few seconds adds its counts here with one batched upsert; replicas share the table,
-- so an upsert always adds to a row, never overwrites it.
--
-- One row per (tenant, UTC hour, control, the checked call's model, provider, feature and
-- environment): the dimensions the usage read filters on. control_id is a control the check
-- applied to (its scope matched, whatever the outcome), or the nil UUID for the row counting
-- every check of that hour and scope, matched by a control or not. Dry runs are not counted.
CREATE TABLE guard_check_counts_hourly (
    tenant_id   uuid        NOT NULL REFERENCES tenants,
    hour        timestamptz NOT NULL,
    control_id  uuid        NOT NULL,
    model       text        NOT NULL,
    provider    text        NOT NULL,
    feature     text        NOT NULL,
    environment text        NOT NULL,
    checks      bigint      NOT NULL CHECK (checks >= 0),
    PRIMARY KEY (tenant_id, hour, control_id, model, provider, feature, environment)
);

-- When counting began: checks before this instant were never counted, so a usage window
-- reaching back before it (and before the tenant existed) does not claim complete checks.
CREATE TABLE guard_check_counting (
    only_row   boolean     PRIMARY KEY DEFAULT TRUE CHECK (only_row),
    started_at timestamptz NOT NULL
);
INSERT INTO guard_check_counting (started_at) VALUES (now());
