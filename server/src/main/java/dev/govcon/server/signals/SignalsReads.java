package dev.govcon.server.signals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import dev.govcon.proto.v1.AnomalyMetric;
import dev.govcon.proto.v1.Dimension;
import dev.govcon.proto.v1.GetPredictionsSummaryResponse;
import dev.govcon.proto.v1.LimitKind;
import dev.govcon.proto.v1.ListAnomaliesRequest;
import dev.govcon.proto.v1.ListAnomaliesResponse;
import dev.govcon.proto.v1.ListPredictionsRequest;
import dev.govcon.proto.v1.ListPredictionsResponse;
import dev.govcon.proto.v1.ListSignalsRequest;
import dev.govcon.proto.v1.ListSignalsResponse;
import dev.govcon.proto.v1.PredictionKind;
import dev.govcon.proto.v1.Severity;
import dev.govcon.proto.v1.SignalState;
import dev.govcon.proto.v1.SignalType;
import dev.govcon.server.activity.ActivityReads;
import dev.govcon.server.activity.TimeWindow;
import dev.govcon.server.auth.Principal;
import dev.govcon.server.analytics.RollupPlan;
import dev.govcon.server.db.Database;
import dev.govcon.server.errors.Errors;
import dev.govcon.server.errors.Validate;
import dev.govcon.server.paging.Page;
import dev.govcon.server.policies.LimitWindow;
import dev.govcon.server.tenancy.TenantMapper;
import dev.govcon.server.wire.Times;

/**
 * The read side of signals, predictions and anomalies, as the signals-detect job left them.
 * Lists are newest first with keyset paging; time windows default to the last 7 days and
 * include their end.
 */
public final class SignalsReads {
    static final Duration DEFAULT_WINDOW = Duration.ofDays(7);

    private final Database database;
    private final Clock clock;

    public SignalsReads(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    public ListSignalsResponse signals(Principal caller, ListSignalsRequest req) {
        int size = Page.size(req.getPageSize());
        Page.Cursor after = Page.cursor(req.getPageToken());
        TimeWindow w = TimeWindow.of(req.hasStartTime(), req.getStartTime(), req.hasEndTime(), req.getEndTime(),
                                     DEFAULT_WINDOW, clock);
        SignalState state = Validate.enumValue("state", req.getState(), false);
        SignalType type = Validate.enumValue("type", req.getType(), false);
        Severity severity = Validate.enumValue("min_severity", req.getMinSeverity(), false);
        SignalFilter f = new SignalFilter(w.start(), w.end(),
                state == SignalState.SIGNAL_STATE_UNSPECIFIED ? null : state.name().substring("SIGNAL_STATE_".length()),
                type == SignalType.SIGNAL_TYPE_UNSPECIFIED ? null : type.name().substring("SIGNAL_TYPE_".length()),
                severity == Severity.SEVERITY_UNSPECIFIED ? null : severity.getNumber(),
                dimension(req.getDimension()), ActivityReads.filter("dimension_key", req.getDimensionKey()),
                after == null ? null : after.at(), after == null ? null : after.id(), size + 1);
        List<SignalRow> rows = database.read(s -> s.getMapper(SignalsMapper.class).listSignals(caller.tenantId(), f));
        ListSignalsResponse.Builder out = ListSignalsResponse.newBuilder();
        rows.stream().limit(size).forEach(r -> out.addSignals(SignalProtos.signal(r)));
        return out.setNextPageToken(Page.nextToken(rows, size,
                last -> new Page.Cursor(last.lastSeenAt(), last.signalId()).encode())).build();
    }

    public ListPredictionsResponse predictions(Principal caller, ListPredictionsRequest req) {
        int size = Page.size(req.getPageSize());
        Page.Cursor after = Page.cursor(req.getPageToken());
        PredictionKind kind = Validate.enumValue("kind", req.getKind(), false);
        UUID limitId = Validate.optionalId("limit_id", req.getLimitId());
        TimeWindow w = TimeWindow.of(req.hasStartTime(), req.getStartTime(), req.hasEndTime(), req.getEndTime(),
                                     DEFAULT_WINDOW, clock);
        PredictionFilter f = new PredictionFilter(req.getIncludeHistory(), clock.instant(), w.start(), w.end(),
                kind == PredictionKind.PREDICTION_KIND_UNSPECIFIED ? null
                        : kind.name().substring("PREDICTION_KIND_".length()),
                limitId, after == null ? null : after.at(), after == null ? null : after.id(), size + 1);
        List<PredictionRow> rows = database.read(s -> {
            SignalsMapper m = s.getMapper(SignalsMapper.class);
            if (limitId != null && !m.limitExists(caller.tenantId(), limitId)) {
                throw Errors.notFound("limit", limitId);
            }
            return m.listPredictions(caller.tenantId(), f);
        });
        ListPredictionsResponse.Builder out = ListPredictionsResponse.newBuilder();
        rows.stream().limit(size).forEach(r -> out.addPredictions(SignalProtos.prediction(r)));
        return out.setNextPageToken(Page.nextToken(rows, size,
                last -> new Page.Cursor(last.madeAt(), last.predictionId()).encode())).build();
    }

    /**
     * The latest month-end prediction about this month, month-to-date spend from the rollups,
     * and the current predictions of limits due to run out before their window ends.
     */
    /** The first rollup hour starting at or after {@code at}. */
    private static Instant wholeHourFrom(Instant at) {
        Instant hour = at.truncatedTo(java.time.temporal.ChronoUnit.HOURS);
        return hour.equals(at) ? hour : hour.plus(java.time.Duration.ofHours(1));
    }

    public GetPredictionsSummaryResponse summary(Principal caller) {
        Instant now = clock.instant();
        return database.read(s -> {
            SignalsMapper m = s.getMapper(SignalsMapper.class);
            ZoneId zone = ZoneId.of(s.getMapper(TenantMapper.class).find(caller.tenantId()).timeZone());
            LimitWindow month = LimitWindow.of(LimitKind.LIMIT_KIND_SPEND_PER_MONTH, now, zone);
            List<PredictionRow> current = m.listPredictions(caller.tenantId(),
                    new PredictionFilter(false, now, null, null, null, null, null, null, Page.MAX_SIZE));
            GetPredictionsSummaryResponse.Builder out = GetPredictionsSummaryResponse.newBuilder()
                    .setMonthToDateMicros(m.monthToDate(caller.tenantId(), RollupPlan.forTenant(
                            s, caller.tenantId(), wholeHourFrom(month.start()), wholeHourFrom(now), zone)))
                    .setAsOf(Times.ts(now));
            current.stream().filter(p -> p.kind().equals("MONTH_END_SPEND")).findFirst()
                    .ifPresent(p -> out.setMonthEndSpend(SignalProtos.prediction(p)));
            List<PredictionRow> limits = current.stream().filter(p -> p.kind().equals("LIMIT_EXHAUSTION")).toList();
            out.setLimitsPredicted(limits.size());
            limits.stream()
                    .filter(p -> p.exhaustionTime() != null && p.exhaustionTime().isBefore(p.targetTime()))
                    .sorted(Comparator.comparing(PredictionRow::exhaustionTime))
                    .forEach(p -> out.addLimitsAtRisk(SignalProtos.prediction(p)));
            return out.build();
        });
    }

    public ListAnomaliesResponse anomalies(Principal caller, ListAnomaliesRequest req) {
        int size = Page.size(req.getPageSize());
        Page.Cursor after = Page.cursor(req.getPageToken());
        TimeWindow w = TimeWindow.of(req.hasStartTime(), req.getStartTime(), req.hasEndTime(), req.getEndTime(),
                                     DEFAULT_WINDOW, clock);
        AnomalyMetric metric = Validate.enumValue("metric", req.getMetric(), false);
        double minScore = req.getMinScore();
        if (!Double.isFinite(minScore) || minScore < 0) {
            throw Errors.invalid("min_score", "must be a number >= 0 (0 for the detector's threshold, 3.5)");
        }
        AnomalyFilter f = new AnomalyFilter(w.start(), w.end(),
                metric == AnomalyMetric.ANOMALY_METRIC_UNSPECIFIED ? null
                        : metric.name().substring("ANOMALY_METRIC_".length()),
                dimension(req.getDimension()), ActivityReads.filter("dimension_key", req.getDimensionKey()),
                minScore == 0 ? dev.govcon.server.stats.RobustScore.OUTLIER_THRESHOLD : minScore,
                after == null ? null : after.at(), after == null ? null : after.id(), size + 1);
        List<AnomalyRow> rows = database.read(s -> s.getMapper(SignalsMapper.class).listAnomalies(caller.tenantId(), f));
        ListAnomaliesResponse.Builder out = ListAnomaliesResponse.newBuilder();
        rows.stream().limit(size).forEach(r -> out.addAnomalies(SignalProtos.anomaly(r)));
        return out.setNextPageToken(Page.nextToken(rows, size,
                last -> new Page.Cursor(last.hourStart(), last.anomalyId()).encode())).build();
    }

    /** UNSPECIFIED = any (null); only MODEL, PROVIDER and FEATURE are watched. */
    static String dimension(Dimension d) {
        Dimension v = Validate.enumValue("dimension", d, false);
        return switch (v) {
            case DIMENSION_UNSPECIFIED -> null;
            case MODEL, PROVIDER, FEATURE -> v.name();
            default -> throw Errors.invalid("dimension", "must be MODEL, PROVIDER or FEATURE");
        };
    }
}
