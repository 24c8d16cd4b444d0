package dev.govcon.server.analytics;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.govcon.proto.v1.CostForecastPoint;
import dev.govcon.proto.v1.GetCostForecastRequest;
import dev.govcon.proto.v1.GetCostForecastResponse;
import dev.govcon.proto.v1.Granularity;
import dev.govcon.server.auth.Principal;
import dev.govcon.server.db.Database;
import dev.govcon.server.errors.Errors;
import dev.govcon.server.stats.Forecast;
import dev.govcon.server.wire.Times;

/**
 * Daily spend for the next N days with an 80% prediction interval: Holt's linear trend method
 * ({@link Forecast#holt}) fitted on the whole days (tenant time zone) of the window, from the
 * hourly rollups, clamped at zero. The forecast starts with the day after the last whole day
 * of the window (for the default window, today).
 */
final class CostForecasts {
    static final String METHOD = "holt_linear_trend";
    static final String DESCRIPTION = "Holt's linear trend (double exponential smoothing, additive trend, no "
            + "seasonality) fitted on the window's whole days; smoothing parameters chosen on a 0.05 grid by least "
            + "squared one-step errors; ETS(A,A,N) prediction intervals; values clamped at 0";
    static final double LEVEL = 0.8;
    static final int DEFAULT_HORIZON = 30;
    static final int MAX_HORIZON = 90;

    private final Database database;
    private final Clock clock;
    private final CostAnalytics windows;

    CostForecasts(Database database, Clock clock, CostAnalytics windows) {
        this.database = database;
        this.clock = clock;
        this.windows = windows;
    }

    GetCostForecastResponse forecast(Principal caller, GetCostForecastRequest req) {
        RollupFilter f = RollupFilter.of(req.getModel(), req.getProvider(), req.getFeature(), req.getEnvironment());
        int horizon = req.getHorizonDays() == 0 ? DEFAULT_HORIZON : req.getHorizonDays();
        if (horizon < 1 || horizon > MAX_HORIZON) {
            throw Errors.invalid("horizon_days", "must be between 1 and " + MAX_HORIZON + " (0 for the default, "
                                                 + DEFAULT_HORIZON + ")");
        }
        Instant now = clock.instant();
        return database.read(s -> {
            AnalyticsWindow requested = windows.window(s, caller, req.hasStartTime(), req.getStartTime(),
                                                       req.hasEndTime(), req.getEndTime(), Granularity.DAY);
            List<Instant> days = requested.buckets(Granularity.DAY);
            // Whole days only: a partial first or last day would read as a drop in spend.
            List<Instant> whole = new ArrayList<>();
            for (int i = 0; i < days.size(); i++) {
                Instant next = i + 1 < days.size() ? days.get(i + 1) : nextDay(requested, days.get(i));
                if (!days.get(i).isBefore(requested.start()) && !next.isAfter(requested.end())) {
                    whole.add(days.get(i));
                }
            }
            if (whole.isEmpty()) {
                throw Errors.invalid("start_time", "the window must hold at least one whole day (tenant time zone "
                                                   + requested.zone().getId() + ") to forecast from");
            }
            Instant historyEnd = nextDay(requested, whole.get(whole.size() - 1));
            AnalyticsWindow fitted = new AnalyticsWindow(whole.get(0), historyEnd, requested.zone(), Granularity.DAY);
            Map<Instant, RollupRow> daily = new Rollups(s, caller.tenantId(), fitted, f).totalSeries(Granularity.DAY);
            double[] y = daily.values().stream().mapToDouble(RollupRow::costMicros).toArray();
            Forecast fc = Forecast.holt(y, horizon, LEVEL).nonNegative();
            GetCostForecastResponse.Builder out = GetCostForecastResponse.newBuilder()
                    .setMethod(METHOD).setMethodDescription(DESCRIPTION).setIntervalLevelRatio(LEVEL)
                    .setGeneratedTime(Times.ts(now));
            daily.values().forEach(r -> out.addHistory(CostAnalytics.point(r, "")));
            Instant day = historyEnd;
            for (Forecast.Point p : fc.points()) {
                out.addPoints(CostForecastPoint.newBuilder().setDayStartTime(Times.ts(day))
                        .setPredictedCostMicros(Math.round(p.value())).setLowerCostMicros(Math.round(p.low()))
                        .setUpperCostMicros(Math.round(p.high())));
                day = nextDay(requested, day);
            }
            return out.setTotalPredictedCostMicros(Math.round(fc.total().value()))
                    .setTotalLowerCostMicros(Math.round(fc.total().low()))
                    .setTotalUpperCostMicros(Math.round(fc.total().high())).build();
        });
    }

    private static Instant nextDay(AnalyticsWindow w, Instant dayStart) {
        return dayStart.atZone(w.zone()).plusDays(1).truncatedTo(java.time.temporal.ChronoUnit.DAYS).toInstant();
    }
}
