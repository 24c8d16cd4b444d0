package dev.govcon.server.overview;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import dev.govcon.proto.v1.GetHighlightsResponse;
import dev.govcon.proto.v1.Severity;
import dev.govcon.server.analytics.RollupPlan;
import dev.govcon.server.auth.Principal;
import dev.govcon.server.db.Database;
import dev.govcon.server.overview.OverviewMapper.HighlightCounts;
import dev.govcon.server.wire.Times;

/**
 * GetHighlights, read in one statement (after the rollup state and dirty days that say which
 * hours the narrow rollups hold: {@link RollupPlan#narrowHours}). Runs and spend come from the
 * hourly rollups (narrow where the job folded them, wide for the last few hours),
 * so "the last 24 h" is the current hour and the 23 whole hours before it (a run counts by the
 * hour it ended in), and "the 24 h before" the 24 hours before those: the answer costs the same
 * whatever the number of runs. Violations are counted exactly over the last 24 hours.
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
        HighlightCounts c = database.read(s -> s.getMapper(OverviewMapper.class).highlightCounts(
                caller.tenantId(), RollupPlan.narrowHours(s, caller.tenantId(), lastStart.minus(DAY), lastStart.plus(DAY)),
                lastStart, now.minus(DAY), now));
        return GetHighlightsResponse.newBuilder()
                .setAsOf(Times.ts(now))
                .setRunsLast24H(c.runsLast())
                .setRunsPrevious24H(c.runsPrevious())
                .setFailedRunsLast24H(c.failedLast())
                .setSpendLast24HMicros(c.spendLast())
                .setSpendPrevious24HMicros(c.spendPrevious())
                .setLiveRuns(c.liveRuns())
                .setActiveIncidents(c.criticalIncidents() + c.highIncidents() + c.mediumIncidents() + c.lowIncidents())
                .addActiveIncidentsBySeverity(count(Severity.CRITICAL, c.criticalIncidents()))
                .addActiveIncidentsBySeverity(count(Severity.HIGH, c.highIncidents()))
                .addActiveIncidentsBySeverity(count(Severity.MEDIUM, c.mediumIncidents()))
                .addActiveIncidentsBySeverity(count(Severity.LOW, c.lowIncidents()))
                .setActiveRules(c.activeRules())
                .setActiveLimits(c.activeLimits())
                .setViolationsLast24H(c.violations())
                .setOpenProposals(c.openProposals())
                .build();
    }

    private static GetHighlightsResponse.SeverityCount count(Severity severity, long n) {
        return GetHighlightsResponse.SeverityCount.newBuilder().setSeverity(severity).setCount(n).build();
    }
}
