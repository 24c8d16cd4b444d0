package dev.govcon.server.analytics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

import org.apache.ibatis.session.SqlSession;

import dev.govcon.proto.v1.GetPolicyCoverageTrendRequest;
import dev.govcon.proto.v1.GetPolicyCoverageTrendResponse;
import dev.govcon.proto.v1.GetPolicyEffectivenessRequest;
import dev.govcon.proto.v1.GetPolicyEffectivenessResponse;
import dev.govcon.proto.v1.GetPolicyUsageRequest;
import dev.govcon.proto.v1.GetPolicyUsageResponse;
import dev.govcon.proto.v1.Granularity;
import dev.govcon.proto.v1.PolicyCoveragePoint;
import dev.govcon.proto.v1.PolicyEffectiveness;
import dev.govcon.proto.v1.PolicyKind;
import dev.govcon.proto.v1.PolicyUsagePoint;
import dev.govcon.proto.v1.PolicyUsageSeries;
import dev.govcon.server.auth.Principal;
import dev.govcon.server.db.Database;
import dev.govcon.server.errors.Errors;
import dev.govcon.server.errors.Validate;
import dev.govcon.server.policies.ControlScope;
import dev.govcon.server.wire.Times;

/**
 * Usage -> Policies: usage per control over time and effectiveness (from
 * {@code limit_violations} by its (tenant, time) and (tenant, control, time) indexes, and the
 * audit ledger), and the trend of coverage (from the hourly rollups).
 *
 * <p>Checks come from {@code guard_check_counts_hourly}, which the guard fills from in-memory
 * counters since V13 ({@link CheckCounting}): a window reaching back before that reports
 * {@code checks_recorded = false} with the checks counted since.
 */
final class PolicyAnalytics {
    private final Database database;
    private final Clock clock;
    private final CostAnalytics windows;

    PolicyAnalytics(Database database, Clock clock, CostAnalytics windows) {
        this.database = database;
        this.clock = clock;
        this.windows = windows;
    }

    // ---- usage ----

    private static final class Usage {
        final UUID controlId;
        final PolicyKind kind;
        String name;
        final Map<Instant, long[]> points = new LinkedHashMap<>();
        long checks;
        long warnings;
        long denials;
        long logged;

        Usage(UUID controlId, PolicyKind kind, String name, List<Instant> buckets) {
            this.controlId = controlId;
            this.kind = kind;
            this.name = name;
            buckets.forEach(b -> points.put(b, new long[4]));
        }

        void add(Instant bucket, long w, long d, long l) {
            long[] p = points.computeIfAbsent(bucket, b -> new long[4]);
            p[0] += w;
            p[1] += d;
            p[2] += l;
            warnings += w;
            denials += d;
            logged += l;
        }

        void addChecks(Instant bucket, long n) {
            points.computeIfAbsent(bucket, b -> new long[4])[3] += n;
            checks += n;
        }

        List<PolicyUsagePoint> protoPoints() {
            List<PolicyUsagePoint> out = new ArrayList<>();
            points.forEach((b, p) -> out.add(PolicyUsagePoint.newBuilder().setBucketStartTime(Times.ts(b))
                    .setChecks(p[3]).setWarnings(p[0]).setDenials(p[1]).setLogged(p[2]).build()));
            return out;
        }
    }

    GetPolicyUsageResponse usage(Principal caller, GetPolicyUsageRequest req) {
        RollupFilter f = RollupFilter.of(req.getModel(), req.getProvider(), req.getFeature(), req.getEnvironment());
        UUID controlId = Validate.optionalId("control_id", req.getControlId());
        return database.read(s -> {
            AnalyticsWindow w = windows.window(s, caller, req.hasStartTime(), req.getStartTime(), req.hasEndTime(),
                                               req.getEndTime(), req.getGranularity());
            Map<UUID, ControlRow> controls = controls(s, caller, controlId);
            AnalyticsMapper m = s.getMapper(AnalyticsMapper.class);
            List<Instant> buckets = w.buckets();
            Map<UUID, Usage> byControl = new HashMap<>();
            Usage totals = new Usage(null, PolicyKind.POLICY_KIND_UNSPECIFIED, "", buckets);
            for (UsageRow r : m.usage(caller.tenantId(), w.start(), w.end(), f, w.zone().getId(), w.unit(), controlId)) {
                ControlRow c = controls.get(r.controlId());
                Usage u = byControl.computeIfAbsent(r.controlId(), id -> new Usage(id, kind(r.controlKind()),
                        c == null ? r.controlName() : c.name(), buckets));
                u.add(r.bucket(), r.warnings(), r.denials(), r.logged());
                totals.add(r.bucket(), r.warnings(), r.denials(), r.logged());
            }
            for (CheckRow r : m.checks(caller.tenantId(), w.start(), w.end(), f, w.zone().getId(), w.unit(), controlId)) {
                if (r.everyCheck()) {
                    totals.addChecks(r.bucket(), r.checks());
                    continue;
                }
                ControlRow c = controls.get(r.controlId());
                byControl.computeIfAbsent(r.controlId(), id -> c == null
                        ? new Usage(id, PolicyKind.POLICY_KIND_UNSPECIFIED, "", buckets)
                        : new Usage(id, kind(c.controlKind()), c.name(), buckets)).addChecks(r.bucket(), r.checks());
            }
            CheckCounting counting = m.checkCounting(caller.tenantId());
            RankedPage<Usage> page = RankedPage.of(new ArrayList<>(byControl.values()), req.getPageSize(),
                                                   req.getPageToken(), u -> u.denials, u -> u.controlId.toString());
            GetPolicyUsageResponse.Builder out = GetPolicyUsageResponse.newBuilder().setGranularity(w.granularity())
                    .setNextPageToken(page.nextPageToken()).setChecksRecorded(counting.covers(w.start()))
                    .setChecksRecordedSince(Times.ts(counting.since())).setTotalChecks(totals.checks)
                    .setTotalWarnings(totals.warnings).setTotalDenials(totals.denials)
                    .addAllTotals(totals.protoPoints());
            for (Usage u : page.rows()) {
                out.addControls(PolicyUsageSeries.newBuilder().setControlId(u.controlId.toString())
                        .setControlName(u.name).setControlKind(u.kind).setChecks(u.checks).setWarnings(u.warnings)
                        .setDenials(u.denials).setLogged(u.logged).addAllPoints(u.protoPoints()));
            }
            return out.build();
        });
    }

    // ---- effectiveness ----

    GetPolicyEffectivenessResponse effectiveness(Principal caller, GetPolicyEffectivenessRequest req) {
        RollupFilter f = RollupFilter.of(req.getModel(), req.getProvider(), req.getFeature(), req.getEnvironment());
        UUID controlId = Validate.optionalId("control_id", req.getControlId());
        Instant now = clock.instant();
        return database.read(s -> {
            AnalyticsWindow w = windows.window(s, caller, req.hasStartTime(), req.getStartTime(), req.hasEndTime(),
                                               req.getEndTime(), Granularity.DAY);
            AnalyticsMapper m = s.getMapper(AnalyticsMapper.class);
            Map<UUID, ControlRow> controls = controls(s, caller, controlId);
            Map<UUID, DenialRow> denials = new HashMap<>();
            m.denials(caller.tenantId(), w.start(), w.end(), f, controlId).forEach(d -> denials.put(d.controlId(), d));
            Map<UUID, Long> relaxed = new HashMap<>();
            m.relaxations(caller.tenantId(), w.start(), w.end(), controlId).forEach(r -> relaxed.put(r.controlId(), r.n()));
            Function<ControlRow, Long> prevented = c -> {
                DenialRow d = denials.get(c.controlId());
                return d == null ? 0L : d.preventedCostMicros();
            };
            RankedPage<ControlRow> page = RankedPage.of(new ArrayList<>(controls.values()), req.getPageSize(),
                    req.getPageToken(), prevented::apply, c -> c.controlId().toString());
            GetPolicyEffectivenessResponse.Builder out = GetPolicyEffectivenessResponse.newBuilder()
                    .setNextPageToken(page.nextPageToken())
                    .setTotalPreventedCostMicros(denials.values().stream().mapToLong(DenialRow::preventedCostMicros).sum());
            Instant oldest = now.minus(AnalyticsWindow.RETENTION);
            for (ControlRow c : page.rows()) {
                Instant created = c.createdAt();
                Duration span = min(w.length(), Duration.between(created, now), Duration.between(oldest, created));
                DenialRow d = denials.getOrDefault(c.controlId(), new DenialRow(c.controlId(), 0, 0, 0));
                out.addControls(PolicyEffectiveness.newBuilder()
                        .setControlId(c.controlId().toString()).setControlName(c.name())
                        .setControlKind(kind(c.controlKind())).setControlCreateTime(Times.ts(created))
                        .setComparisonWindow(com.google.protobuf.Duration.newBuilder().setSeconds(span.getSeconds()))
                        .setViolationsBefore(m.violationsInScope(caller.tenantId(), created.minus(span), created, c, f))
                        .setViolationsAfter(m.violationsInScope(caller.tenantId(), created, created.plus(span), c, f))
                        .setDenials(d.denials()).setPreventedCostMicros(d.preventedCostMicros())
                        .setOverriddenDenials(d.overriddenDenials())
                        .setRelaxations(relaxed.getOrDefault(c.controlId(), 0L))
                        .setFalsePositiveProxyRatio(Rollups.ratio(d.overriddenDenials(), d.denials())));
            }
            return out.build();
        });
    }

    private static Duration min(Duration a, Duration b, Duration c) {
        Duration m = a.compareTo(b) <= 0 ? a : b;
        m = m.compareTo(c) <= 0 ? m : c;
        return m.isNegative() ? Duration.ZERO : m;
    }

    // ---- coverage trend ----

    GetPolicyCoverageTrendResponse coverage(Principal caller, GetPolicyCoverageTrendRequest req) {
        RollupFilter f = RollupFilter.of(req.getModel(), req.getProvider(), req.getFeature(), req.getEnvironment());
        return database.read(s -> {
            AnalyticsWindow w = windows.window(s, caller, req.hasStartTime(), req.getStartTime(), req.hasEndTime(),
                                               req.getEndTime(), req.getGranularity());
            List<ControlRow> governing = controls(s, caller, null).values().stream()
                    .filter(c -> c.status().equals("ACTIVE") && c.enforced())
                    .filter(c -> c.endUser().isEmpty() && c.apiKeyId().isEmpty())
                    .toList();
            List<Instant> buckets = w.buckets();
            Map<Instant, List<RollupRow>> rows = new HashMap<>();
            new Rollups(s, caller.tenantId(), w, f).series(w.granularity(), "model", "provider", "feature", "environment")
                    .forEach(r -> rows.computeIfAbsent(r.bucket(), b -> new ArrayList<>()).add(r));
            GetPolicyCoverageTrendResponse.Builder out = GetPolicyCoverageTrendResponse.newBuilder()
                    .setGranularity(w.granularity());
            for (int i = 0; i < buckets.size(); i++) {
                Instant b = buckets.get(i);
                Instant bucketEnd = i + 1 < buckets.size() ? buckets.get(i + 1) : w.end();
                List<ControlScope> active = governing.stream().filter(c -> c.createdAt().isBefore(bucketEnd))
                        .map(ControlRow::scope).toList();
                out.addPoints(coveragePoint(b, rows.getOrDefault(b, List.of()), active));
            }
            return out.build();
        });
    }

    private static PolicyCoveragePoint coveragePoint(Instant bucket, List<RollupRow> rows, List<ControlScope> active) {
        long runs = 0;
        long governedRuns = 0;
        long cost = 0;
        long governedCost = 0;
        Set<String> features = new HashSet<>();
        Set<String> ungovernedFeatures = new HashSet<>();
        Set<String> models = new HashSet<>();
        Set<String> ungovernedModels = new HashSet<>();
        for (RollupRow r : rows) {
            ControlScope run = new ControlScope(r.feature(), r.model(), "", "", r.provider(), r.environment());
            boolean governed = active.stream().anyMatch(c -> c.matches(run));
            runs += r.runs();
            cost += r.costMicros();
            features.add(r.feature());
            models.add(r.model());
            if (governed) {
                governedRuns += r.runs();
                governedCost += r.costMicros();
            } else {
                ungovernedFeatures.add(r.feature());
                ungovernedModels.add(r.model());
            }
        }
        long governedFeatures = features.size() - ungovernedFeatures.size();
        long governedModels = models.size() - ungovernedModels.size();
        return PolicyCoveragePoint.newBuilder().setBucketStartTime(Times.ts(bucket))
                .setRuns(runs).setGovernedRuns(governedRuns).setRunsGovernedRatio(Rollups.ratio(governedRuns, runs))
                .setFeatures(features.size()).setGovernedFeatures(governedFeatures)
                .setFeaturesGovernedRatio(Rollups.ratio(governedFeatures, features.size()))
                .setModels(models.size()).setGovernedModels(governedModels)
                .setModelsGovernedRatio(Rollups.ratio(governedModels, models.size()))
                .setCostMicros(cost).setGovernedCostMicros(governedCost)
                .setCostGovernedRatio(Rollups.ratio(governedCost, cost))
                .setActiveControls(active.size())
                .build();
    }

    // ---- helpers ----

    /** The tenant's controls by id; a named control that is not the tenant's is NOT_FOUND. */
    private static Map<UUID, ControlRow> controls(SqlSession s, Principal caller, UUID controlId) {
        Map<UUID, ControlRow> out = new LinkedHashMap<>();
        s.getMapper(AnalyticsMapper.class).controls(caller.tenantId(), controlId).forEach(c -> out.put(c.controlId(), c));
        if (controlId != null && out.isEmpty()) {
            throw Errors.notFound("control", controlId);
        }
        return out;
    }

    private static PolicyKind kind(String controlKind) {
        return "RULE".equals(controlKind) ? PolicyKind.POLICY_KIND_RULE : PolicyKind.POLICY_KIND_LIMIT;
    }
}
