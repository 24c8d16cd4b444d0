package dev.govcon.server.overview;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;

import dev.govcon.proto.v1.Actor;
import dev.govcon.proto.v1.ApprovalItem;
import dev.govcon.proto.v1.ApprovalKind;
import dev.govcon.proto.v1.LimitSimulation;
import dev.govcon.proto.v1.ListApprovalsRequest;
import dev.govcon.proto.v1.ListApprovalsResponse;
import dev.govcon.server.auth.Principal;
import dev.govcon.server.db.Database;
import dev.govcon.server.errors.Errors;
import dev.govcon.server.paging.Cursors;
import dev.govcon.server.paging.Page;
import dev.govcon.server.wire.Times;

/**
 * ListApprovals: proposals waiting for a decision and invitations not yet accepted (nor
 * cancelled nor expired), oldest request first, ties by item key. Both sources are read in
 * that order after the (time, key) cursor and merged.
 */
final class Approvals {
    private static final Comparator<Entry> OLDEST_FIRST = Comparator.comparing(Entry::at)
            .thenComparing((a, b) -> RecentActivity.compareBytes(a.key(), b.key()));
    private static final Actor MINED = Actor.newBuilder().setType(Actor.Type.SYSTEM)
            .setId("lesson-miner").setLabel("lesson-miner").build();

    private final Database database;
    private final Clock clock;

    Approvals(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    record Entry(ApprovalItem item, Instant at, String key) {
    }

    ListApprovalsResponse list(Principal caller, ListApprovalsRequest req) {
        int size = Page.size(req.getPageSize());
        Cursors.TimeKey after = Cursors.timeKey(req.getPageToken());
        Set<ApprovalKind> kinds = kinds(req.getKindsList());
        Instant now = clock.instant();
        UUID tenantId = caller.tenantId();
        Instant afterAt = after == null ? null : after.at();
        String afterKey = after == null ? null : after.key();
        record Read(List<Entry> entries, long total) {
        }
        Read read = database.read(s -> {
            OverviewMapper m = s.getMapper(OverviewMapper.class);
            List<Entry> out = new ArrayList<>();
            long total = 0;
            if (kinds.contains(ApprovalKind.APPROVAL_KIND_POLICY_PROPOSAL)) {
                m.pendingProposals(tenantId, now, afterAt, afterKey, size + 1)
                        .forEach(p -> out.add(new Entry(proposal(p), p.createdAt(), p.itemKey())));
                total += m.countPendingProposals(tenantId, now);
            }
            if (kinds.contains(ApprovalKind.APPROVAL_KIND_INVITATION)) {
                m.pendingInvitations(tenantId, now, afterAt, afterKey, size + 1)
                        .forEach(i -> out.add(new Entry(invitation(i), i.createdAt(), i.itemKey())));
                total += m.countPendingInvitations(tenantId, now);
            }
            out.sort(OLDEST_FIRST);
            return new Read(out, total);
        });
        List<Entry> merged = read.entries();
        return ListApprovalsResponse.newBuilder()
                .addAllItems(merged.stream().limit(size).map(Entry::item).toList())
                .setNextPageToken(Page.nextToken(merged, size, e -> new Cursors.TimeKey(e.at(), e.key()).encode()))
                .setTotalCount(read.total())
                .build();
    }

    private static ApprovalItem proposal(OverviewMapper.PendingProposal p) {
        return ApprovalItem.newBuilder()
                .setKind(ApprovalKind.APPROVAL_KIND_POLICY_PROPOSAL)
                .setResourceType("policy_proposal").setResourceId(p.proposalId().toString())
                .setTitle(p.title())
                .setSummary(effect(p))
                .setRequestedAt(Times.ts(p.createdAt()))
                .setRequestedBy(MINED)
                .build();
    }

    /** The simulated effect when there is one, else the rationale. */
    private static String effect(OverviewMapper.PendingProposal p) {
        if (p.simulatedEffect() != null && !p.simulatedEffect().isBlank()) {
            try {
                LimitSimulation.Builder sim = LimitSimulation.newBuilder();
                JsonFormat.parser().ignoringUnknownFields().merge(p.simulatedEffect(), sim);
                var t = sim.getProposed();
                return String.format(Locale.ROOT,
                        "Over the last %d runs it would have blocked %d and warned %d, preventing $%.2f",
                        sim.getRunsEvaluated(), t.getBlockedRuns(), t.getWarnedRuns(),
                        t.getPreventedCostMicros() / 1_000_000.0);
            } catch (InvalidProtocolBufferException e) {
                // A simulation this version cannot read: fall back to the rationale.
            }
        }
        return p.rationale();
    }

    private static ApprovalItem invitation(OverviewMapper.PendingInvitation i) {
        ApprovalItem.Builder b = ApprovalItem.newBuilder()
                .setKind(ApprovalKind.APPROVAL_KIND_INVITATION)
                .setResourceType("invitation").setResourceId(i.invitationId().toString())
                .setTitle("Invitation of " + i.email() + " as " + i.role())
                .setSummary(i.email() + " is invited to join as " + i.role()
                            + (i.invitedByEmail() == null ? "" : ", by " + i.invitedByEmail()))
                .setRequestedAt(Times.ts(i.createdAt()))
                .setExpiresAt(Times.ts(i.expiresAt()));
        if (i.invitedByUserId() != null) {
            b.setRequestedBy(Actor.newBuilder().setType(Actor.Type.USER).setId(i.invitedByUserId().toString())
                                     .setLabel(i.invitedByEmail() == null ? "" : i.invitedByEmail()));
        }
        return b.build();
    }

    private static Set<ApprovalKind> kinds(List<ApprovalKind> requested) {
        Set<ApprovalKind> all = EnumSet.allOf(ApprovalKind.class);
        all.remove(ApprovalKind.APPROVAL_KIND_UNSPECIFIED);
        all.remove(ApprovalKind.UNRECOGNIZED);
        if (requested.isEmpty()) {
            return all;
        }
        Set<ApprovalKind> out = EnumSet.noneOf(ApprovalKind.class);
        for (ApprovalKind k : requested) {
            if (!all.contains(k)) {
                throw Errors.invalid("kinds", "must name approval kinds such as APPROVAL_KIND_INVITATION");
            }
            out.add(k);
        }
        return out;
    }
}
