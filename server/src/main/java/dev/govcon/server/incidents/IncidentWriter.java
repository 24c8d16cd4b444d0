package dev.govcon.server.incidents;

import java.time.Instant;
import java.util.UUID;

import org.apache.ibatis.session.SqlSession;

import dev.govcon.proto.v1.Actor;
import dev.govcon.server.audit.AuditLedger;

/**
 * Every write to an incident, inside the caller's transaction: each state change is a timeline
 * event and an audit ledger row that commit with it. Opening and escalating are the engine's
 * (actor SYSTEM); acknowledging and resolving are a member's, or the engine's auto-resolve.
 */
final class IncidentWriter {
    static final String ENGINE = "incident-engine";
    static final Actor ENGINE_ACTOR = Actor.newBuilder().setType(Actor.Type.SYSTEM).setId(ENGINE).setLabel(ENGINE)
            .build();

    private IncidentWriter() {
    }

    /**
     * Opens an incident for the occurrence, or, when one with its fingerprint is open, appends
     * it (OCCURRENCE event, count + 1) and escalates it as {@link Severities} says. Answers the
     * incident id.
     */
    static UUID record(SqlSession s, UUID tenantId, Occurrence o, Instant now) {
        IncidentMapper m = s.getMapper(IncidentMapper.class);
        String fingerprint = o.fingerprint();
        IncidentRow open = m.lockOpen(tenantId, fingerprint);
        if (open == null) {
            UUID id = UUID.randomUUID();
            var sc = o.scope();
            IncidentRow row = new IncidentRow(tenantId, id, fingerprint, o.cause(), o.title(), o.description(),
                                              o.source(), o.sourceRef(), sc.getFeature(), sc.getModel(),
                                              sc.getEndUser(), sc.getApiKeyId(), sc.getProvider(),
                                              sc.getEnvironment(), o.severity(), o.severity(), "ACTIVE", 1, o.at(),
                                              o.at(), null, "", "", "", null, "", "", "", "", false, now);
            m.insert(row);
            event(m, row, "OPENED", o.at(), ENGINE_ACTOR, o.severity(), "", o.description(), o.refId(), o.runId());
            AuditLedger.record(s, tenantId, ENGINE_ACTOR, "incident.opened", "incident", id.toString(), null,
                               IncidentProtos.incident(row));
            return id;
        }
        long count = open.occurrenceCount() + 1;
        String severity = Severities.max(Severities.max(open.severity(), o.severity()),
                                         Severities.byOccurrences(open.initialSeverity(), count));
        Instant last = o.at().isAfter(open.lastOccurrenceAt()) ? o.at() : open.lastOccurrenceAt();
        IncidentRow after = withCounts(open, severity, count, last, now);
        m.update(after);
        event(m, open, "OCCURRENCE", o.at(), ENGINE_ACTOR, severity, "", o.description(), o.refId(), o.runId());
        if (!severity.equals(open.severity())) {
            event(m, open, "ESCALATED", now, ENGINE_ACTOR, severity, open.severity(),
                  "escalated from " + open.severity() + " to " + severity + " after " + count + " occurrences",
                  o.refId(), "");
            AuditLedger.record(s, tenantId, ENGINE_ACTOR, "incident.escalated", "incident",
                               open.incidentId().toString(), IncidentProtos.incident(open),
                               IncidentProtos.incident(after));
        }
        return open.incidentId();
    }

    /** ACTIVE -> ACKNOWLEDGED; the caller has checked the state. */
    static IncidentRow acknowledge(SqlSession s, IncidentRow row, Actor actor, String note, Instant now) {
        IncidentRow after = acknowledged(row, actor, now, now);
        s.getMapper(IncidentMapper.class).update(after);
        event(s.getMapper(IncidentMapper.class), row, "ACKNOWLEDGED", now, actor, row.severity(), "", note, "", "");
        AuditLedger.record(s, row.tenantId(), actor, "incident.acknowledged", "incident",
                           row.incidentId().toString(), IncidentProtos.incident(row), IncidentProtos.incident(after));
        return after;
    }

    /**
     * ACTIVE or ACKNOWLEDGED -> RESOLVED. From ACTIVE the acknowledgement is recorded too (same
     * actor and time), so time to acknowledge is defined for every resolved incident.
     */
    static IncidentRow resolve(SqlSession s, IncidentRow row, Actor actor, String note, boolean auto, Instant now) {
        IncidentMapper m = s.getMapper(IncidentMapper.class);
        IncidentRow acked = row.acknowledgedAt() == null ? acknowledged(row, actor, now, now) : row;
        IncidentRow after = new IncidentRow(acked.tenantId(), acked.incidentId(), acked.fingerprint(), acked.cause(),
                acked.title(), acked.description(), acked.source(), acked.sourceRefId(), acked.scopeFeature(),
                acked.scopeModel(), acked.scopeEndUser(), acked.scopeApiKeyId(), acked.scopeProvider(),
                acked.scopeEnvironment(), acked.severity(), acked.initialSeverity(), "RESOLVED",
                acked.occurrenceCount(), acked.openedAt(), acked.lastOccurrenceAt(), acked.acknowledgedAt(),
                acked.acknowledgedByType(), acked.acknowledgedById(), acked.acknowledgedByLabel(), now,
                actor.getType().name(), actor.getId(), actor.getLabel(), note, auto, now);
        m.update(after);
        if (row.acknowledgedAt() == null) {
            event(m, row, "ACKNOWLEDGED", now, actor, row.severity(), "", "acknowledged on resolution", "", "");
        }
        event(m, row, auto ? "AUTO_RESOLVED" : "RESOLVED", now, actor, row.severity(), "", note, "", "");
        AuditLedger.record(s, row.tenantId(), actor, auto ? "incident.auto_resolved" : "incident.resolved",
                           "incident", row.incidentId().toString(), IncidentProtos.incident(row),
                           IncidentProtos.incident(after));
        return after;
    }

    private static IncidentRow acknowledged(IncidentRow r, Actor actor, Instant at, Instant now) {
        return new IncidentRow(r.tenantId(), r.incidentId(), r.fingerprint(), r.cause(), r.title(), r.description(),
                r.source(), r.sourceRefId(), r.scopeFeature(), r.scopeModel(), r.scopeEndUser(), r.scopeApiKeyId(),
                r.scopeProvider(), r.scopeEnvironment(), r.severity(), r.initialSeverity(), "ACKNOWLEDGED",
                r.occurrenceCount(), r.openedAt(), r.lastOccurrenceAt(), at, actor.getType().name(), actor.getId(),
                actor.getLabel(), null, "", "", "", "", false, now);
    }

    private static IncidentRow withCounts(IncidentRow r, String severity, long count, Instant last, Instant now) {
        return new IncidentRow(r.tenantId(), r.incidentId(), r.fingerprint(), r.cause(), r.title(), r.description(),
                r.source(), r.sourceRefId(), r.scopeFeature(), r.scopeModel(), r.scopeEndUser(), r.scopeApiKeyId(),
                r.scopeProvider(), r.scopeEnvironment(), severity, r.initialSeverity(), r.state(), count,
                r.openedAt(), last, r.acknowledgedAt(), r.acknowledgedByType(), r.acknowledgedById(),
                r.acknowledgedByLabel(), r.resolvedAt(), r.resolvedByType(), r.resolvedById(), r.resolvedByLabel(),
                r.resolutionNote(), r.autoResolved(), now);
    }

    private static void event(IncidentMapper m, IncidentRow incident, String kind, Instant at, Actor actor,
                              String severity, String previous, String note, String refId, String runId) {
        m.insertEvent(new IncidentEventRow(incident.tenantId(), UUID.randomUUID(), incident.incidentId(),
                                           incident.fingerprint(), kind, at, actor.getType().name(), actor.getId(),
                                           actor.getLabel(), severity, previous, note == null ? "" : note,
                                           refId == null ? "" : refId, runId == null ? "" : runId, 0));
    }
}
