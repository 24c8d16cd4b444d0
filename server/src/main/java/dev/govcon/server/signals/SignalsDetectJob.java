package dev.govcon.server.signals;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import org.apache.ibatis.session.SqlSession;

import dev.govcon.proto.v1.LimitKind;
import dev.govcon.server.jobs.Job;
import dev.govcon.server.jobs.JobContext;
import dev.govcon.server.policies.LimitWindow;
import dev.govcon.server.tenancy.TenantMapper;

/**
 * signals-detect: every five minutes, for each tenant, from the hourly rollups of the last
 * eight days (and 35 days of daily spend):
 * <ul>
 * <li>risk signals of the last complete hour ({@link SpikeRules}) and budget burn of each ACTIVE
 *     spend limit ({@link Projection}), merged into {@code risk_signals}: a thing still detected
 *     keeps its OPEN row (value, severity, last seen updated), one no longer detected is
 *     CLEARED, a new one opens a row;</li>
 * <li>anomalies of the 24 complete hours before now ({@link AnomalyRules}), kept in
 *     {@code anomalies} by a stable id;</li>
 * <li>predictions (limit exhaustion, month-end spend), written at most once per subject per
 *     clock hour, and the actual spend of predictions whose window has ended.</li>
 * </ul>
 * Each tenant is one transaction, so a reader never sees half a round.
 */
public final class SignalsDetectJob implements Job {
    public static final String NAME = "signals-detect";
    static final int HISTORY_HOURS = 8 * 24;
    static final int ANOMALY_HOURS = 24;
    static final int DAILY_HISTORY_DAYS = 36;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Detects risk signals and anomalies and makes spend predictions from the hourly rollups";
    }

    @Override
    public Duration interval() {
        return Duration.ofMinutes(5);
    }

    @Override
    public long run(JobContext context) {
        Instant now = context.clock().instant();
        List<UUID> tenants = context.database().read(s -> s.getMapper(SignalsMapper.class).tenantIds());
        long items = 0;
        for (UUID tenant : tenants) {
            items += context.database().inTransaction(s -> detect(s, tenant, now));
        }
        return items;
    }

    /** One round for one tenant; returns the signals, anomalies and predictions written. */
    static long detect(SqlSession session, UUID tenantId, Instant now) {
        SignalsMapper m = session.getMapper(SignalsMapper.class);
        ZoneId zone = ZoneId.of(session.getMapper(TenantMapper.class).find(tenantId).timeZone());
        Instant currentHour = now.truncatedTo(ChronoUnit.HOURS);
        Instant from = currentHour.minus(Duration.ofHours(HISTORY_HOURS));
        HourlySeries series = HourlySeries.of(from, HISTORY_HOURS + 1,
                                              m.hours(tenantId, from, currentHour.plus(Duration.ofHours(1))));
        int current = HISTORY_HOURS;
        List<Detected> detected = new ArrayList<>(SpikeRules.detect(series, current - 1));

        Instant daysFrom = now.atZone(zone).toLocalDate().minusDays(DAILY_HISTORY_DAYS).atStartOfDay(zone).toInstant();
        List<DayRow> days = m.days(tenantId, zone.getId(), daysFrom, currentHour.plus(Duration.ofHours(1)));
        LocalDate firstDay = days.stream().map(DayRow::day).min(LocalDate::compareTo).orElse(null);
        long written = 0;
        for (SpendLimitRow limit : m.spendLimits(tenantId)) {
            if (!limit.followable()) {
                continue;
            }
            LimitWindow window = LimitWindow.of(limit.limitKind().equals("SPEND_PER_DAY")
                    ? LimitKind.LIMIT_KIND_SPEND_PER_DAY : LimitKind.LIMIT_KIND_SPEND_PER_MONTH, now, zone);
            Projection p = project(limit, window, series, current, days, firstDay, zone, now);
            if (p.exhaustion() != null && p.exhaustion().isBefore(window.end())) {
                detected.add(BudgetBurn.signal(limit, p, window));
            }
            written += predict(m, tenantId, "LIMIT_EXHAUSTION", limit, window, p, now, currentHour);
        }
        LimitWindow month = LimitWindow.of(LimitKind.LIMIT_KIND_SPEND_PER_MONTH, now, zone);
        if (firstDay != null) {
            Projection monthEnd = Projection.holt(daily(days, SpendLimitRow.everything()), firstDay, zone, now,
                                                  month.start(), month.end(), 0);
            if (monthEnd != null) {
                written += predict(m, tenantId, "MONTH_END_SPEND", SpendLimitRow.everything(), month, monthEnd, now,
                                   currentHour);
            }
        }
        m.fillActuals(tenantId, now);

        written += mergeSignals(m, tenantId, detected, now);

        int anomalyTo = current;
        List<AnomalyRow> anomalies = AnomalyRules.detect(tenantId, series, anomalyTo - ANOMALY_HOURS, anomalyTo, now);
        for (AnomalyRow a : anomalies) {
            m.upsertAnomaly(a);
        }
        m.deleteAnomaliesExcept(tenantId, series.hourAt(anomalyTo - ANOMALY_HOURS), series.hourAt(anomalyTo),
                                anomalies.stream().map(a -> a.anomalyId().toString()).toArray(String[]::new));
        return written + anomalies.size();
    }

    private static Projection project(SpendLimitRow limit, LimitWindow window, HourlySeries series, int current,
                                      List<DayRow> days, LocalDate firstDay, ZoneId zone, Instant now) {
        if (limit.limitKind().equals("SPEND_PER_MONTH") && firstDay != null) {
            Projection p = Projection.holt(daily(days, limit), firstDay, zone, now, window.start(), window.end(),
                                           limit.amount());
            if (p != null) {
                return p;
            }
        }
        double[] hourly = series.spend(limit);
        return Projection.runRate(series, hourly, current, now, window.start(), window.end(), limit.amount());
    }

    private static Map<LocalDate, Long> daily(List<DayRow> days, SpendLimitRow scope) {
        Map<LocalDate, Long> out = new HashMap<>();
        for (DayRow d : days) {
            if (scope.matches(d)) {
                out.merge(d.day(), d.costMicros(), Long::sum);
            }
        }
        return out;
    }

    /** Writes the prediction unless one for the same subject was made this clock hour. */
    private static int predict(SignalsMapper m, UUID tenantId, String kind, SpendLimitRow limit, LimitWindow window,
                               Projection p, Instant now, Instant currentHour) {
        Instant last = m.lastPredictionAt(tenantId, kind, limit.limitId());
        if (last != null && !last.isBefore(currentHour)) {
            return 0;
        }
        m.insertPrediction(new PredictionRow(tenantId, UUID.randomUUID(), kind, limit.limitId(), limit.name(), now,
                window.start(), window.end(), p.exhaustion(), p.predictedMicros(), p.lowerMicros(),
                p.upperMicros(), p.confidence(), p.currentMicros(), limit.amount(), p.method(),
                limit.scopeFeature(), limit.scopeModel(), limit.scopeProvider(), limit.scopeEnvironment(), null));
        return 1;
    }

    private static int mergeSignals(SignalsMapper m, UUID tenantId, List<Detected> detected, Instant now) {
        Map<String, SignalRow> open = new HashMap<>();
        for (SignalRow r : m.openSignals(tenantId)) {
            open.put(key(r.signalType(), r.dimension(), r.dimensionKey(), r.limitId()), r);
        }
        for (Detected d : detected) {
            String k = key(d.type(), d.watched().dimension(), d.watched().key(), d.limitId());
            SignalRow existing = open.remove(k);
            m.upsertSignal(tenantId, existing == null ? UUID.randomUUID() : existing.signalId(), d,
                           d.watched().dimension(), d.watched().key(), now);
        }
        for (SignalRow gone : open.values()) {
            m.clearSignal(tenantId, gone.signalId(), now);
        }
        return detected.size() + open.size();
    }

    private static String key(String type, String dimension, String dimensionKey, UUID limitId) {
        return type + "|" + dimension + "|" + dimensionKey + "|" + Objects.toString(limitId, "");
    }
}
