-- Connectivity: integrations (SDK instances) and what shows they are alive.
-- Account: the billing plan schedule, invoices issued at period close, support tickets.

-- One row per (name, environment) of a tenant: registering again returns the same row.
-- Liveness: last_heartbeat_at, and the newest run naming the integration (llm_run_records or
-- runs .integration_id = integration_id::text). Guard check times are written in batches by
-- connectivity.IntegrationTouches, never per check.
CREATE TABLE integrations (
    tenant_id               uuid        NOT NULL REFERENCES tenants,
    integration_id          uuid        NOT NULL,
    name                    text        NOT NULL CHECK (name <> ''),
    environment             text        NOT NULL CHECK (environment <> ''),
    sdk_language            text        NOT NULL DEFAULT '',
    sdk_version             text        NOT NULL DEFAULT '',
    host                    text        NOT NULL DEFAULT '',
    registered_at           timestamptz NOT NULL,
    updated_at              timestamptz NOT NULL,
    first_heartbeat_at      timestamptz,
    last_heartbeat_at       timestamptz,
    first_guard_check_at    timestamptz,
    last_guard_check_at     timestamptz,
    PRIMARY KEY (tenant_id, integration_id)
);
CREATE UNIQUE INDEX integrations_name ON integrations (tenant_id, name, environment);
CREATE INDEX integrations_newest ON integrations (tenant_id, registered_at DESC, integration_id DESC);

-- "Last run of an integration" without scanning the tenant's runs. Partial: runs that name no
-- integration (most bulk loads) do not pay for it on ingestion.
CREATE INDEX llm_run_records_integration
    ON llm_run_records (tenant_id, integration_id, end_time DESC) WHERE integration_id <> '';

-- A guard check seen for the tenant, with or without an integration id (setup checklist).
ALTER TABLE tenants ADD COLUMN first_guard_check_at timestamptz;

-- A plan change takes effect at the start of the next billing period: until then the tenant
-- stays on plan_id, and the invoice job moves scheduled_plan_id into plan_id once it is due.
ALTER TABLE tenants ADD COLUMN scheduled_plan_id text;
ALTER TABLE tenants ADD COLUMN scheduled_plan_from timestamptz;
ALTER TABLE tenants ADD CONSTRAINT tenants_scheduled_plan
    CHECK ((scheduled_plan_id IS NULL) = (scheduled_plan_from IS NULL));

-- One invoice per tenant and billing period (a calendar month in the tenant's time zone),
-- issued by the billing-invoices job from the hourly rollups. The unique period is what makes
-- issuing exactly-once across replicas and restarts (INSERT ... ON CONFLICT DO NOTHING).
-- The usage it was computed from is kept beside it.
CREATE TABLE invoices (
    tenant_id               uuid        NOT NULL REFERENCES tenants,
    invoice_id              uuid        NOT NULL,
    number                  text        NOT NULL,
    status                  text        NOT NULL CHECK (status IN ('DRAFT', 'ISSUED', 'PAID')),
    period_start            timestamptz NOT NULL,
    period_end              timestamptz NOT NULL CHECK (period_end > period_start),
    issued_at               timestamptz,
    paid_at                 timestamptz,
    plan_id                 text        NOT NULL,
    currency                text        NOT NULL,
    subtotal_micros         bigint      NOT NULL CHECK (subtotal_micros >= 0),
    total_micros            bigint      NOT NULL CHECK (total_micros >= 0),
    runs                    bigint      NOT NULL,
    total_tokens            bigint      NOT NULL,
    tracked_spend_micros    bigint      NOT NULL,
    seats                   integer     NOT NULL,
    created_at              timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, invoice_id)
);
CREATE UNIQUE INDEX invoices_period ON invoices (tenant_id, period_start);
CREATE UNIQUE INDEX invoices_number ON invoices (tenant_id, number);

CREATE TABLE invoice_lines (
    tenant_id               uuid        NOT NULL,
    invoice_id              uuid        NOT NULL,
    line_no                 integer     NOT NULL CHECK (line_no >= 1),
    description             text        NOT NULL,
    quantity                bigint      NOT NULL,
    unit_price_micros       bigint      NOT NULL,
    amount_micros           bigint      NOT NULL,
    PRIMARY KEY (tenant_id, invoice_id, line_no),
    FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoices
);

CREATE TABLE support_tickets (
    tenant_id               uuid        NOT NULL REFERENCES tenants,
    ticket_id               uuid        NOT NULL,
    subject                 text        NOT NULL,
    body                    text        NOT NULL,
    severity                text        NOT NULL CHECK (severity IN ('LOW', 'MEDIUM', 'HIGH', 'CRITICAL')),
    status                  text        NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'PENDING', 'CLOSED')),
    run_id                  text        NOT NULL DEFAULT '',
    incident_id             text        NOT NULL DEFAULT '',
    opened_by_type          text        NOT NULL,
    opened_by_id            text        NOT NULL DEFAULT '',
    opened_by_label         text        NOT NULL DEFAULT '',
    -- The plan when it was opened: its first-response target is the one that applies.
    plan_id                 text        NOT NULL,
    created_at              timestamptz NOT NULL,
    updated_at              timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, ticket_id)
);
CREATE INDEX support_tickets_newest ON support_tickets (tenant_id, created_at DESC, ticket_id DESC);
CREATE INDEX support_tickets_status ON support_tickets (tenant_id, status, created_at DESC, ticket_id DESC);
