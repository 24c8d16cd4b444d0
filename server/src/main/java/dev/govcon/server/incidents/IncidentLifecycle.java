package dev.govcon.server.incidents;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

import dev.govcon.proto.v1.AcknowledgeIncidentRequest;
import dev.govcon.proto.v1.AcknowledgeIncidentResponse;
import dev.govcon.proto.v1.ResolveIncidentRequest;
import dev.govcon.proto.v1.ResolveIncidentResponse;
import dev.govcon.server.auth.Principal;
import dev.govcon.server.db.Database;
import dev.govcon.server.errors.Errors;
import dev.govcon.server.errors.Validate;

/** ACTIVE -> ACKNOWLEDGED -> RESOLVED by a member; any other transition is FAILED_PRECONDITION. */
final class IncidentLifecycle {
    static final int MAX_NOTE = 4000;

    private final Database database;
    private final Clock clock;

    IncidentLifecycle(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    AcknowledgeIncidentResponse acknowledge(Principal caller, AcknowledgeIncidentRequest req) {
        UUID id = Validate.id("id", req.getId());
        String note = Validate.optional("note", req.getNote(), MAX_NOTE);
        Instant now = clock.instant();
        return database.inTransaction(s -> {
            IncidentRow row = s.getMapper(IncidentMapper.class).lock(caller.tenantId(), id);
            if (row == null) {
                throw Errors.notFound("incident", id);
            }
            if (!row.state().equals("ACTIVE")) {
                throw Errors.failedPrecondition("incident " + id + " is " + row.state()
                                                + "; only an ACTIVE incident can be acknowledged");
            }
            IncidentRow after = IncidentWriter.acknowledge(s, row, caller.actor(), note, now);
            return AcknowledgeIncidentResponse.newBuilder().setIncident(IncidentProtos.incident(after)).build();
        });
    }

    ResolveIncidentResponse resolve(Principal caller, ResolveIncidentRequest req) {
        UUID id = Validate.id("id", req.getId());
        String note = Validate.required("resolution_note", req.getResolutionNote(), MAX_NOTE);
        Instant now = clock.instant();
        return database.inTransaction(s -> {
            IncidentRow row = s.getMapper(IncidentMapper.class).lock(caller.tenantId(), id);
            if (row == null) {
                throw Errors.notFound("incident", id);
            }
            if (row.state().equals("RESOLVED")) {
                throw Errors.failedPrecondition("incident " + id + " is already RESOLVED");
            }
            IncidentRow after = IncidentWriter.resolve(s, row, caller.actor(), note, false, now);
            return ResolveIncidentResponse.newBuilder().setIncident(IncidentProtos.incident(after)).build();
        });
    }
}
