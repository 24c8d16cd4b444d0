package dev.govcon.server.incidents;

import java.time.Duration;
import java.time.Instant;

import dev.govcon.proto.v1.Actor;
import dev.govcon.proto.v1.Incident;
import dev.govcon.proto.v1.IncidentEvent;
import dev.govcon.proto.v1.IncidentEventKind;
import dev.govcon.proto.v1.IncidentSource;
import dev.govcon.proto.v1.IncidentState;
import dev.govcon.proto.v1.Scope;
import dev.govcon.proto.v1.Severity;
import dev.govcon.server.wire.Times;

/** Rows of {@code incidents} and {@code incident_events} as their proto messages. */
final class IncidentProtos {
    private IncidentProtos() {
    }

    static Incident incident(IncidentRow r) {
        Incident.Builder b = Incident.newBuilder()
                .setId(r.incidentId().toString())
                .setFingerprint(r.fingerprint())
                .setTitle(r.title())
                .setCause(r.cause())
                .setDescription(r.description())
                .setSource(IncidentSource.valueOf("INCIDENT_SOURCE_" + r.source()))
                .setSourceRefId(r.sourceRefId())
                .setScope(scope(r.scopeFeature(), r.scopeModel(), r.scopeEndUser(), r.scopeApiKeyId(),
                                r.scopeProvider(), r.scopeEnvironment()))
                .setSeverity(Severity.valueOf(r.severity()))
                .setInitialSeverity(Severity.valueOf(r.initialSeverity()))
                .setState(IncidentState.valueOf("INCIDENT_STATE_" + r.state()))
                .setOccurrenceCount(r.occurrenceCount())
                .setOpenedTime(Times.ts(r.openedAt()))
                .setLastOccurrenceTime(Times.ts(r.lastOccurrenceAt()))
                .setResolutionNote(r.resolutionNote())
                .setAutoResolved(r.autoResolved())
                .setUpdateTime(Times.ts(r.updatedAt()));
        if (r.acknowledgedAt() != null) {
            b.setAcknowledgedTime(Times.ts(r.acknowledgedAt()))
                    .setAcknowledgedBy(actor(r.acknowledgedByType(), r.acknowledgedById(), r.acknowledgedByLabel()))
                    .setTimeToAcknowledge(duration(r.openedAt(), r.acknowledgedAt()));
        }
        if (r.resolvedAt() != null) {
            b.setResolvedTime(Times.ts(r.resolvedAt()))
                    .setResolvedBy(actor(r.resolvedByType(), r.resolvedById(), r.resolvedByLabel()))
                    .setTimeToResolve(duration(r.openedAt(), r.resolvedAt()));
        }
        return b.build();
    }

    static IncidentEvent event(IncidentEventRow e) {
        IncidentEvent.Builder b = IncidentEvent.newBuilder()
                .setId(e.eventId().toString())
                .setIncidentId(e.incidentId().toString())
                .setKind(IncidentEventKind.valueOf("INCIDENT_EVENT_KIND_" + e.kind()))
                .setTime(Times.ts(e.occurredAt()))
                .setActor(actor(e.actorType(), e.actorId(), e.actorLabel()))
                .setSeverity(Severity.valueOf(e.severity()))
                .setNote(e.note())
                .setSourceRefId(e.sourceRefId())
                .setRunId(e.runId());
        if (!e.previousSeverity().isEmpty()) {
            b.setPreviousSeverity(Severity.valueOf(e.previousSeverity()));
        }
        return b.build();
    }

    static Scope scope(String feature, String model, String endUser, String apiKeyId, String provider,
                       String environment) {
        return Scope.newBuilder().setFeature(feature).setModel(model).setEndUser(endUser).setApiKeyId(apiKeyId)
                .setProvider(provider).setEnvironment(environment).build();
    }

    static Actor actor(String type, String id, String label) {
        Actor.Builder b = Actor.newBuilder().setId(id).setLabel(label);
        if (!type.isEmpty()) {
            b.setType(Actor.Type.valueOf(type));
        }
        return b.build();
    }

    static com.google.protobuf.Duration duration(Instant from, Instant to) {
        return protoDuration(Duration.between(from, to));
    }

    static com.google.protobuf.Duration protoDuration(Duration d) {
        return com.google.protobuf.Duration.newBuilder().setSeconds(d.getSeconds()).setNanos(d.getNano()).build();
    }

    static com.google.protobuf.Duration millis(double ms) {
        long nanos = Math.round(ms * 1_000_000d);
        return protoDuration(Duration.ofNanos(nanos));
    }
}
