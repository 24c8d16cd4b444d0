package dev.govcon.server.overview;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import dev.govcon.proto.v1.Actor;
import dev.govcon.proto.v1.ControlAction;
import dev.govcon.proto.v1.ListRecentActivityRequest;
import dev.govcon.proto.v1.ListRecentActivityResponse;
import dev.govcon.proto.v1.RecentActivityItem;
import dev.govcon.proto.v1.RecentActivityType;
import dev.govcon.proto.v1.RunStatus;
import dev.govcon.proto.v1.Severity;
import dev.govcon.server.activity.TimeWindow;
import dev.govcon.server.auth.Principal;
import dev.govcon.server.db.Database;
import dev.govcon.server.errors.Errors;
import dev.govcon.server.overview.OverviewMapper.FeedWindow;
import dev.govcon.server.paging.Cursors;
import dev.govcon.server.paging.Page;
import dev.govcon.server.wire.Times;

/**
 * ListRecentActivity: one feed over several sources (run records, incidents opened and
 * resolved, violations, policy changes in the audit ledger), newest first, ties broken by the
 * item id (byte-wise, descending). Each source is read newest first after the cursor, one row
 * more than the page, through its tenant-first time index; the page is the first rows of
 * their merge. The cursor is the (time, id) of the last item served, so pages stay stable
 * while new items arrive.
 */
final class RecentActivity {
    static final Duration DEFAULT_WINDOW = Duration.ofDays(7);
    static final String[] COMPLETED = {"SUCCEEDED"};
    static final String[] FAILED = {"FAILED", "BLOCKED", "TIMED_OUT"};

    /** Newest first, then the id, compared as UTF-8 bytes (as PostgreSQL's "C" collation does), descending. */
    static final Comparator<RecentActivityItem> NEWEST_FIRST = Comparator
            .comparing((RecentActivityItem i) -> Times.instant(i.getOccurredAt())).reversed()
            .thenComparing((a, b) -> -compareBytes(a.getId(), b.getId()));

    private final Database database;
    private final Clock clock;

    RecentActivity(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    ListRecentActivityResponse list(Principal caller, ListRecentActivityRequest req) {
        int size = Page.size(req.getPageSize());
        Cursors.TimeKey after = Cursors.timeKey(req.getPageToken());
        Set<RecentActivityType> types = types(req.getTypesList());
        TimeWindow given = TimeWindow.optional(req.hasStartTime(), req.getStartTime(), req.hasEndTime(), req.getEndTime());
        Instant end = given.end();
        Instant start = given.start() != null ? given.start()
                : (end != null ? end : clock.instant()).minus(DEFAULT_WINDOW);
        FeedWindow w = new FeedWindow(start, end, after == null ? null : after.at(), after == null ? null : after.key(),
                                      size + 1);
        UUID tenantId = caller.tenantId();
        List<RecentActivityItem> merged = database.read(s -> {
            OverviewMapper m = s.getMapper(OverviewMapper.class);
            List<RecentActivityItem> items = new ArrayList<>();
            boolean completed = types.contains(RecentActivityType.RECENT_ACTIVITY_RUN_COMPLETED);
            boolean failed = types.contains(RecentActivityType.RECENT_ACTIVITY_RUN_FAILED);
            if (completed || failed) {
                String[] statuses = completed && failed ? concat(COMPLETED, FAILED) : completed ? COMPLETED : FAILED;
                m.recentRuns(tenantId, w, statuses).forEach(r -> items.add(FeedItems.run(r)));
            }
            if (types.contains(RecentActivityType.RECENT_ACTIVITY_INCIDENT_OPENED)) {
                m.recentIncidentsOpened(tenantId, w).forEach(r -> items.add(
                        FeedItems.incident(r, RecentActivityType.RECENT_ACTIVITY_INCIDENT_OPENED)));
            }
            if (types.contains(RecentActivityType.RECENT_ACTIVITY_INCIDENT_RESOLVED)) {
                m.recentIncidentsResolved(tenantId, w).forEach(r -> items.add(
                        FeedItems.incident(r, RecentActivityType.RECENT_ACTIVITY_INCIDENT_RESOLVED)));
            }
            if (types.contains(RecentActivityType.RECENT_ACTIVITY_VIOLATION)) {
                m.recentViolations(tenantId, w).forEach(r -> items.add(FeedItems.violation(r)));
            }
            if (types.contains(RecentActivityType.RECENT_ACTIVITY_POLICY_CHANGED)) {
                m.recentPolicyChanges(tenantId, w).forEach(r -> items.add(FeedItems.policyChange(r)));
            }
            items.sort(NEWEST_FIRST);
            return items;
        });
        List<RecentActivityItem> page = merged.stream().limit(size).toList();
        return ListRecentActivityResponse.newBuilder()
                .addAllItems(page)
                .setNextPageToken(Page.nextToken(merged, size, last ->
                        new Cursors.TimeKey(Times.instant(last.getOccurredAt()), last.getId()).encode()))
                .build();
    }

    private static Set<RecentActivityType> types(List<RecentActivityType> requested) {
        Set<RecentActivityType> all = EnumSet.allOf(RecentActivityType.class);
        all.remove(RecentActivityType.RECENT_ACTIVITY_TYPE_UNSPECIFIED);
        all.remove(RecentActivityType.UNRECOGNIZED);
        if (requested.isEmpty()) {
            return all;
        }
        Set<RecentActivityType> out = EnumSet.noneOf(RecentActivityType.class);
        for (RecentActivityType t : requested) {
            if (!all.contains(t)) {
                throw Errors.invalid("types", "must name activity types such as RECENT_ACTIVITY_RUN_FAILED");
            }
            out.add(t);
        }
        return out;
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static int compareBytes(String a, String b) {
        return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    /** One feed item per source row. */
    static final class FeedItems {
        private FeedItems() {
        }

        static RecentActivityItem run(OverviewMapper.RunItem r) {
            boolean ok = r.status().equals("SUCCEEDED");
            String verb = switch (r.status()) {
                case "SUCCEEDED" -> "completed";
                case "BLOCKED" -> "was blocked";
                case "TIMED_OUT" -> "timed out";
                default -> "failed";
            };
            String where = r.feature().isEmpty() ? r.model() : r.model() + ", " + r.feature();
            return RecentActivityItem.newBuilder()
                    .setId(r.itemKey())
                    .setType(ok ? RecentActivityType.RECENT_ACTIVITY_RUN_COMPLETED
                                : RecentActivityType.RECENT_ACTIVITY_RUN_FAILED)
                    .setOccurredAt(Times.ts(r.occurredAt()))
                    .setTitle("Run " + r.runId() + " " + verb + " (" + where + ")")
                    .setRun(RecentActivityItem.RunDetail.newBuilder()
                                    .setRunId(r.runId()).setModel(r.model()).setFeature(r.feature())
                                    .setStatus(RunStatus.valueOf(r.status())).setCostMicros(r.costMicros())
                                    .setLatencyMs(r.latencyMs()).setError(r.error()))
                    .build();
        }

        static RecentActivityItem incident(OverviewMapper.IncidentItem r, RecentActivityType type) {
            boolean opened = type == RecentActivityType.RECENT_ACTIVITY_INCIDENT_OPENED;
            RecentActivityItem.Builder b = RecentActivityItem.newBuilder()
                    .setId(r.itemKey())
                    .setType(type)
                    .setOccurredAt(Times.ts(r.occurredAt()))
                    .setTitle((opened ? "Incident opened: " : "Incident resolved: ") + r.title())
                    .setSeverity(Severities.proto(r.severity()))
                    .setIncident(RecentActivityItem.IncidentDetail.newBuilder()
                                         .setIncidentId(r.incidentId().toString()).setTitle(r.title())
                                         .setSeverity(Severities.proto(r.severity()))
                                         .setOccurrences(r.occurrenceCount()));
            Actor actor = actor(r.actorType(), r.actorId(), r.actorLabel());
            if (actor != null) {
                b.setActor(actor);
            }
            return b.build();
        }

        /** Severity of a violation by its action: BLOCK HIGH, WARN MEDIUM, LOG LOW. */
        static RecentActivityItem violation(OverviewMapper.ViolationItem r) {
            ControlAction action = ControlAction.valueOf(r.action());
            Severity severity = switch (action) {
                case BLOCK -> Severity.HIGH;
                case WARN -> Severity.MEDIUM;
                default -> Severity.LOW;
            };
            String verb = switch (action) {
                case BLOCK -> "blocked";
                case WARN -> "warned";
                default -> "logged";
            };
            String title = "'" + r.controlName() + "' " + verb + (r.message().isEmpty() ? "" : ": " + r.message());
            return RecentActivityItem.newBuilder()
                    .setId(r.itemKey())
                    .setType(RecentActivityType.RECENT_ACTIVITY_VIOLATION)
                    .setOccurredAt(Times.ts(r.occurredAt()))
                    .setTitle(title)
                    .setSeverity(severity)
                    .setViolation(RecentActivityItem.ViolationDetail.newBuilder()
                                          .setViolationId(r.violationId().toString())
                                          .setControlId(r.controlId().toString()).setControlName(r.controlName())
                                          .setAction(action).setRunId(r.runId()).setFeature(r.feature())
                                          .setModel(r.model()))
                    .build();
        }

        static RecentActivityItem policyChange(OverviewMapper.PolicyChangeItem r) {
            RecentActivityItem.Builder b = RecentActivityItem.newBuilder()
                    .setId(r.itemKey())
                    .setType(RecentActivityType.RECENT_ACTIVITY_POLICY_CHANGED)
                    .setOccurredAt(Times.ts(r.occurredAt()))
                    .setTitle("Policy change: " + r.action() + " " + r.resourceId())
                    .setPolicyChange(RecentActivityItem.PolicyChangeDetail.newBuilder()
                                             .setAuditEntryId(r.auditId().toString()).setAction(r.action())
                                             .setResourceType(r.resourceType()).setResourceId(r.resourceId()));
            Actor actor = actor(r.actorType(), r.actorId(), r.actorLabel());
            if (actor != null) {
                b.setActor(actor);
            }
            return b.build();
        }

        /** Null when nobody is recorded. */
        static Actor actor(String type, String id, String label) {
            if (type == null || type.isEmpty()) {
                return null;
            }
            Actor.Type t;
            try {
                t = Actor.Type.valueOf(type);
            } catch (IllegalArgumentException e) {
                t = Actor.Type.TYPE_UNSPECIFIED;
            }
            return Actor.newBuilder().setType(t).setId(id == null ? "" : id).setLabel(label == null ? "" : label).build();
        }
    }
}
