-- Controls (rules and limits), their violations, and the guard's budget ledger.
--
-- Rules and limits are cached by every replica's guard; their triggers notify
-- 'policies:<tenant id>' on commit so each replica reloads that tenant's controls.

CREATE TABLE policy_rules (
    tenant_id               uuid        NOT NULL REFERENCES tenants,
    rule_id                 uuid        NOT NULL,
    name                    text        NOT NULL,
    description             text        NOT NULL DEFAULT '',
    rule_type               text        NOT NULL CHECK (rule_type IN ('MODEL_ALLOW_LIST', 'MODEL_DENY_LIST',
                                        'MAX_TOKENS_PER_RUN', 'REQUIRED_METADATA', 'PROVIDER_ALLOW_LIST',
                                        'ETHICAL_CONSTRAINT')),
    enforcement             text        NOT NULL DEFAULT 'ENFORCED' CHECK (enforcement IN ('ENFORCED', 'ADVISORY')),
    -- The scope: '' means "any".
    scope_feature           text        NOT NULL DEFAULT '',
    scope_model             text        NOT NULL DEFAULT '',
    scope_end_user          text        NOT NULL DEFAULT '',
    scope_api_key_id        text        NOT NULL DEFAULT '',
    scope_provider          text        NOT NULL DEFAULT '',
    scope_environment       text        NOT NULL DEFAULT '',
    action                  text        NOT NULL CHECK (action IN ('BLOCK', 'WARN', 'LOG')),
    status                  text        NOT NULL CHECK (status IN ('ACTIVE', 'DRAFT', 'DISABLED')),
    source                  text        NOT NULL CHECK (source IN ('MANUAL', 'TEMPLATE', 'PROPOSAL')),
    source_ref_id           text        NOT NULL DEFAULT '',
    version                 bigint      NOT NULL DEFAULT 1,
    -- Parameters, by type (see PolicyRule in policies.proto).
    models                  text[]      NOT NULL DEFAULT '{}',
    providers               text[]      NOT NULL DEFAULT '{}',
    max_tokens              bigint      NOT NULL DEFAULT 0 CHECK (max_tokens >= 0),
    required_keys           text[]      NOT NULL DEFAULT '{}',
    ethical_constraint_id   text        NOT NULL DEFAULT '',
    required_metadata       jsonb       NOT NULL DEFAULT '{}',
    created_at              timestamptz NOT NULL,
    updated_at              timestamptz NOT NULL,
    created_by              jsonb       NOT NULL DEFAULT '{}',
    updated_by              jsonb       NOT NULL DEFAULT '{}',
    PRIMARY KEY (tenant_id, rule_id)
);
CREATE INDEX policy_rules_newest ON policy_rules (tenant_id, created_at DESC, rule_id DESC);

CREATE TABLE policy_limits (
    tenant_id               uuid        NOT NULL REFERENCES tenants,
    limit_id                uuid        NOT NULL,
    name                    text        NOT NULL,
    description             text        NOT NULL DEFAULT '',
    limit_kind              text        NOT NULL CHECK (limit_kind IN ('SPEND_PER_DAY', 'SPEND_PER_MONTH',
                                        'TOKENS_PER_DAY', 'REQUESTS_PER_MINUTE', 'CONCURRENT_RUNS')),
    amount                  bigint      NOT NULL CHECK (amount > 0),
    warn_at_ratio           double precision NOT NULL DEFAULT 0 CHECK (warn_at_ratio >= 0 AND warn_at_ratio < 1),
    scope_feature           text        NOT NULL DEFAULT '',
    scope_model             text        NOT NULL DEFAULT '',
    scope_end_user          text        NOT NULL DEFAULT '',
    scope_api_key_id        text        NOT NULL DEFAULT '',
    scope_provider          text        NOT NULL DEFAULT '',
    scope_environment       text        NOT NULL DEFAULT '',
    action                  text        NOT NULL CHECK (action IN ('BLOCK', 'WARN', 'LOG')),
    status                  text        NOT NULL CHECK (status IN ('ACTIVE', 'DRAFT', 'DISABLED')),
    source                  text        NOT NULL CHECK (source IN ('MANUAL', 'TEMPLATE', 'PROPOSAL')),
    source_ref_id           text        NOT NULL DEFAULT '',
    version                 bigint      NOT NULL DEFAULT 1,
    created_at              timestamptz NOT NULL,
    updated_at              timestamptz NOT NULL,
    created_by              jsonb       NOT NULL DEFAULT '{}',
    updated_by              jsonb       NOT NULL DEFAULT '{}',
    PRIMARY KEY (tenant_id, limit_id)
);
CREATE INDEX policy_limits_newest ON policy_limits (tenant_id, created_at DESC, limit_id DESC);

CREATE FUNCTION notify_policy_change() RETURNS trigger AS $$
DECLARE
    t uuid;
BEGIN
    IF TG_OP = 'DELETE' THEN t := OLD.tenant_id; ELSE t := NEW.tenant_id; END IF;
    PERFORM pg_notify('govcon_changes', 'policies:' || t);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER trg_policy_rules_notify
    AFTER INSERT OR UPDATE OR DELETE ON policy_rules
    FOR EACH ROW EXECUTE FUNCTION notify_policy_change();
CREATE TRIGGER trg_policy_limits_notify
    AFTER INSERT OR UPDATE OR DELETE ON policy_limits
    FOR EACH ROW EXECUTE FUNCTION notify_policy_change();

-- Every WARN/DENY (and LOG match) of a guard check, and every completed run that crossed a
-- limit after the fact. Written in batches off the check's latency path. Append-only.
CREATE TABLE limit_violations (
    tenant_id               uuid        NOT NULL REFERENCES tenants,
    violation_id            uuid        NOT NULL,
    control_kind            text        NOT NULL CHECK (control_kind IN ('RULE', 'LIMIT')),
    control_id              uuid        NOT NULL,
    control_name            text        NOT NULL DEFAULT '',
    -- The rule type or limit kind.
    control_type            text        NOT NULL,
    action                  text        NOT NULL CHECK (action IN ('BLOCK', 'WARN', 'LOG')),
    origin                  text        NOT NULL CHECK (origin IN ('GUARD_CHECK', 'RUN_COMPLETION')),
    feature                 text        NOT NULL DEFAULT '',
    model                   text        NOT NULL DEFAULT '',
    end_user                text        NOT NULL DEFAULT '',
    api_key_id              text        NOT NULL DEFAULT '',
    provider                text        NOT NULL DEFAULT '',
    environment             text        NOT NULL DEFAULT '',
    occurred_at             timestamptz NOT NULL,
    run_id                  text        NOT NULL DEFAULT '',
    reservation_id          text        NOT NULL DEFAULT '',
    message                 text        NOT NULL DEFAULT '',
    observed_value          bigint      NOT NULL DEFAULT 0,
    limit_amount            bigint      NOT NULL DEFAULT 0,
    cost_micros             bigint      NOT NULL DEFAULT 0,
    incident_id             text        NOT NULL DEFAULT '',
    metadata                jsonb       NOT NULL DEFAULT '{}',
    PRIMARY KEY (tenant_id, violation_id)
);
CREATE INDEX limit_violations_newest ON limit_violations (tenant_id, occurred_at DESC, violation_id DESC);
CREATE INDEX limit_violations_control ON limit_violations (tenant_id, control_id, occurred_at DESC);

-- ---------------------------------------------------------------------------------------
-- The budget ledger (see dev.govcon.server.guard.BudgetLedger for the design).
--
-- For each limit and window: `committed` is what completed runs used; `leased` is the sum
-- of the slices replicas hold (each replica admits reservations from its slices in memory).
-- A slice is granted only while committed + leased + slice <= amount, under the window
-- row's lock, so the reservations all replicas admit never exceed the limit together.
-- ---------------------------------------------------------------------------------------

-- A running server; its leases are reclaimed when its heartbeat stops.
CREATE TABLE guard_replicas (
    replica_id              uuid        PRIMARY KEY,
    started_at              timestamptz NOT NULL,
    heartbeat_at            timestamptz NOT NULL
);

CREATE TABLE guard_windows (
    tenant_id               uuid        NOT NULL REFERENCES tenants,
    limit_id                uuid        NOT NULL,
    -- Start of the day / month / minute in the tenant's time zone; the epoch for
    -- CONCURRENT_RUNS, which has no window.
    window_start            timestamptz NOT NULL,
    window_end              timestamptz NOT NULL,
    committed               bigint      NOT NULL DEFAULT 0,
    leased                  bigint      NOT NULL DEFAULT 0 CHECK (leased >= 0),
    PRIMARY KEY (tenant_id, limit_id, window_start)
);

CREATE TABLE guard_leases (
    tenant_id               uuid        NOT NULL,
    limit_id                uuid        NOT NULL,
    window_start            timestamptz NOT NULL,
    replica_id              uuid        NOT NULL,
    leased                  bigint      NOT NULL CHECK (leased >= 0),
    PRIMARY KEY (tenant_id, limit_id, window_start, replica_id),
    FOREIGN KEY (tenant_id, limit_id, window_start) REFERENCES guard_windows
);
CREATE INDEX guard_leases_replica ON guard_leases (replica_id);

-- Grants up to `wanted` (at least `needed`, else nothing) to a replica, atomically against
-- every other replica. Returns the grant and the window's state after it.
CREATE FUNCTION guard_lease(p_tenant uuid, p_limit uuid, p_start timestamptz, p_end timestamptz,
                            p_replica uuid, p_amount bigint, p_needed bigint, p_wanted bigint,
                            OUT granted bigint, OUT committed bigint, OUT leased bigint) AS $$
DECLARE
    w guard_windows;
    free bigint;
BEGIN
    INSERT INTO guard_windows (tenant_id, limit_id, window_start, window_end)
    VALUES (p_tenant, p_limit, p_start, p_end)
    ON CONFLICT DO NOTHING;
    SELECT * INTO w FROM guard_windows
     WHERE tenant_id = p_tenant AND limit_id = p_limit AND window_start = p_start
       FOR UPDATE;
    free := p_amount - w.committed - w.leased;
    IF free >= p_needed AND p_needed >= 0 THEN
        granted := greatest(p_needed, least(p_wanted, free));
    ELSE
        granted := 0;
    END IF;
    IF granted > 0 THEN
        UPDATE guard_windows SET leased = guard_windows.leased + granted
         WHERE tenant_id = p_tenant AND limit_id = p_limit AND window_start = p_start;
        INSERT INTO guard_leases (tenant_id, limit_id, window_start, replica_id, leased)
        VALUES (p_tenant, p_limit, p_start, p_replica, granted)
        ON CONFLICT (tenant_id, limit_id, window_start, replica_id)
        DO UPDATE SET leased = guard_leases.leased + EXCLUDED.leased;
    END IF;
    committed := w.committed;
    leased := w.leased + granted;
END;
$$ LANGUAGE plpgsql;

-- Gives back part of a replica's slice (a settled or expired reservation, or unused room);
-- never more than the replica holds. Locks the window row first, as guard_lease does.
CREATE FUNCTION guard_release(p_tenant uuid, p_limit uuid, p_start timestamptz,
                              p_replica uuid, p_amount bigint) RETURNS bigint AS $$
DECLARE
    held bigint;
    given bigint;
BEGIN
    PERFORM 1 FROM guard_windows
      WHERE tenant_id = p_tenant AND limit_id = p_limit AND window_start = p_start
        FOR UPDATE;
    SELECT l.leased INTO held FROM guard_leases l
     WHERE l.tenant_id = p_tenant AND l.limit_id = p_limit AND l.window_start = p_start
       AND l.replica_id = p_replica;
    IF held IS NULL OR p_amount <= 0 THEN
        RETURN 0;
    END IF;
    given := least(held, p_amount);
    UPDATE guard_leases SET leased = held - given
     WHERE tenant_id = p_tenant AND limit_id = p_limit AND window_start = p_start
       AND replica_id = p_replica;
    UPDATE guard_windows SET leased = leased - given
     WHERE tenant_id = p_tenant AND limit_id = p_limit AND window_start = p_start;
    RETURN given;
END;
$$ LANGUAGE plpgsql;

-- Returns every slice a replica holds and forgets the replica: on a clean shutdown, and for
-- a crashed server once its heartbeat has stopped (its reservations died with it).
CREATE FUNCTION guard_reclaim_replica(p_replica uuid) RETURNS integer AS $$
DECLARE
    l guard_leases;
    n integer := 0;
BEGIN
    FOR l IN SELECT * FROM guard_leases WHERE replica_id = p_replica
             ORDER BY tenant_id, limit_id, window_start LOOP
        PERFORM guard_release(l.tenant_id, l.limit_id, l.window_start, p_replica, l.leased);
        n := n + 1;
    END LOOP;
    DELETE FROM guard_leases WHERE replica_id = p_replica;
    DELETE FROM guard_replicas WHERE replica_id = p_replica;
    RETURN n;
END;
$$ LANGUAGE plpgsql;

-- Reclaims every replica whose heartbeat stopped before p_before; returns how many.
CREATE FUNCTION guard_reclaim(p_before timestamptz) RETURNS integer AS $$
DECLARE
    dead uuid;
    n integer := 0;
BEGIN
    FOR dead IN SELECT replica_id FROM guard_replicas WHERE heartbeat_at < p_before LOOP
        PERFORM guard_reclaim_replica(dead);
        n := n + 1;
    END LOOP;
    RETURN n;
END;
$$ LANGUAGE plpgsql;
