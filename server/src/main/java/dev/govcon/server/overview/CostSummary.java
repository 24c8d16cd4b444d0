package dev.govcon.server.overview;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import org.apache.ibatis.session.SqlSession;

import dev.govcon.proto.v1.GetCostSummaryResponse;
import dev.govcon.server.auth.Principal;
import dev.govcon.server.analytics.RollupPlan;
import dev.govcon.server.db.Database;
import dev.govcon.server.policies.LimitUsages;
import dev.govcon.server.policies.PolicyLimitRow;
import dev.govcon.server.wire.Times;

/**
 * GetCostSummary: spend today and this month (calendar day and month in the tenant's time
 * zone), the month-end forecast ({@link MonthEndForecast}), and the tightest tenant-wide
 * monthly spend limit. Spend is read from the rollups (whole folded days from the daily ones); only when a boundary does not
 * fall on a whole UTC hour (a zone such as Asia/Kolkata) is the part of that one hour after
 * the boundary read from run records, so the figures are exact in every zone.
 */
final class CostSummary {
    private final Database database;
    private final Clock clock;

    CostSummary(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    GetCostSummaryResponse get(Principal caller) {
        Instant now = clock.instant();
        UUID tenantId = caller.tenantId();
        return database.read(s -> {
            ZoneId zone = LimitUsages.zone(s, tenantId);
            LocalDate today = now.atZone(zone).toLocalDate();
            LocalDate firstOfMonth = today.withDayOfMonth(1);
            Instant dayStart = today.atStartOfDay(zone).toInstant();
            Instant monthStart = firstOfMonth.atStartOfDay(zone).toInstant();
            Instant monthEnd = firstOfMonth.plusMonths(1).atStartOfDay(zone).toInstant();
            long todaySpend = spendSince(s, tenantId, zone, dayStart);
            long monthToDate = spendSince(s, tenantId, zone, monthStart);
            MonthEndForecast.Result forecast = MonthEndForecast.of(s, tenantId, zone, today, monthToDate, todaySpend);

            GetCostSummaryResponse.Builder out = GetCostSummaryResponse.newBuilder()
                    .setTimeZone(zone.getId())
                    .setTodayMicros(todaySpend)
                    .setMonthToDateMicros(monthToDate)
                    .setForecastMonthEndMicros(forecast.value())
                    .setForecastLowerMicros(forecast.lower())
                    .setForecastUpperMicros(forecast.upper())
                    .setMonthStart(Times.ts(monthStart))
                    .setMonthEnd(Times.ts(monthEnd))
                    .setAsOf(Times.ts(now));
            tightestMonthlyLimit(s.getMapper(OverviewMapper.class).activeLimitRows(tenantId)).ifPresent(l -> {
                out.setMonthlyLimitId(l.limitId().toString())
                        .setMonthlyLimitMicros(l.amount())
                        .setMonthToDateLimitRatio((double) monthToDate / l.amount())
                        .setForecastLimitRatio((double) forecast.value() / l.amount());
            });
            return out.build();
        });
    }

    /** Spend of runs ending at or after {@code from}. */
    static long spendSince(SqlSession s, UUID tenantId, ZoneId zone, Instant from) {
        OverviewMapper m = s.getMapper(OverviewMapper.class);
        Instant firstWholeHour = from.truncatedTo(ChronoUnit.HOURS);
        long partial = 0;
        if (firstWholeHour.isBefore(from)) {
            firstWholeHour = firstWholeHour.plus(1, ChronoUnit.HOURS);
            partial = m.recordTotals(tenantId, from, firstWholeHour).costMicros();
        }
        // No upper bound: every hour from there on (from is at most a month ago).
        Instant end = firstWholeHour.plus(java.time.Duration.ofDays(400));
        RollupPlan plan = RollupPlan.totalsForTenant(s, tenantId, firstWholeHour, end, zone);
        return partial + m.rollupTotals(tenantId, plan).costMicros();
    }

    /** ACTIVE SPEND_PER_MONTH limits with no scope: the smallest amount (then the oldest). */
    static java.util.Optional<PolicyLimitRow> tightestMonthlyLimit(List<PolicyLimitRow> active) {
        return active.stream()
                .filter(l -> l.limitKind().equals("SPEND_PER_MONTH"))
                .filter(l -> l.scopeFeature().isEmpty() && l.scopeModel().isEmpty() && l.scopeEndUser().isEmpty()
                             && l.scopeApiKeyId().isEmpty() && l.scopeProvider().isEmpty()
                             && l.scopeEnvironment().isEmpty())
                .min(Comparator.comparingLong(PolicyLimitRow::amount));
    }
}
