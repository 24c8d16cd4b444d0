-- Analytics (issue 7): the per-feature productivity settings, and an index for the
-- effectiveness read of control changes in the audit ledger.
--
-- Every analytics figure of runs is read from run_rollups_hourly (V2); nothing here copies it.

-- How much of a person's time one successful run of a feature saves. Per tenant and feature;
-- a feature without a row has no setting (its runs are listed, never guessed).
CREATE TABLE productivity_settings (
    tenant_id           uuid        NOT NULL REFERENCES tenants,
    feature             text        NOT NULL,
    time_saved_seconds  bigint      NOT NULL CHECK (time_saved_seconds > 0 AND time_saved_seconds <= 86400),
    rationale           text        NOT NULL DEFAULT '',
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    updated_by          jsonb       NOT NULL DEFAULT '{}',
    PRIMARY KEY (tenant_id, feature)
);

-- Policy effectiveness counts each control's relaxations from its audit entries.
CREATE INDEX audit_ledger_resource ON audit_ledger (tenant_id, resource_type, resource_id, seq);
