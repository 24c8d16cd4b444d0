package dev.govcon.server.analytics;

import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import dev.govcon.server.jobs.DailyRollupState;

/**
 * What the rollup job has folded for one tenant: its daily state (null when never folded) and
 * the UTC days late runs marked dirty since. Every {@link RollupPlan} is made from these two.
 */
record RollupCoverage(DailyRollupState state, List<LocalDate> dirtyUtc) {

    static RollupCoverage load(AnalyticsMapper m, UUID tenantId) {
        DailyRollupState state = m.dailyState(tenantId);
        return new RollupCoverage(state, state == null ? List.of() : m.dirtyDays(tenantId));
    }
}
