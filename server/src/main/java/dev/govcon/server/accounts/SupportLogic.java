package dev.govcon.server.accounts;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.govcon.proto.v1.Actor;
import dev.govcon.proto.v1.CreateSupportTicketRequest;
import dev.govcon.proto.v1.ListSupportTicketsRequest;
import dev.govcon.proto.v1.ListSupportTicketsResponse;
import dev.govcon.proto.v1.Severity;
import dev.govcon.proto.v1.SupportChannel;
import dev.govcon.proto.v1.SupportInfo;
import dev.govcon.proto.v1.SupportSla;
import dev.govcon.proto.v1.SupportTicket;
import dev.govcon.proto.v1.TicketStatus;
import dev.govcon.server.activity.ActivityReads;
import dev.govcon.server.audit.AuditLedger;
import dev.govcon.server.auth.Principal;
import dev.govcon.server.db.Database;
import dev.govcon.server.errors.Validate;
import dev.govcon.server.paging.Page;
import dev.govcon.server.wire.Times;

/**
 * Support: how to reach it and how fast it answers under the tenant's plan (the plan
 * catalogue), and tickets.
 *
 * <p>A ticket's severity defaults to MEDIUM. A {@code run_id} must name a run of the tenant,
 * finished or live: an unknown one (or another tenant's) is NOT_FOUND, as every id of this API;
 * a malformed one is INVALID_ARGUMENT. An {@code incident_id} must be a UUID; it is not checked
 * against incidents, which belong to a domain not built yet. Opening a ticket is audited
 * ({@code support_ticket.created}).
 */
final class SupportLogic {
    private static final int MAX_SUBJECT = 200;
    private static final int MAX_BODY = 10_000;
    private static final List<Severity> SEVERITIES = List.of(Severity.LOW, Severity.MEDIUM, Severity.HIGH,
                                                             Severity.CRITICAL);

    private final Database database;
    private final Clock clock;
    private final PlanCatalogue catalogue;
    private final ActivityReads runs;

    SupportLogic(Database database, Clock clock, PlanCatalogue catalogue) {
        this.database = database;
        this.clock = clock;
        this.catalogue = catalogue;
        this.runs = new ActivityReads(database, clock);
    }

    SupportInfo info(Principal caller) {
        PlanCatalogue.Plan plan = currentPlan(caller, clock.instant());
        SupportInfo.Builder out = SupportInfo.newBuilder().setPlanId(plan.id());
        for (PlanCatalogue.Channel c : catalogue.channels(plan)) {
            out.addChannels(SupportChannel.newBuilder().setKind(c.kind()).setAddress(c.address()).setHours(c.hours()));
        }
        for (Severity s : SEVERITIES) {
            out.addSla(SupportSla.newBuilder().setSeverity(s).setFirstResponseHours(plan.firstResponseHours().get(s)));
        }
        return out.build();
    }

    SupportTicket create(Principal caller, CreateSupportTicketRequest req) {
        String subject = Validate.required("subject", req.getSubject(), MAX_SUBJECT);
        String body = Validate.required("body", req.getBody(), MAX_BODY);
        Severity severity = Validate.enumValue("severity", req.getSeverity(), false);
        Severity sev = severity == Severity.SEVERITY_UNSPECIFIED ? Severity.MEDIUM : severity;
        UUID incidentId = Validate.optionalId("incident_id", req.getIncidentId());
        String runId = req.getRunId().strip();
        if (!runId.isEmpty()) {
            runs.getRun(caller, runId);
        }
        Instant now = clock.instant();
        PlanCatalogue.Plan plan = currentPlan(caller, now);
        Actor by = caller.actor();
        TicketRow row = new TicketRow(caller.tenantId(), UUID.randomUUID(), subject, body, sev.name(), "OPEN", runId,
                                      incidentId == null ? "" : incidentId.toString(), by.getType().name(), by.getId(),
                                      by.getLabel(), plan.id(), now, now);
        return database.inTransaction(s -> {
            SupportMapper m = s.getMapper(SupportMapper.class);
            m.insert(row);
            SupportTicket created = proto(m.find(caller.tenantId(), row.ticketId()));
            AuditLedger.record(s, caller.tenantId(), by, "support_ticket.created", "support_ticket",
                               created.getId(), null, created);
            return created;
        });
    }

    ListSupportTicketsResponse list(Principal caller, ListSupportTicketsRequest req) {
        int size = Page.size(req.getPageSize());
        Page.Cursor after = Page.cursor(req.getPageToken());
        TicketStatus status = Validate.enumValue("status", req.getStatus(), false);
        String statusText = status == TicketStatus.TICKET_STATUS_UNSPECIFIED ? null
                : status.name().substring("TICKET_".length());
        List<TicketRow> rows = database.read(s -> s.getMapper(SupportMapper.class).list(
                caller.tenantId(), statusText, after == null ? null : after.at(), after == null ? null : after.id(),
                size + 1));
        ListSupportTicketsResponse.Builder out = ListSupportTicketsResponse.newBuilder();
        rows.stream().limit(size).forEach(r -> out.addTickets(proto(r)));
        out.setNextPageToken(Page.nextToken(rows, size, last -> new Page.Cursor(last.createdAt(), last.ticketId()).encode()));
        return out.build();
    }

    private PlanCatalogue.Plan currentPlan(Principal caller, Instant now) {
        TenantBillingRow t = database.read(s -> s.getMapper(BillingMapper.class).tenant(caller.tenantId()));
        return BillingProtos.known(catalogue, t.planAt(now));
    }

    static SupportTicket proto(TicketRow r) {
        SupportTicket.Builder b = SupportTicket.newBuilder()
                .setId(r.ticketId().toString())
                .setSubject(r.subject())
                .setBody(r.body())
                .setSeverity(Severity.valueOf(r.severity()))
                .setStatus(TicketStatus.valueOf("TICKET_" + r.status()))
                .setRunId(r.runId())
                .setIncidentId(r.incidentId())
                .setOpenedBy(Actor.newBuilder().setType(Actor.Type.valueOf(r.openedByType()))
                                     .setId(r.openedById()).setLabel(r.openedByLabel()));
        Times.setIfPresent(r.createdAt(), b::setCreatedAt);
        Times.setIfPresent(r.updatedAt(), b::setUpdatedAt);
        return b.build();
    }
}
