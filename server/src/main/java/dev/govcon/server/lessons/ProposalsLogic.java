package dev.govcon.server.lessons;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.govcon.proto.v1.AcceptPolicyProposalRequest;
import dev.govcon.proto.v1.AcceptPolicyProposalResponse;
import dev.govcon.proto.v1.Actor;
import dev.govcon.proto.v1.DeferPolicyProposalRequest;
import dev.govcon.proto.v1.DeferPolicyProposalResponse;
import dev.govcon.proto.v1.ListPolicyProposalsRequest;
import dev.govcon.proto.v1.ListPolicyProposalsResponse;
import dev.govcon.proto.v1.Policy;
import dev.govcon.proto.v1.PolicyProposal;
import dev.govcon.proto.v1.PolicyProposalStatus;
import dev.govcon.proto.v1.PolicyStatus;
import dev.govcon.server.audit.AuditLedger;
import dev.govcon.server.auth.Principal;
import dev.govcon.server.db.Database;
import dev.govcon.server.errors.Errors;
import dev.govcon.server.errors.Validate;
import dev.govcon.server.paging.Page;
import dev.govcon.server.policies.ProposalControls;
import dev.govcon.server.wire.Times;

/**
 * Proposals: list (by status as of now), accept (creates the control, source PROPOSAL, in the
 * same transaction as the proposal's change and its audit row) and defer (hidden from PENDING
 * until the date, then PENDING again).
 */
public final class ProposalsLogic {
    static final Duration DEFAULT_DEFERRAL = Duration.ofDays(7);
    static final Duration MAX_DEFERRAL = Duration.ofDays(366);
    static final int MAX_NOTE = 4000;

    private final Database database;
    private final Clock clock;
    private final ProposalControls controls;

    public ProposalsLogic(Database database, Clock clock, ProposalControls controls) {
        this.database = database;
        this.clock = clock;
        this.controls = controls;
    }

    public ListPolicyProposalsResponse list(Principal caller, ListPolicyProposalsRequest req) {
        int size = Page.size(req.getPageSize());
        Page.Cursor after = Page.cursor(req.getPageToken());
        Validate.enumValue("status", req.getStatus(), false);
        String state = req.getStatus() == PolicyProposalStatus.POLICY_PROPOSAL_STATUS_UNSPECIFIED ? null
                       : req.getStatus().name().substring("POLICY_PROPOSAL_STATUS_".length());
        UUID lessonId = Validate.optionalId("lesson_id", req.getLessonId());
        Instant now = clock.instant();
        return database.read(s -> {
            LessonMapper m = s.getMapper(LessonMapper.class);
            List<ProposalRow> rows = m.proposals(caller.tenantId(), state, lessonId, after == null ? null : after.at(),
                                                 after == null ? null : after.id(), size + 1, now);
            ListPolicyProposalsResponse.Builder out = ListPolicyProposalsResponse.newBuilder();
            rows.stream().limit(size).forEach(r -> out.addProposals(LessonProtos.proposal(r)));
            out.setNextPageToken(Page.nextToken(rows, size, r -> new Page.Cursor(r.createdAt(), r.proposalId()).encode()));
            out.setTotalCount(m.countProposals(caller.tenantId(), state, lessonId, now));
            return out.build();
        });
    }

    public AcceptPolicyProposalResponse accept(Principal caller, AcceptPolicyProposalRequest req) {
        UUID id = Validate.id("id", req.getId());
        Validate.enumValue("status", req.getStatus(), false);
        PolicyStatus status = switch (req.getStatus()) {
            case POLICY_STATUS_UNSPECIFIED, POLICY_STATUS_ACTIVE -> PolicyStatus.POLICY_STATUS_ACTIVE;
            case POLICY_STATUS_DRAFT -> PolicyStatus.POLICY_STATUS_DRAFT;
            default -> throw Errors.invalid("status", "must be POLICY_STATUS_ACTIVE (the default) or POLICY_STATUS_DRAFT");
        };
        String note = Validate.optional("note", req.getNote(), MAX_NOTE);
        Instant now = clock.instant();
        return database.inTransaction(s -> {
            LessonMapper m = s.getMapper(LessonMapper.class);
            ProposalRow row = m.lockProposal(caller.tenantId(), id, now);
            if (row == null) {
                throw Errors.notFound("policy proposal", id);
            }
            if (row.state().equals("ACCEPTED")) {
                throw Errors.failedPrecondition("policy proposal " + id + " is already ACCEPTED (control "
                                                + row.createdControlId() + ")");
            }
            PolicyProposal before = LessonProtos.proposal(row);
            Policy policy = before.hasRule()
                    ? controls.createRule(s, caller, before.getRule().toBuilder().setStatus(status).build(), id.toString())
                    : controls.createLimit(s, caller, before.getLimit().toBuilder().setStatus(status).build(), id.toString());
            ProposalRow accepted = decided(row, "ACCEPTED", null, caller.actor(), now, note, policy.getId());
            m.updateProposal(accepted);
            PolicyProposal after = LessonProtos.proposal(accepted);
            AuditLedger.record(s, caller.tenantId(), caller.actor(), "policy_proposal.accepted", "policy_proposal",
                               id.toString(), before, after);
            return AcceptPolicyProposalResponse.newBuilder().setProposal(after).setPolicy(policy).build();
        });
    }

    public DeferPolicyProposalResponse defer(Principal caller, DeferPolicyProposalRequest req) {
        UUID id = Validate.id("id", req.getId());
        Instant now = clock.instant();
        Instant until;
        if (req.hasDeferUntil()) {
            if (!Times.valid(req.getDeferUntil())) {
                throw Errors.invalid("defer_until", "is not a valid time");
            }
            until = Times.instant(req.getDeferUntil());
            if (!until.isAfter(now)) {
                throw Errors.invalid("defer_until", "must be in the future");
            }
            if (until.isAfter(now.plus(MAX_DEFERRAL))) {
                throw Errors.invalid("defer_until", "must be within " + MAX_DEFERRAL.toDays() + " days");
            }
        } else {
            until = now.plus(DEFAULT_DEFERRAL);
        }
        String note = Validate.optional("note", req.getNote(), MAX_NOTE);
        return database.inTransaction(s -> {
            LessonMapper m = s.getMapper(LessonMapper.class);
            ProposalRow row = m.lockProposal(caller.tenantId(), id, now);
            if (row == null) {
                throw Errors.notFound("policy proposal", id);
            }
            if (!row.state().equals("PENDING")) {
                throw Errors.failedPrecondition("policy proposal " + id + " is " + row.state()
                                                + "; only a PENDING proposal can be deferred");
            }
            ProposalRow deferred = decided(row, "DEFERRED", until, caller.actor(), now, note, "");
            m.updateProposal(deferred);
            PolicyProposal after = LessonProtos.proposal(deferred);
            AuditLedger.record(s, caller.tenantId(), caller.actor(), "policy_proposal.deferred", "policy_proposal",
                               id.toString(), LessonProtos.proposal(row), after);
            return DeferPolicyProposalResponse.newBuilder().setProposal(after).build();
        });
    }

    private static ProposalRow decided(ProposalRow r, String state, Instant until, Actor actor, Instant now, String note,
                                       String controlId) {
        return new ProposalRow(r.tenantId(), r.proposalId(), r.lessonId(), r.title(), r.rationale(), state, r.kind(),
                               r.proposedJson(), r.simulatedEffectJson(), r.createdAt(), until, actor.getType().name(),
                               actor.getId(), actor.getLabel(), now, note, controlId);
    }
}
