package dev.govcon.server.overview;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.apache.ibatis.annotations.Param;

import dev.govcon.server.analytics.RollupPlan;
import dev.govcon.server.db.Mapper;
import dev.govcon.server.policies.PolicyLimitRow;

/**
 * The overview's reads over other domains' tables. Aggregates of runs come from the rollups
 * (whole folded days daily, the rest hourly: {@link RollupPlan}); everything else from small tables through tenant-first indexes.
 */
public interface OverviewMapper extends Mapper {

    // ---- Runs and spend ----

    /** Finished runs counted in the rollup hours of {@code plan} (hourly and daily rows). */
    RunTotals rollupTotals(@Param("tenantId") UUID tenantId, @Param("plan") RollupPlan plan);

    /** Finished runs ending in [from, to), from run records: only for less than an hour. */
    RunTotals recordTotals(@Param("tenantId") UUID tenantId, @Param("from") Instant from, @Param("to") Instant to);

    /** Spend per tenant-zone day of the rollup hours of {@code plan}, oldest first. */
    List<DaySpend> dailySpend(@Param("tenantId") UUID tenantId, @Param("plan") RollupPlan plan,
                              @Param("zone") String zone);

    /**
     * Every count of the highlights in one statement: runs of the rollup hours of {@code plan}
     * (hours only) split at lastStart, and the small tables' counts.
     */
    HighlightCounts highlightCounts(@Param("tenantId") UUID tenantId, @Param("plan") RollupPlan plan,
                                    @Param("lastStart") Instant lastStart,
                                    @Param("violationsSince") Instant violationsSince, @Param("now") Instant now);

    // ---- Controls and violations ----

    /** ACTIVE limits, in creation order. */
    List<PolicyLimitRow> activeLimitRows(@Param("tenantId") UUID tenantId);

    /** OPEN risk signals of severity HIGH or CRITICAL, most severe then newest first. */
    List<SignalRef> openHighSignals(@Param("tenantId") UUID tenantId);

    // ---- Incidents and proposals (tables of the incidents domain, V9) ----

    /** Incidents not resolved (ACTIVE or ACKNOWLEDGED), most severe then oldest first. */
    List<PulseFacts.OpenIncident> openIncidents(@Param("tenantId") UUID tenantId);

    /** Proposals waiting for a decision: PENDING, or DEFERRED until a time now past. */
    long countPendingProposals(@Param("tenantId") UUID tenantId, @Param("now") Instant now);

    /** ACTIVE (unacknowledged) incidents. */
    List<UnacknowledgedIncident> unacknowledgedIncidents(@Param("tenantId") UUID tenantId);

    /** Pending proposals (as above), oldest first, after the (at, key) cursor when given. */
    List<PendingProposal> pendingProposals(@Param("tenantId") UUID tenantId, @Param("now") Instant now,
                                           @Param("afterAt") Instant afterAt, @Param("afterKey") String afterKey,
                                           @Param("limit") int limit);

    // ---- Recent activity: each source newest first, after the (at, key) cursor ----

    List<RunItem> recentRuns(@Param("tenantId") UUID tenantId, @Param("w") FeedWindow window,
                             @Param("statuses") String[] statuses);

    List<IncidentItem> recentIncidentsOpened(@Param("tenantId") UUID tenantId, @Param("w") FeedWindow window);

    List<IncidentItem> recentIncidentsResolved(@Param("tenantId") UUID tenantId, @Param("w") FeedWindow window);

    List<ViolationItem> recentViolations(@Param("tenantId") UUID tenantId, @Param("w") FeedWindow window);

    List<PolicyChangeItem> recentPolicyChanges(@Param("tenantId") UUID tenantId, @Param("w") FeedWindow window);

    // ---- Decisions and approvals ----

    /** API keys neither revoked nor rotated whose expiry falls in (now, until]. */
    List<ExpiringKey> expiringKeys(@Param("tenantId") UUID tenantId, @Param("now") Instant now,
                                   @Param("until") Instant until);

    /** Pending invitations not yet expired, oldest first, after the (at, id) cursor. */
    List<PendingInvitation> pendingInvitations(@Param("tenantId") UUID tenantId, @Param("now") Instant now,
                                               @Param("afterAt") Instant afterAt, @Param("afterKey") String afterKey,
                                               @Param("limit") int limit);

    long countPendingInvitations(@Param("tenantId") UUID tenantId, @Param("now") Instant now);

    record RunTotals(long runs, long failedRuns, long costMicros) {
        static final RunTotals NONE = new RunTotals(0, 0, 0);

        RunTotals plus(RunTotals o) {
            return new RunTotals(runs + o.runs, failedRuns + o.failedRuns, costMicros + o.costMicros);
        }
    }

    record HighlightCounts(long runsLast, long failedLast, long spendLast, long runsPrevious, long spendPrevious,
                           long liveRuns, long activeRules, long activeLimits, long violations, long openProposals,
                           long criticalIncidents, long highIncidents, long mediumIncidents, long lowIncidents) {
    }

    record DaySpend(java.time.LocalDate day, long costMicros) {
    }

    record SignalRef(UUID signalId, String signalType, String severity, String dimension, String dimensionKey,
                     String message, Instant lastSeenAt) {
    }

    /** [start, end) of the feed (end null = open), the cursor and how many rows to fetch. */
    record FeedWindow(Instant start, Instant end, Instant afterAt, String afterKey, int limit) {
    }

    record RunItem(String itemKey, Instant occurredAt, String runId, String model, String feature, String status,
                   long costMicros, long latencyMs, String error) {
    }

    record IncidentItem(String itemKey, Instant occurredAt, UUID incidentId, String title, String severity,
                        long occurrenceCount, String actorType, String actorId, String actorLabel) {
    }

    record UnacknowledgedIncident(UUID incidentId, String title, String severity, Instant openedAt,
                                  long occurrenceCount) {
    }

    /** {@code simulatedEffect}: the limit simulation as proto JSON, or null. */
    record PendingProposal(String itemKey, UUID proposalId, String title, String rationale, String kind,
                           String lessonSeverity, Instant createdAt, String simulatedEffect) {
    }

    record ViolationItem(String itemKey, Instant occurredAt, UUID violationId, UUID controlId, String controlName,
                         String controlKind, String action, String runId, String feature, String model,
                         String message) {
    }

    record PolicyChangeItem(String itemKey, Instant occurredAt, UUID auditId, String action, String resourceType,
                            String resourceId, String actorType, String actorId, String actorLabel) {
    }

    record ExpiringKey(UUID keyId, String name, String prefix, String role, Instant createdAt, Instant expiresAt) {
    }

    record PendingInvitation(String itemKey, UUID invitationId, String email, String role, Instant createdAt,
                             Instant expiresAt, UUID invitedByUserId, String invitedByEmail) {
    }
}
