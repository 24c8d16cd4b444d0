-- Incidents (inventory 3), lessons and policy proposals (inventory 4.2).
--
-- The incident engine (dev.govcon.server.incidents, job 'incident-engine') opens incidents
-- from limit_violations, risk_signals and failing job_runs. While an incident is open
-- (ACTIVE or ACKNOWLEDGED) its fingerprint (cause + scope) is unique within the tenant: a new
-- occurrence is appended to incident_events and bumps occurrence_count.

CREATE TABLE incidents (
    tenant_id               uuid        NOT NULL REFERENCES tenants,
    incident_id             uuid        NOT NULL,
    fingerprint             text        NOT NULL,
    -- Machine-readable cause, e.g. 'limit_exceeded:<limit id>', 'signal:COST_SPIKE'.
    cause                   text        NOT NULL,
    title                   text        NOT NULL,
    description             text        NOT NULL DEFAULT '',
    source                  text        NOT NULL CHECK (source IN ('VIOLATION', 'SIGNAL', 'JOB')),
    -- The control, signal or job behind the cause.
    source_ref_id           text        NOT NULL DEFAULT '',
    -- The scope: '' means "any".
    scope_feature           text        NOT NULL DEFAULT '',
    scope_model             text        NOT NULL DEFAULT '',
    scope_end_user          text        NOT NULL DEFAULT '',
    scope_api_key_id        text        NOT NULL DEFAULT '',
    scope_provider          text        NOT NULL DEFAULT '',
    scope_environment       text        NOT NULL DEFAULT '',
    severity                text        NOT NULL CHECK (severity IN ('LOW', 'MEDIUM', 'HIGH', 'CRITICAL')),
    initial_severity        text        NOT NULL CHECK (initial_severity IN ('LOW', 'MEDIUM', 'HIGH', 'CRITICAL')),
    state                   text        NOT NULL CHECK (state IN ('ACTIVE', 'ACKNOWLEDGED', 'RESOLVED')),
    occurrence_count        bigint      NOT NULL DEFAULT 1 CHECK (occurrence_count >= 1),
    opened_at               timestamptz NOT NULL,
    last_occurrence_at      timestamptz NOT NULL,
    acknowledged_at         timestamptz,
    acknowledged_by_type    text        NOT NULL DEFAULT '',
    acknowledged_by_id      text        NOT NULL DEFAULT '',
    acknowledged_by_label   text        NOT NULL DEFAULT '',
    resolved_at             timestamptz,
    resolved_by_type        text        NOT NULL DEFAULT '',
    resolved_by_id          text        NOT NULL DEFAULT '',
    resolved_by_label       text        NOT NULL DEFAULT '',
    resolution_note         text        NOT NULL DEFAULT '',
    auto_resolved           boolean     NOT NULL DEFAULT false,
    updated_at              timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, incident_id),
    CHECK ((state = 'ACTIVE') = (acknowledged_at IS NULL)),
    CHECK ((state = 'RESOLVED') = (resolved_at IS NOT NULL))
);
-- At most one open incident per fingerprint: what makes deduplication hold across replicas.
CREATE UNIQUE INDEX incidents_one_open ON incidents (tenant_id, fingerprint)
    WHERE state <> 'RESOLVED';
CREATE INDEX incidents_open ON incidents (tenant_id, severity, opened_at DESC)
    WHERE state <> 'RESOLVED';
CREATE INDEX incidents_newest ON incidents (tenant_id, opened_at DESC, incident_id DESC);
CREATE INDEX incidents_resolved ON incidents (tenant_id, resolved_at DESC, incident_id DESC)
    WHERE state = 'RESOLVED';
CREATE INDEX incidents_fingerprint ON incidents (tenant_id, fingerprint, opened_at DESC);

-- The timeline of an incident: OPENED, OCCURRENCE, ESCALATED, ACKNOWLEDGED, RESOLVED,
-- AUTO_RESOLVED. The fingerprint is copied so patterns count occurrences without a join.
CREATE TABLE incident_events (
    tenant_id               uuid        NOT NULL,
    event_id                uuid        NOT NULL,
    incident_id             uuid        NOT NULL,
    fingerprint             text        NOT NULL,
    kind                    text        NOT NULL CHECK (kind IN ('OPENED', 'OCCURRENCE', 'ESCALATED',
                                        'ACKNOWLEDGED', 'RESOLVED', 'AUTO_RESOLVED')),
    occurred_at             timestamptz NOT NULL,
    actor_type              text        NOT NULL DEFAULT 'SYSTEM',
    actor_id                text        NOT NULL DEFAULT '',
    actor_label             text        NOT NULL DEFAULT '',
    severity                text        NOT NULL CHECK (severity IN ('LOW', 'MEDIUM', 'HIGH', 'CRITICAL')),
    previous_severity       text        NOT NULL DEFAULT '',
    note                    text        NOT NULL DEFAULT '',
    -- The violation, signal or job run behind an OPENED/OCCURRENCE event.
    source_ref_id           text        NOT NULL DEFAULT '',
    run_id                  text        NOT NULL DEFAULT '',
    -- Insertion order within the tenant, to order events of the same instant.
    seq                     bigint      GENERATED ALWAYS AS IDENTITY,
    PRIMARY KEY (tenant_id, event_id),
    FOREIGN KEY (tenant_id, incident_id) REFERENCES incidents
);
CREATE INDEX incident_events_timeline ON incident_events (tenant_id, incident_id, occurred_at, seq);
CREATE INDEX incident_events_occurrences ON incident_events (tenant_id, occurred_at, fingerprint)
    WHERE kind IN ('OPENED', 'OCCURRENCE');

-- How far the engine has read each source of each tenant ('VIOLATION', 'JOB'); signals need
-- none (unlinked signals are those with incident_id IS NULL).
CREATE TABLE incident_engine_watermarks (
    tenant_id               uuid        NOT NULL REFERENCES tenants,
    source                  text        NOT NULL,
    watermark_at            timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, source)
);

-- Optional auto-resolve: an open incident with no occurrence for this long is resolved by the
-- engine (recorded as AUTO_RESOLVED). NULL: never.
ALTER TABLE tenants ADD COLUMN incident_auto_resolve_after interval
    CHECK (incident_auto_resolve_after IS NULL OR incident_auto_resolve_after > interval '0');

-- Patterns mined by the lesson job from violations, incidents and spend. A lesson is
-- identified by what it is about (lesson_key: kind + scope + control); mining it again
-- updates the same row (last_detected_at, evidence).
CREATE TABLE lessons (
    tenant_id               uuid        NOT NULL REFERENCES tenants,
    lesson_id               uuid        NOT NULL,
    lesson_key              text        NOT NULL,
    kind                    text        NOT NULL CHECK (kind IN ('REPEATED_LIMIT_BREACH', 'MODEL_FAILURE_OUTLIER',
                                        'UNGOVERNED_SPEND', 'RECURRING_INCIDENT', 'REPEATED_WARNING')),
    title                   text        NOT NULL,
    summary                 text        NOT NULL DEFAULT '',
    scope_feature           text        NOT NULL DEFAULT '',
    scope_model             text        NOT NULL DEFAULT '',
    scope_end_user          text        NOT NULL DEFAULT '',
    scope_api_key_id        text        NOT NULL DEFAULT '',
    scope_provider          text        NOT NULL DEFAULT '',
    scope_environment       text        NOT NULL DEFAULT '',
    severity                text        NOT NULL CHECK (severity IN ('LOW', 'MEDIUM', 'HIGH', 'CRITICAL')),
    control_id              text        NOT NULL DEFAULT '',
    first_detected_at       timestamptz NOT NULL,
    last_detected_at        timestamptz NOT NULL,
    -- The evidence: the window mined, the incidents and violations, the numbers (LessonFact
    -- list as proto JSON).
    evidence_start          timestamptz NOT NULL,
    evidence_end            timestamptz NOT NULL,
    incident_ids            text[]      NOT NULL DEFAULT '{}',
    violation_ids           text[]      NOT NULL DEFAULT '{}',
    facts                   jsonb       NOT NULL DEFAULT '[]',
    PRIMARY KEY (tenant_id, lesson_id)
);
CREATE UNIQUE INDEX lessons_key ON lessons (tenant_id, lesson_key);
CREATE INDEX lessons_newest ON lessons (tenant_id, last_detected_at DESC, lesson_id DESC);

-- A concrete control derived from a lesson. One per lesson, ever (unique lesson_id).
-- A DEFERRED proposal whose deferred_until has passed reads as PENDING.
CREATE TABLE policy_proposals (
    tenant_id               uuid        NOT NULL REFERENCES tenants,
    proposal_id             uuid        NOT NULL,
    lesson_id               uuid        NOT NULL,
    title                   text        NOT NULL,
    rationale               text        NOT NULL DEFAULT '',
    state                   text        NOT NULL CHECK (state IN ('PENDING', 'ACCEPTED', 'DEFERRED')),
    kind                    text        NOT NULL CHECK (kind IN ('RULE', 'LIMIT')),
    -- The rule or limit accepting creates, as proto JSON (govcon.v1.PolicyRule / PolicyLimit).
    proposed                jsonb       NOT NULL,
    -- For a limit: its LimitSimulation over the lesson's window, as proto JSON.
    simulated_effect        jsonb,
    created_at              timestamptz NOT NULL,
    deferred_until          timestamptz,
    decided_by_type         text        NOT NULL DEFAULT '',
    decided_by_id           text        NOT NULL DEFAULT '',
    decided_by_label        text        NOT NULL DEFAULT '',
    decided_at              timestamptz,
    decision_note           text        NOT NULL DEFAULT '',
    created_control_id      text        NOT NULL DEFAULT '',
    PRIMARY KEY (tenant_id, proposal_id),
    FOREIGN KEY (tenant_id, lesson_id) REFERENCES lessons,
    CHECK ((state = 'DEFERRED') = (deferred_until IS NOT NULL))
);
CREATE UNIQUE INDEX policy_proposals_one_per_lesson ON policy_proposals (tenant_id, lesson_id);
CREATE INDEX policy_proposals_newest ON policy_proposals (tenant_id, created_at DESC, proposal_id DESC);
