package dev.govcon.server.overview;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import dev.govcon.proto.v1.DecisionItem;
import dev.govcon.proto.v1.DecisionKind;
import dev.govcon.proto.v1.ListDecisionsRequest;
import dev.govcon.proto.v1.ListDecisionsResponse;
import dev.govcon.proto.v1.Role;
import dev.govcon.proto.v1.Severity;
import dev.govcon.server.auth.Principal;
import dev.govcon.server.db.Database;
import dev.govcon.server.errors.Errors;
import dev.govcon.server.paging.Cursors;
import dev.govcon.server.paging.Page;
import dev.govcon.server.wire.Times;

/**
 * ListDecisions: what waits for a person. ACTIVE incidents nobody has acknowledged (their
 * severity, MEMBER may act), proposals waiting for a decision (the severity of their lesson,
 * MEDIUM without one; ADMIN), and API keys that expire within {@link #KEY_HORIZON}, not
 * revoked and not already replaced by a rotation (HIGH within {@link #KEY_URGENT}, else
 * MEDIUM; ADMIN). Most urgent first: severity, then due date (keys; none last), then age
 * (oldest first), then the item key. The open set is small (what people have not dealt with
 * yet), so it is read whole and the keyset cursor (the sort key of the last item served) is
 * applied to it.
 */
final class Decisions {
    static final Duration KEY_HORIZON = Duration.ofDays(14);
    static final Duration KEY_URGENT = Duration.ofDays(3);

    private static final Comparator<Entry> MOST_URGENT_FIRST = Comparator
            .comparingInt((Entry e) -> -e.item().getSeverityValue())
            .thenComparingLong(Entry::dueKey)
            .thenComparingLong(Entry::createdKey)
            .thenComparing((a, b) -> RecentActivity.compareBytes(a.key(), b.key()));

    private final Database database;
    private final Clock clock;

    Decisions(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /** A decision with its sort key: due and created as epoch microseconds (no due date: last). */
    record Entry(DecisionItem item, long dueKey, long createdKey, String key) {
        static Entry of(DecisionItem item) {
            long due = item.hasDueAt() ? micros(Times.instant(item.getDueAt())) : Long.MAX_VALUE;
            return new Entry(item, due, micros(Times.instant(item.getCreatedAt())),
                             item.getResourceType() + ":" + item.getResourceId());
        }

        String token() {
            return Cursors.encode(Integer.toString(item.getSeverityValue()), Long.toString(dueKey),
                                  Long.toString(createdKey), key);
        }

        static Entry fromToken(String token) {
            String[] p = Cursors.decode(token, 4);
            if (p == null) {
                return null;
            }
            try {
                DecisionItem probe = DecisionItem.newBuilder().setSeverityValue(Integer.parseInt(p[0])).build();
                return new Entry(probe, Long.parseLong(p[1]), Long.parseLong(p[2]), p[3]);
            } catch (NumberFormatException e) {
                throw Errors.invalid("page_token", "is not a token this list returned");
            }
        }
    }

    ListDecisionsResponse list(Principal caller, ListDecisionsRequest req) {
        int size = Page.size(req.getPageSize());
        Entry after = Entry.fromToken(req.getPageToken());
        Set<DecisionKind> kinds = kinds(req.getKindsList());
        Instant now = clock.instant();
        UUID tenantId = caller.tenantId();
        List<Entry> all = database.read(s -> {
            OverviewMapper m = s.getMapper(OverviewMapper.class);
            List<Entry> out = new ArrayList<>();
            if (kinds.contains(DecisionKind.DECISION_KIND_ACKNOWLEDGE_INCIDENT)) {
                m.unacknowledgedIncidents(tenantId).forEach(i -> out.add(Entry.of(incident(i, now))));
            }
            if (kinds.contains(DecisionKind.DECISION_KIND_REVIEW_PROPOSAL)) {
                m.pendingProposals(tenantId, now, null, null, Integer.MAX_VALUE)
                        .forEach(p -> out.add(Entry.of(proposal(p))));
            }
            if (kinds.contains(DecisionKind.DECISION_KIND_RENEW_API_KEY)) {
                m.expiringKeys(tenantId, now, now.plus(KEY_HORIZON)).forEach(k -> out.add(Entry.of(key(k, now))));
            }
            return out;
        });
        List<Entry> sorted = all.stream().sorted(MOST_URGENT_FIRST)
                .filter(e -> after == null || MOST_URGENT_FIRST.compare(e, after) > 0)
                .limit(size + 1L)
                .toList();
        return ListDecisionsResponse.newBuilder()
                .addAllItems(sorted.stream().limit(size).map(Entry::item).toList())
                .setNextPageToken(Page.nextToken(sorted, size, Entry::token))
                .setTotalCount(all.size())
                .build();
    }

    private static DecisionItem incident(OverviewMapper.UnacknowledgedIncident i, Instant now) {
        String age = Durations.human(Duration.between(i.openedAt(), now));
        return DecisionItem.newBuilder()
                .setKind(DecisionKind.DECISION_KIND_ACKNOWLEDGE_INCIDENT)
                .setResourceType("incident").setResourceId(i.incidentId().toString())
                .setTitle(i.title())
                .setReason("Open for " + age + " with " + i.occurrenceCount()
                           + (i.occurrenceCount() == 1 ? " occurrence" : " occurrences") + "; nobody has acknowledged it")
                .setSeverity(Severities.proto(i.severity()))
                .setCreatedAt(Times.ts(i.openedAt()))
                .setRequiredRole(Role.MEMBER)
                .build();
    }

    private static DecisionItem proposal(OverviewMapper.PendingProposal p) {
        Severity severity = Severities.proto(p.lessonSeverity());
        return DecisionItem.newBuilder()
                .setKind(DecisionKind.DECISION_KIND_REVIEW_PROPOSAL)
                .setResourceType("policy_proposal").setResourceId(p.proposalId().toString())
                .setTitle(p.title())
                .setReason("A proposed " + p.kind().toLowerCase(java.util.Locale.ROOT)
                           + " waits to be accepted or deferred" + (p.rationale().isEmpty() ? "" : ": " + p.rationale()))
                .setSeverity(severity == Severity.SEVERITY_UNSPECIFIED ? Severity.MEDIUM : severity)
                .setCreatedAt(Times.ts(p.createdAt()))
                .setRequiredRole(Role.ADMIN)
                .build();
    }

    private static DecisionItem key(OverviewMapper.ExpiringKey k, Instant now) {
        Duration left = Duration.between(now, k.expiresAt());
        return DecisionItem.newBuilder()
                .setKind(DecisionKind.DECISION_KIND_RENEW_API_KEY)
                .setResourceType("api_key").setResourceId(k.keyId().toString())
                .setTitle("API key '" + k.name() + "' (" + k.prefix() + ") expires soon")
                .setReason("Expires in " + Durations.human(left) + "; calls with it will then be refused. "
                           + "Rotate it or create a replacement.")
                .setSeverity(left.compareTo(KEY_URGENT) <= 0 ? Severity.HIGH : Severity.MEDIUM)
                .setCreatedAt(Times.ts(k.createdAt()))
                .setDueAt(Times.ts(k.expiresAt()))
                .setRequiredRole(Role.ADMIN)
                .build();
    }

    private static Set<DecisionKind> kinds(List<DecisionKind> requested) {
        Set<DecisionKind> all = EnumSet.allOf(DecisionKind.class);
        all.remove(DecisionKind.DECISION_KIND_UNSPECIFIED);
        all.remove(DecisionKind.UNRECOGNIZED);
        if (requested.isEmpty()) {
            return all;
        }
        Set<DecisionKind> out = EnumSet.noneOf(DecisionKind.class);
        for (DecisionKind k : requested) {
            if (!all.contains(k)) {
                throw Errors.invalid("kinds", "must name decision kinds such as DECISION_KIND_RENEW_API_KEY");
            }
            out.add(k);
        }
        return out;
    }

    static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000;
    }
}
