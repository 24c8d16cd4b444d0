package dev.govcon.server.overview;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import dev.govcon.proto.v1.GetHighlightsResponse;
import dev.govcon.proto.v1.Severity;
import dev.govcon.server.auth.Principal;
import dev.govcon.server.db.Database;
import dev.govcon.server.overview.OverviewMapper.RunTotals;
import dev.govcon.server.wire.Times;

/**
 * GetHighlights. Runs and spend come from {@code run_rollups_hourly}, so "the last 24 h" is
 * the current hour and the 23 whole hours before it (a run counts by the hour it ended in),
 * and "the 24 h before" the 24 hours before those: the answer costs the same whatever the
 * number of runs. Violations are counted exactly over the last 24 hours.
 */
final class Highlights {
    static final Duration DAY = Duration.ofHours(24);

    private final Database database;
    private final Clock clock;

    Highlights(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    GetHighlightsResponse get(Principal caller) {
        Instant now = clock.instant();
        Instant lastStart = now.truncatedTo(ChronoUnit.HOURS).minus(23, ChronoUnit.HOURS);
        Instant previousStart = lastStart.minus(DAY);
        UUID tenantId = caller.tenantId();
        return database.read(s -> {
            OverviewMapper m = s.getMapper(OverviewMapper.class);
            RunTotals last = m.rollupTotals(tenantId, lastStart, null);
            RunTotals previous = m.rollupTotals(tenantId, previousStart, lastStart);
            Map<String, Long> bySeverity = new HashMap<>();
            m.openIncidentsBySeverity(tenantId).forEach(c -> bySeverity.put(c.severity(), c.count()));
            GetHighlightsResponse.Builder out = GetHighlightsResponse.newBuilder()
                    .setAsOf(Times.ts(now))
                    .setRunsLast24H(last.runs())
                    .setRunsPrevious24H(previous.runs())
                    .setFailedRunsLast24H(last.failedRuns())
                    .setSpendLast24HMicros(last.costMicros())
                    .setSpendPrevious24HMicros(previous.costMicros())
                    .setLiveRuns(m.liveRuns(tenantId))
                    .setActiveIncidents(bySeverity.values().stream().mapToLong(Long::longValue).sum())
                    .setActiveRules(m.activeRules(tenantId))
                    .setActiveLimits(m.activeLimitRows(tenantId).size())
                    .setViolationsLast24H(m.violationsSince(tenantId, now.minus(DAY)))
                    .setOpenProposals(m.countPendingProposals(tenantId, now));
            for (Severity sev : new Severity[] {Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW}) {
                out.addActiveIncidentsBySeverity(GetHighlightsResponse.SeverityCount.newBuilder()
                        .setSeverity(sev).setCount(bySeverity.getOrDefault(sev.name(), 0L)));
            }
            return out.build();
        });
    }
}
