-- Tenancy, access and the audit ledger: what every domain stands on.
-- Rule: every tenant-owned table has tenant_id first in its primary key, so each tenant's
-- rows can live on one shard (Citus, distributed by tenant_id).

CREATE TABLE tenants (
    tenant_id       uuid        PRIMARY KEY,
    name            text        NOT NULL,
    display_name    text        NOT NULL DEFAULT '',
    time_zone       text        NOT NULL DEFAULT 'UTC',
    billing_email   text        NOT NULL DEFAULT '',
    security_email  text        NOT NULL DEFAULT '',
    website         text        NOT NULL DEFAULT '',
    country         text        NOT NULL DEFAULT '',
    plan_id         text        NOT NULL DEFAULT 'free',
    is_demo         boolean     NOT NULL DEFAULT false,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
-- There is at most one demo tenant (created by --demo, once).
CREATE UNIQUE INDEX tenants_single_demo ON tenants ((is_demo)) WHERE is_demo;

CREATE TABLE tenant_users (
    tenant_id       uuid        NOT NULL REFERENCES tenants,
    user_id         uuid        NOT NULL,
    email           text        NOT NULL,
    display_name    text        NOT NULL DEFAULT '',
    role            text        NOT NULL CHECK (role IN ('OWNER', 'ADMIN', 'MEMBER', 'VIEWER')),
    joined_at       timestamptz NOT NULL DEFAULT now(),
    removed_at      timestamptz,
    PRIMARY KEY (tenant_id, user_id)
);
CREATE UNIQUE INDEX tenant_users_active_email
    ON tenant_users (tenant_id, lower(email)) WHERE removed_at IS NULL;

CREATE TABLE api_keys (
    tenant_id           uuid        NOT NULL REFERENCES tenants,
    key_id              uuid        NOT NULL,
    name                text        NOT NULL,
    -- The non-secret start of the key, shown to recognise it; with tenant_id it finds the row.
    prefix              text        NOT NULL,
    -- SHA-256 of the whole secret. The secret itself is never stored.
    key_hash            bytea       NOT NULL,
    role                text        NOT NULL CHECK (role IN ('OWNER', 'ADMIN', 'MEMBER', 'VIEWER', 'INGEST')),
    user_id             uuid,
    created_at          timestamptz NOT NULL DEFAULT now(),
    last_used_at        timestamptz,
    expires_at          timestamptz,
    revoked_at          timestamptz,
    rotated_from_key_id uuid,
    PRIMARY KEY (tenant_id, key_id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES tenant_users (tenant_id, user_id)
);
CREATE UNIQUE INDEX api_keys_prefix ON api_keys (tenant_id, prefix);
CREATE INDEX api_keys_newest ON api_keys (tenant_id, created_at DESC, key_id DESC);

-- Every replica caches keys; these tell them (on commit) which entry to drop.
CREATE FUNCTION notify_api_key_change() RETURNS trigger AS $$
DECLARE
    r api_keys;
BEGIN
    IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
    PERFORM pg_notify('govcon_changes', 'api_keys:' || r.tenant_id || ':' || r.prefix);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER trg_api_keys_notify_insert_delete
    AFTER INSERT OR DELETE ON api_keys
    FOR EACH ROW EXECUTE FUNCTION notify_api_key_change();

-- last_used_at is written in batches and must not flush every cache, so only changes that
-- matter to authentication notify.
CREATE TRIGGER trg_api_keys_notify_update
    AFTER UPDATE ON api_keys
    FOR EACH ROW
    WHEN (OLD.revoked_at IS DISTINCT FROM NEW.revoked_at
       OR OLD.expires_at IS DISTINCT FROM NEW.expires_at
       OR OLD.role IS DISTINCT FROM NEW.role
       OR OLD.user_id IS DISTINCT FROM NEW.user_id
       OR OLD.key_hash IS DISTINCT FROM NEW.key_hash)
    EXECUTE FUNCTION notify_api_key_change();

CREATE TABLE invitations (
    tenant_id           uuid        NOT NULL REFERENCES tenants,
    invitation_id       uuid        NOT NULL,
    email               text        NOT NULL,
    display_name        text        NOT NULL DEFAULT '',
    role                text        NOT NULL CHECK (role IN ('OWNER', 'ADMIN', 'MEMBER', 'VIEWER')),
    -- SHA-256 of the invitation token; the token itself is shown once to the inviter.
    token_hash          bytea       NOT NULL,
    status              text        NOT NULL DEFAULT 'PENDING'
                                    CHECK (status IN ('PENDING', 'ACCEPTED', 'CANCELLED')),
    invited_by_user_id  uuid,
    created_at          timestamptz NOT NULL DEFAULT now(),
    expires_at          timestamptz NOT NULL,
    accepted_at         timestamptz,
    accepted_user_id    uuid,
    cancelled_at        timestamptz,
    PRIMARY KEY (tenant_id, invitation_id)
);
CREATE UNIQUE INDEX invitations_token ON invitations (tenant_id, token_hash);
CREATE UNIQUE INDEX invitations_pending_email
    ON invitations (tenant_id, lower(email)) WHERE status = 'PENDING';

-- The audit ledger: append-only, one hash chain per tenant.
CREATE TABLE audit_ledger (
    tenant_id       uuid        NOT NULL REFERENCES tenants,
    seq             bigint      NOT NULL,
    audit_id        uuid        NOT NULL,
    occurred_at     timestamptz NOT NULL DEFAULT now(),
    actor_type      text        NOT NULL,
    actor_id        text        NOT NULL DEFAULT '',
    actor_label     text        NOT NULL DEFAULT '',
    action          text        NOT NULL,
    resource_type   text        NOT NULL,
    resource_id     text        NOT NULL DEFAULT '',
    before_state    jsonb,
    after_state     jsonb,
    request_id      text        NOT NULL DEFAULT '',
    prev_hash       bytea       NOT NULL,
    hash            bytea       NOT NULL,
    PRIMARY KEY (tenant_id, seq)
);
CREATE UNIQUE INDEX audit_ledger_id ON audit_ledger (tenant_id, audit_id);
CREATE INDEX audit_ledger_actor ON audit_ledger (tenant_id, actor_id, seq DESC);

-- The one definition of a row's hash, used by the insert trigger and by verification.
CREATE FUNCTION audit_row_hash(prev bytea, t uuid, s bigint, a uuid, at timestamptz,
                               atype text, aid text, alabel text, act text, rtype text,
                               rid text, b jsonb, af jsonb, req text)
RETURNS bytea AS $$
    SELECT sha256(prev || convert_to(concat_ws(E'\x1f',
        t::text, s::text, a::text,
        (extract(epoch FROM at) * 1000000)::bigint::text,
        atype, aid, alabel, act, rtype, rid,
        coalesce(b::text, 'null'), coalesce(af::text, 'null'), req), 'UTF8'))
$$ LANGUAGE sql IMMUTABLE;

-- Appends chain themselves: seq and prev_hash come from the tenant's last row, under a
-- per-tenant transaction lock, so concurrent writers cannot fork the chain.
CREATE FUNCTION audit_ledger_chain() RETURNS trigger AS $$
DECLARE
    last_seq  bigint;
    last_hash bytea;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtextextended('audit_ledger:' || NEW.tenant_id::text, 0));
    SELECT seq, hash INTO last_seq, last_hash
      FROM audit_ledger WHERE tenant_id = NEW.tenant_id ORDER BY seq DESC LIMIT 1;
    NEW.seq := coalesce(last_seq, 0) + 1;
    NEW.prev_hash := coalesce(last_hash, '\x'::bytea);
    NEW.occurred_at := date_trunc('microseconds', coalesce(NEW.occurred_at, now()));
    NEW.hash := audit_row_hash(NEW.prev_hash, NEW.tenant_id, NEW.seq, NEW.audit_id,
        NEW.occurred_at, NEW.actor_type, NEW.actor_id, NEW.actor_label, NEW.action,
        NEW.resource_type, NEW.resource_id, NEW.before_state, NEW.after_state, NEW.request_id);
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER trg_audit_ledger_chain
    BEFORE INSERT ON audit_ledger
    FOR EACH ROW EXECUTE FUNCTION audit_ledger_chain();

-- Shared by every append-only table (llm_run_records, system_records, audit_ledger).
CREATE FUNCTION reject_mutation() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER trg_audit_ledger_immutable
    BEFORE UPDATE OR DELETE ON audit_ledger
    FOR EACH ROW EXECUTE FUNCTION reject_mutation();

CREATE TRIGGER trg_audit_ledger_no_truncate
    BEFORE TRUNCATE ON audit_ledger
    FOR EACH STATEMENT EXECUTE FUNCTION reject_mutation();
