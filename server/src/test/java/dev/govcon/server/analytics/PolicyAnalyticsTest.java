package dev.govcon.server.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.google.protobuf.FieldMask;

import dev.govcon.proto.v1.ControlAction;
import dev.govcon.proto.v1.CreatePolicyLimitRequest;
import dev.govcon.proto.v1.CreatePolicyRuleRequest;
import dev.govcon.proto.v1.GetPolicyCoverageTrendRequest;
import dev.govcon.proto.v1.GetPolicyEffectivenessRequest;
import dev.govcon.proto.v1.GetPolicyEffectivenessResponse;
import dev.govcon.proto.v1.GetPolicyUsageRequest;
import dev.govcon.proto.v1.GetPolicyUsageResponse;
import dev.govcon.proto.v1.Granularity;
import dev.govcon.proto.v1.LimitKind;
import dev.govcon.proto.v1.PolicyCoveragePoint;
import dev.govcon.proto.v1.PolicyEffectiveness;
import dev.govcon.proto.v1.PolicyKind;
import dev.govcon.proto.v1.PolicyLimit;
import dev.govcon.proto.v1.PolicyRule;
import dev.govcon.proto.v1.PolicyUsagePoint;
import dev.govcon.proto.v1.PolicyUsageSeries;
import dev.govcon.proto.v1.RecordRunsRequest;
import dev.govcon.proto.v1.RuleType;
import dev.govcon.proto.v1.Run;
import dev.govcon.proto.v1.RunStatus;
import dev.govcon.proto.v1.Scope;
import dev.govcon.proto.v1.UpdatePolicyLimitRequest;
import dev.govcon.sdk.GovconClient;
import dev.govcon.server.analytics.RawRuns.Raw;
import dev.govcon.server.policies.ViolationMapper;
import dev.govcon.server.policies.ViolationRow;
import dev.govcon.server.testing.RunningServer;
import dev.govcon.server.wire.Times;

/**
 * Policy usage, effectiveness and the coverage trend on a constructed history (T0 = the hour
 * the test starts in):
 * <pre>
 * T0-6d   3 WARNs of an older tenant-wide control "Old cap" on feature search
 * T0-5d   limit L1 created (feature search, BLOCK), later relaxed (amount 1000 -> 5000)
 * T0-4d   4 guard DENYs by L1 (runs d-4..d-7; d-4 and d-5 later recorded SUCCEEDED: overridden)
 * T0-3d   L1 crossed at a run's completion (logged)
 * T0-2d   rule R1 created (feature chat, MODEL_DENY_LIST, WARN)
 * T0-1d   a WARN by R1 (chat), a LOG by L1 (search)
 * T0-2h   a DENY by L1 in staging
 * </pre>
 * Another tenant's violation of the same control id counts nowhere.
 */
class PolicyAnalyticsTest {
    static RunningServer server;
    static RunningServer.Tenant acme;
    static GovconClient client;
    static Instant t0;
    static Instant end;
    static UUID oldCap = UUID.randomUUID();
    static PolicyLimit l1;
    static PolicyRule r1;

    @BeforeAll
    static void start() {
        server = RunningServer.start();
        acme = server.newTenant("Policy Analytics");
        RunningServer.Tenant other = server.newTenant("Policy Analytics Other");
        client = server.grpc(acme.ownerKey());
        Instant now = server.clock.instant();
        t0 = now.truncatedTo(ChronoUnit.HOURS);
        // Audit entries carry the database's time, a little after the test clock's.
        end = Instant.now().plus(Duration.ofHours(2)).truncatedTo(ChronoUnit.HOURS);
        // Runs first: recorded after L1 exists, the search runs would cross it at completion.
        List<Run> runs = new ArrayList<>();
        for (int d = 0; d < 8; d++) {
            Instant at = t0.minus(Duration.ofDays(8)).plus(Duration.ofDays(d)).plus(Duration.ofHours(12));
            runs.add(run("s-" + d, "search", "gpt-4o", at, 100 + d));
            runs.add(run("c-" + d, "chat", "claude-sonnet", at.plusSeconds(60), 200 + d));
            runs.add(run("o-" + d, "other", "gpt-4o", at.plusSeconds(120), 50));
        }
        // The denied calls d-4 and d-5 went through after all (overrides).
        runs.add(run("d-4", "search", "gpt-4o", t0.minus(Duration.ofDays(4)).plus(Duration.ofMinutes(30)), 4000));
        runs.add(run("d-5", "search", "gpt-4o", t0.minus(Duration.ofDays(4)).plus(Duration.ofMinutes(90)), 5000));
        client.runtime().recordRuns(RecordRunsRequest.newBuilder().addAllRuns(runs).build());
        server.clock.set(t0.minus(Duration.ofDays(5)));
        l1 = client.policies().createPolicyLimit(CreatePolicyLimitRequest.newBuilder().setLimit(PolicyLimit.newBuilder()
                .setName("Search daily").setKind(LimitKind.LIMIT_KIND_SPEND_PER_DAY).setAmount(1000)
                .setAction(ControlAction.BLOCK).setScope(Scope.newBuilder().setFeature("search"))).build()).getLimit();
        server.clock.set(t0.minus(Duration.ofDays(2)));
        r1 = client.policies().createPolicyRule(CreatePolicyRuleRequest.newBuilder().setRule(PolicyRule.newBuilder()
                .setName("No gpt-3 in chat").setType(RuleType.RULE_TYPE_MODEL_DENY_LIST).addModels("gpt-3")
                .setAction(ControlAction.WARN).setScope(Scope.newBuilder().setFeature("chat"))).build()).getRule();
        server.clock.set(now);
        client.policies().updatePolicyLimit(UpdatePolicyLimitRequest.newBuilder().setId(l1.getId())
                .setLimit(PolicyLimit.newBuilder().setVersion(l1.getVersion()).setAmount(5000))
                .setUpdateMask(FieldMask.newBuilder().addPaths("amount")).build());

        UUID acmeId = UUID.fromString(acme.id());
        UUID limit = UUID.fromString(l1.getId());
        UUID rule = UUID.fromString(r1.getId());
        List<ViolationRow> rows = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            rows.add(v(acmeId, "LIMIT", oldCap, "Old cap", "WARN", "GUARD_CHECK", "search", "production",
                       t0.minus(Duration.ofDays(6)).plusSeconds(i), "", 0));
        }
        for (int i = 4; i <= 7; i++) {
            rows.add(v(acmeId, "LIMIT", limit, "Search daily", "BLOCK", "GUARD_CHECK", "search", "production",
                       t0.minus(Duration.ofDays(4)).plus(Duration.ofHours(i - 4)), "d-" + i, 1000L * i));
        }
        rows.add(v(acmeId, "LIMIT", limit, "Search daily", "BLOCK", "RUN_COMPLETION", "search", "production",
                   t0.minus(Duration.ofDays(3)), "c-1", 900));
        rows.add(v(acmeId, "RULE", rule, "No gpt-3 in chat", "WARN", "GUARD_CHECK", "chat", "production",
                   t0.minus(Duration.ofDays(1)), "", 0));
        rows.add(v(acmeId, "LIMIT", limit, "Search daily", "LOG", "GUARD_CHECK", "search", "production",
                   t0.minus(Duration.ofDays(1)).plusSeconds(5), "", 0));
        rows.add(v(acmeId, "LIMIT", limit, "Search daily", "BLOCK", "GUARD_CHECK", "search", "staging",
                   t0.minus(Duration.ofHours(2)), "", 777));
        rows.add(v(UUID.fromString(other.id()), "LIMIT", limit, "Theirs", "BLOCK", "GUARD_CHECK", "search",
                   "production", t0.minus(Duration.ofDays(1)), "", 5_000_000));
        server.database.<Integer>inTransaction(s -> s.getMapper(ViolationMapper.class).insertBatch(rows));

    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    static ViolationRow v(UUID tenant, String kind, UUID control, String name, String action, String origin,
                          String feature, String environment, Instant at, String runId, long cost) {
        return new ViolationRow(tenant, UUID.randomUUID(), kind, control, name, kind.equals("RULE") ? "MODEL_DENY_LIST"
                : "SPEND_PER_DAY", action, origin, feature, "gpt-4o", "", "", "openai", environment, at, runId, "",
                "test", 0, 1000, cost, "", "{}");
    }

    static Run run(String id, String feature, String model, Instant end, long cost) {
        return Run.newBuilder().setRunId(id).setFeature(feature).setModel(model).setProvider("p-" + model)
                .setEnvironment("production").setStatus(RunStatus.SUCCEEDED).setStartTime(Times.ts(end.minusSeconds(1)))
                .setEndTime(Times.ts(end)).setInputTokens(10).setCostMicros(cost).setLatencyMs(100).build();
    }

    @Test
    void usagePerControlAndBucket() {
        GetPolicyUsageResponse u = client.analytics().getPolicyUsage(GetPolicyUsageRequest.newBuilder()
                .setStartTime(Times.ts(t0.minus(Duration.ofDays(10)))).setEndTime(Times.ts(end)).build());
        // The tenant came to be after the guard began counting checks, and made none.
        assertThat(u.getChecksRecorded()).isTrue();
        assertThat(u.getTotalChecks()).isZero();
        assertThat(List.of(u.getTotalWarnings(), u.getTotalDenials())).containsExactly(4L, 5L);
        List<String> controls = u.getControlsList().stream().map(c -> c.getControlName() + " " + c.getControlKind()
                + " w=" + c.getWarnings() + " d=" + c.getDenials() + " l=" + c.getLogged()).toList();
        assertThat(controls.get(0)).isEqualTo("Search daily POLICY_KIND_LIMIT w=0 d=5 l=2");
        assertThat(controls.subList(1, 3)).containsExactlyInAnyOrder("Old cap POLICY_KIND_LIMIT w=3 d=0 l=0",
                                                                     "No gpt-3 in chat POLICY_KIND_RULE w=1 d=0 l=0");
        PolicyUsageSeries search = u.getControls(0);
        assertThat(search.getPointsCount()).isEqualTo(u.getTotalsCount()).isGreaterThanOrEqualTo(10);
        java.util.Set<Instant> denialDays = new java.util.HashSet<>(List.of(
                t0.minus(Duration.ofDays(4)).truncatedTo(ChronoUnit.DAYS),
                t0.minus(Duration.ofDays(4)).plus(Duration.ofHours(3)).truncatedTo(ChronoUnit.DAYS)));
        assertThat(search.getPointsList().stream().filter(x -> denialDays.contains(Times.instant(x.getBucketStartTime())))
                           .mapToLong(PolicyUsagePoint::getDenials).sum()).isEqualTo(4);
        assertThat(search.getPointsList().stream().mapToLong(PolicyUsagePoint::getDenials).sum()).isEqualTo(5);
        assertThat(u.getTotalsList().stream().mapToLong(PolicyUsagePoint::getWarnings).sum()).isEqualTo(4);

        GetPolicyUsageResponse staging = client.analytics().getPolicyUsage(GetPolicyUsageRequest.newBuilder()
                .setStartTime(Times.ts(t0.minus(Duration.ofDays(10)))).setEndTime(Times.ts(end))
                .setEnvironment("staging").build());
        assertThat(staging.getControlsList()).extracting(PolicyUsageSeries::getDenials).containsExactly(1L);
        GetPolicyUsageResponse one = client.analytics().getPolicyUsage(GetPolicyUsageRequest.newBuilder()
                .setStartTime(Times.ts(t0.minus(Duration.ofDays(10)))).setEndTime(Times.ts(end))
                .setControlId(r1.getId()).setGranularity(Granularity.WEEK).build());
        assertThat(one.getControlsList()).extracting(PolicyUsageSeries::getControlId).containsExactly(r1.getId());
        GetPolicyUsageResponse paged = client.analytics().getPolicyUsage(GetPolicyUsageRequest.newBuilder()
                .setStartTime(Times.ts(t0.minus(Duration.ofDays(10)))).setEndTime(Times.ts(end)).setPageSize(2).build());
        assertThat(paged.getControlsCount()).isEqualTo(2);
        GetPolicyUsageResponse rest = client.analytics().getPolicyUsage(GetPolicyUsageRequest.newBuilder()
                .setStartTime(Times.ts(t0.minus(Duration.ofDays(10)))).setEndTime(Times.ts(end)).setPageSize(2)
                .setPageToken(paged.getNextPageToken()).build());
        assertThat(rest.getControlsCount()).isEqualTo(1);
        assertThat(rest.getNextPageToken()).isEmpty();
    }

    @Test
    void effectivenessComparesBeforeAndAfterAndCountsOverridesAndRelaxations() {
        GetPolicyEffectivenessResponse e = client.analytics().getPolicyEffectiveness(
                GetPolicyEffectivenessRequest.newBuilder().setStartTime(Times.ts(t0.minus(Duration.ofDays(10))))
                        .setEndTime(Times.ts(end)).build());
        assertThat(e.getControlsList()).extracting(PolicyEffectiveness::getControlId)
                .containsExactly(l1.getId(), r1.getId());
        assertThat(e.getTotalPreventedCostMicros()).isEqualTo(4000 + 5000 + 6000 + 7000 + 777);
        PolicyEffectiveness limit = e.getControls(0);
        assertThat(limit.getControlKind()).isEqualTo(PolicyKind.POLICY_KIND_LIMIT);
        assertThat(Times.instant(limit.getControlCreateTime())).isEqualTo(t0.minus(Duration.ofDays(5)));
        assertThat(limit.getComparisonWindow().getSeconds())
                .isEqualTo(Duration.between(t0.minus(Duration.ofDays(5)), server.clock.instant()).getSeconds());
        assertThat(List.of(limit.getViolationsBefore(), limit.getViolationsAfter(), limit.getDenials(),
                           limit.getPreventedCostMicros(), limit.getOverriddenDenials(), limit.getRelaxations()))
                .containsExactly(3L, 7L, 5L, 22_777L, 2L, 1L);
        assertThat(limit.getFalsePositiveProxyRatio()).isEqualTo(2.0 / 5);
        PolicyEffectiveness rule = e.getControls(1);
        assertThat(List.of(rule.getViolationsBefore(), rule.getViolationsAfter(), rule.getDenials(),
                           rule.getRelaxations())).containsExactly(0L, 1L, 0L, 0L);
        assertThat(rule.getFalsePositiveProxyRatio()).isZero();

        GetPolicyEffectivenessResponse staging = client.analytics().getPolicyEffectiveness(
                GetPolicyEffectivenessRequest.newBuilder().setStartTime(Times.ts(t0.minus(Duration.ofDays(10))))
                        .setEndTime(Times.ts(end)).setEnvironment("staging").setControlId(l1.getId()).build());
        assertThat(staging.getControlsList()).hasSize(1);
        assertThat(List.of(staging.getControls(0).getDenials(), staging.getControls(0).getPreventedCostMicros(),
                           staging.getControls(0).getViolationsAfter())).containsExactly(1L, 777L, 1L);
    }

    @Test
    void coverageTrendCountsTheControlsActiveInEachDay() {
        Instant from = t0.minus(Duration.ofDays(8)).truncatedTo(ChronoUnit.DAYS);
        Instant to = t0.truncatedTo(ChronoUnit.DAYS);
        List<PolicyCoveragePoint> points = client.analytics().getPolicyCoverageTrend(GetPolicyCoverageTrendRequest
                .newBuilder().setStartTime(Times.ts(from)).setEndTime(Times.ts(to)).build()).getPointsList();
        RawRuns raw = RawRuns.load(server.database.dataSource(), UUID.fromString(acme.id()));
        Instant limitCreated = t0.minus(Duration.ofDays(5));
        Instant ruleCreated = t0.minus(Duration.ofDays(2));
        assertThat(points).hasSize(8);
        for (PolicyCoveragePoint p : points) {
            Instant b = Times.instant(p.getBucketStartTime());
            Instant e = b.plus(Duration.ofDays(1));
            List<Raw> runs = raw.in(b, e, r -> true);
            List<Raw> governed = runs.stream().filter(r -> (r.feature().equals("search") && limitCreated.isBefore(e))
                                                           || (r.feature().equals("chat") && ruleCreated.isBefore(e)))
                    .toList();
            long features = runs.stream().map(Raw::feature).distinct().count();
            long governedFeatures = runs.stream().map(Raw::feature).distinct()
                    .filter(f -> runs.stream().filter(r -> r.feature().equals(f)).allMatch(governed::contains)).count();
            assertThat(List.of(p.getRuns(), p.getGovernedRuns(), p.getFeatures(), p.getGovernedFeatures(),
                               p.getCostMicros(), p.getGovernedCostMicros(), p.getActiveControls()))
                    .as(b.toString())
                    .containsExactly((long) runs.size(), (long) governed.size(), features, governedFeatures,
                                     RawRuns.Agg.of(runs).cost(), RawRuns.Agg.of(governed).cost(),
                                     (limitCreated.isBefore(e) ? 1L : 0L) + (ruleCreated.isBefore(e) ? 1L : 0L));
        }
        assertThat(points.get(points.size() - 1).getGovernedRuns()).isGreaterThan(0);
        assertThat(points.get(0).getGovernedRuns()).isZero();
    }
}
