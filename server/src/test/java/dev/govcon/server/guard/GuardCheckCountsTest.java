package dev.govcon.server.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.govcon.proto.v1.CheckGuardRequest;
import dev.govcon.proto.v1.CheckGuardResponse;
import dev.govcon.proto.v1.GetPolicyUsageRequest;
import dev.govcon.proto.v1.GetPolicyUsageResponse;
import dev.govcon.proto.v1.Granularity;
import dev.govcon.proto.v1.GuardDecision;
import dev.govcon.proto.v1.PolicyKind;
import dev.govcon.proto.v1.PolicyUsagePoint;
import dev.govcon.proto.v1.PolicyUsageSeries;
import dev.govcon.sdk.GovconClient;
import dev.govcon.server.testing.MutableClock;
import dev.govcon.server.testing.RunningServer;
import dev.govcon.server.testing.RunningServer.Reply;
import dev.govcon.server.testing.RunningServer.Tenant;
import dev.govcon.server.testing.TestDatabase;
import dev.govcon.server.wire.Times;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * Guard checks counted per control, as policy usage reports them. Two servers on one
 * database and one clock (replicas), hours A and B of the window [A, A + 2h):
 * <pre>
 * controls  R  rule MODEL_DENY_LIST gpt-3, BLOCK, feature chat
 *           W  rule MODEL_DENY_LIST claude-x, WARN, feature search
 *           L  limit 1000 requests per minute, BLOCK, model gpt-4o
 * hour A    gRPC, server 1: 3x chat/gpt-4o (R, L pass), 2x chat/gpt-3 (R denies), 1x other/o1 (nothing)
 *           gRPC, server 2: 2x chat/gpt-4o (R, L pass)
 * hour B    REST, server 1: 2x search/claude-x (W warns), 1x search/gpt-4o (W, L pass),
 *                           1x search/gpt-4o dry run (not counted)
 * expected  R: A 7 checks, 2 denials; L: A 5, B 1; W: B 3 checks, 2 warnings; all: A 8, B 3
 * </pre>
 * A second tenant's 4 checks on its own count only for it.
 */
class GuardCheckCountsTest {
    static MutableClock clock;
    static RunningServer one;
    static RunningServer two;
    static Tenant acme;
    static Tenant other;
    static Instant hourA;
    static UUID r;
    static UUID w;
    static UUID l;

    @BeforeAll
    static void start() {
        hourA = Instant.now().truncatedTo(ChronoUnit.HOURS);
        clock = new MutableClock(hourA.plus(Duration.ofMinutes(10)));
        one = RunningServer.start(TestDatabase.shared(), clock);
        acme = one.newTenant("Check Counts");
        other = one.newTenant("Check Counts Other");
        r = TestControls.rule(one.database, acme.id(), "MODEL_DENY_LIST").texts("models", "gpt-3")
                .scope("feature", "chat").set("name", "R no gpt-3 in chat").insert();
        w = TestControls.rule(one.database, acme.id(), "MODEL_DENY_LIST").texts("models", "claude-x").action("WARN")
                .scope("feature", "search").set("name", "W claude-x in search").insert();
        l = TestControls.limit(one.database, acme.id(), "REQUESTS_PER_MINUTE", 1000).scope("model", "gpt-4o")
                .set("name", "L gpt-4o rate").insert();
        two = RunningServer.start(TestDatabase.shared(), clock);

        try (GovconClient c1 = one.grpc(acme.ownerKey()); GovconClient c2 = two.grpc(acme.ownerKey());
             GovconClient theirs = one.grpc(other.ownerKey())) {
            for (int i = 0; i < 3; i++) {
                assertThat(c1.runtime().checkGuard(call("chat", "gpt-4o")).getDecision())
                        .isEqualTo(GuardDecision.GUARD_DECISION_ALLOW);
            }
            for (int i = 0; i < 2; i++) {
                CheckGuardResponse denied = c1.runtime().checkGuard(call("chat", "gpt-3"));
                assertThat(denied.getDecision()).isEqualTo(GuardDecision.GUARD_DECISION_DENY);
                assertThat(denied.getMatchedControlsList()).extracting(m -> m.getControlId())
                        .containsExactly(r.toString());
            }
            assertThat(c1.runtime().checkGuard(call("other", "o1")).getMatchedControlsList()).isEmpty();
            for (int i = 0; i < 2; i++) {
                assertThat(c2.runtime().checkGuard(call("chat", "gpt-4o")).getMatchedControlsCount()).isEqualTo(2);
            }
            for (int i = 0; i < 4; i++) {
                theirs.runtime().checkGuard(call("chat", "gpt-3"));
            }
        }
        // Flushed now, then again after hour B: every flush adds to the rows already there.
        flushAll();

        clock.set(hourA.plus(Duration.ofMinutes(70)));
        for (int i = 0; i < 2; i++) {
            Reply warned = one.post("/api/v1/guard/check", "{\"model\":\"claude-x\",\"feature\":\"search\"}",
                                    acme.ownerKey());
            assertThat(warned.status()).as(warned.toString()).isEqualTo(200);
            assertThat(warned.json().get("decision").asText()).isEqualTo("GUARD_DECISION_WARN");
        }
        Reply passed = one.post("/api/v1/guard/check", "{\"model\":\"gpt-4o\",\"feature\":\"search\"}", acme.ownerKey());
        assertThat(passed.json().get("matched_controls").size()).as(passed.toString()).isEqualTo(2);
        Reply dry = one.post("/api/v1/guard/check", "{\"model\":\"gpt-4o\",\"feature\":\"search\",\"dry_run\":true}",
                             acme.ownerKey());
        assertThat(dry.json().get("matched_controls").size()).as(dry.toString()).isEqualTo(2);
        flushAll();
    }

    static void flushAll() {
        for (RunningServer s : List.of(one, two)) {
            s.server.guard().flushCheckCounts();
            s.server.guard().flushViolations();
        }
    }

    @AfterAll
    static void stop() {
        if (two != null) {
            two.close();
        }
        one.close();
    }

    static CheckGuardRequest call(String feature, String model) {
        return CheckGuardRequest.newBuilder().setFeature(feature).setModel(model).build();
    }

    static GetPolicyUsageRequest.Builder window() {
        return GetPolicyUsageRequest.newBuilder().setStartTime(Times.ts(hourA))
                .setEndTime(Times.ts(hourA.plus(Duration.ofHours(2)))).setGranularity(Granularity.HOUR);
    }

    static GetPolicyUsageResponse usage(Tenant t, GetPolicyUsageRequest.Builder req) {
        try (GovconClient c = one.grpc(t.ownerKey())) {
            return c.analytics().getPolicyUsage(req.build());
        }
    }

    /** "checks/warnings/denials" of each bucket, hour A then hour B. */
    static List<String> points(List<PolicyUsagePoint> points) {
        return points.stream().map(p -> p.getChecks() + "/" + p.getWarnings() + "/" + p.getDenials()).toList();
    }

    static Map<String, PolicyUsageSeries> byId(GetPolicyUsageResponse u) {
        return u.getControlsList().stream().collect(Collectors.toMap(PolicyUsageSeries::getControlId, s -> s));
    }

    @Test
    void usageShowsEachControlsChecksWarningsAndDenialsPerHour() {
        GetPolicyUsageResponse u = usage(acme, window());
        assertThat(u.getChecksRecorded()).isTrue();
        assertThat(List.of(u.getTotalChecks(), u.getTotalWarnings(), u.getTotalDenials())).containsExactly(11L, 2L, 2L);
        assertThat(points(u.getTotalsList())).containsExactly("8/0/2", "3/2/0");
        assertThat(u.getTotalsList()).extracting(p -> Times.instant(p.getBucketStartTime()))
                .containsExactly(hourA, hourA.plus(Duration.ofHours(1)));

        // Most denials first: R, then W and L (no denials) by id.
        assertThat(u.getControls(0).getControlId()).isEqualTo(r.toString());
        Map<String, PolicyUsageSeries> c = byId(u);
        assertThat(c).containsOnlyKeys(r.toString(), w.toString(), l.toString());
        PolicyUsageSeries rs = c.get(r.toString());
        assertThat(List.of(rs.getChecks(), rs.getWarnings(), rs.getDenials())).containsExactly(7L, 0L, 2L);
        assertThat(points(rs.getPointsList())).containsExactly("7/0/2", "0/0/0");
        assertThat(rs.getControlName()).isEqualTo("R no gpt-3 in chat");
        assertThat(rs.getControlKind()).isEqualTo(PolicyKind.POLICY_KIND_RULE);
        PolicyUsageSeries ws = c.get(w.toString());
        assertThat(points(ws.getPointsList())).containsExactly("0/0/0", "3/2/0");
        assertThat(ws.getChecks()).isEqualTo(3);
        PolicyUsageSeries ls = c.get(l.toString());
        assertThat(points(ls.getPointsList())).containsExactly("5/0/0", "1/0/0");
        assertThat(ls.getControlName()).isEqualTo("L gpt-4o rate");
        assertThat(ls.getControlKind()).isEqualTo(PolicyKind.POLICY_KIND_LIMIT);

        // The same over REST, one day bucket.
        Reply rest = one.get("/api/v1/analytics/policies/usage?start_time=" + hourA + "&end_time="
                             + hourA.plus(Duration.ofHours(2)) + "&control_id=" + l, acme.ownerKey());
        assertThat(rest.status()).as(rest.toString()).isEqualTo(200);
        JsonNode json = rest.json();
        assertThat(json.get("checks_recorded").asBoolean()).isTrue();
        assertThat(json.get("total_checks").asLong()).isEqualTo(11);
        assertThat(json.get("controls").size()).isEqualTo(1);
        assertThat(json.get("controls").get(0).get("control_id").asText()).isEqualTo(l.toString());
        assertThat(json.get("controls").get(0).get("checks").asLong()).isEqualTo(6);
    }

    @Test
    void scopeFiltersApplyToChecks() {
        GetPolicyUsageResponse search = usage(acme, window().setFeature("search"));
        assertThat(search.getTotalChecks()).isEqualTo(3);
        Map<String, PolicyUsageSeries> c = byId(search);
        assertThat(c).containsOnlyKeys(w.toString(), l.toString());
        assertThat(c.get(l.toString()).getChecks()).isEqualTo(1);

        GetPolicyUsageResponse gpt4o = usage(acme, window().setModel("gpt-4o"));
        assertThat(points(gpt4o.getTotalsList())).containsExactly("5/0/0", "1/0/0");
        assertThat(byId(gpt4o).get(r.toString()).getChecks()).isEqualTo(5);

        GetPolicyUsageResponse staging = usage(acme, window().setEnvironment("staging"));
        assertThat(staging.getTotalChecks()).isZero();
        assertThat(staging.getControlsList()).isEmpty();
        // Checks without an environment count as "default", as their runs do.
        assertThat(usage(acme, window().setEnvironment("default")).getTotalChecks()).isEqualTo(11);
    }

    @Test
    void anotherTenantsChecksCountOnlyForIt() {
        GetPolicyUsageResponse theirs = usage(other, window());
        assertThat(theirs.getTotalChecks()).isEqualTo(4);
        assertThat(theirs.getControlsList()).isEmpty();
        assertThat(points(theirs.getTotalsList())).containsExactly("4/0/0", "0/0/0");
    }

    @Test
    void aControlOfAnotherTenantIsNotFound() {
        assertThatThrownBy(() -> usage(other, window().setControlId(r.toString())))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
        Reply rest = one.get("/api/v1/analytics/policies/usage?control_id=" + r, other.ownerKey());
        assertThat(rest.status()).as(rest.toString()).isEqualTo(404);
    }

    @Test
    void rowsHoldTheSumOfBothReplicasFlushes() throws SQLException {
        // Server 1 wrote hour A's chat/gpt-4o row for R first; server 2 added its 2 to it.
        assertThat(storedChecks(acme, hourA, r, "gpt-4o", "chat")).isEqualTo(5);
        assertThat(storedChecks(acme, hourA, CheckCounter.EVERY_CHECK, "gpt-4o", "chat")).isEqualTo(5);
        assertThat(storedChecks(acme, hourA, CheckCounter.EVERY_CHECK, "o1", "other")).isEqualTo(1);
        assertThat(storedChecks(acme, hourA.plus(Duration.ofHours(1)), l, "gpt-4o", "search")).isEqualTo(1);
    }

    @Test
    void aServerShuttingDownWritesWhatItCounted() throws SQLException {
        Tenant late = one.newTenant("Check Counts Shutdown");
        UUID rule = TestControls.rule(one.database, late.id(), "MODEL_DENY_LIST").texts("models", "gpt-3").insert();
        try (RunningServer three = RunningServer.start(TestDatabase.shared(), clock);
             GovconClient c = three.grpc(late.ownerKey())) {
            c.runtime().checkGuard(call("chat", "gpt-4o"));
            c.runtime().checkGuard(call("chat", "gpt-4o"));
        }
        Instant hour = clock.instant().truncatedTo(ChronoUnit.HOURS);
        assertThat(storedChecks(late, hour, rule, "gpt-4o", "chat")).isEqualTo(2);
        assertThat(storedChecks(late, hour, CheckCounter.EVERY_CHECK, "gpt-4o", "chat")).isEqualTo(2);
    }

    @Test
    void aWindowReachingBackBeforeCountingBeganIsNotRecorded() throws SQLException {
        Tenant old = one.newTenant("Check Counts Old");
        Instant since = Times.instant(usage(old, window()).getChecksRecordedSince());
        assertThat(since).isBefore(Instant.now());
        // The tenant existed for a month before the guard counted checks.
        execute("UPDATE tenants SET created_at = ? WHERE tenant_id = ?",
                java.sql.Timestamp.from(since.minus(Duration.ofDays(30))), UUID.fromString(old.id()));
        try (GovconClient c = one.grpc(old.ownerKey())) {
            c.runtime().checkGuard(call("chat", "gpt-4o"));
        }
        one.server.guard().flushCheckCounts();

        GetPolicyUsageResponse back = usage(old, GetPolicyUsageRequest.newBuilder()
                .setStartTime(Times.ts(since.minus(Duration.ofDays(2)))).setEndTime(Times.ts(hourA.plus(Duration.ofHours(2)))));
        assertThat(back.getChecksRecorded()).isFalse();
        assertThat(back.getTotalChecks()).as("counted since then, exactly").isEqualTo(1);
        GetPolicyUsageResponse after = usage(old, GetPolicyUsageRequest.newBuilder()
                .setStartTime(Times.ts(since.plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.HOURS)))
                .setEndTime(Times.ts(hourA.plus(Duration.ofHours(2)))));
        assertThat(after.getChecksRecorded()).isTrue();
        // A tenant created after counting began had every check counted, whatever the window.
        GetPolicyUsageResponse young = usage(acme, GetPolicyUsageRequest.newBuilder()
                .setStartTime(Times.ts(since.minus(Duration.ofDays(20)))).setEndTime(Times.ts(hourA.plus(Duration.ofHours(2)))));
        assertThat(young.getChecksRecorded()).isTrue();
        assertThat(young.getTotalChecks()).isEqualTo(11);
    }

    static long storedChecks(Tenant t, Instant hour, UUID control, String model, String feature) throws SQLException {
        try (Connection c = one.database.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT coalesce(sum(checks), 0) FROM guard_check_counts_hourly"
                     + " WHERE tenant_id = ? AND hour = ? AND control_id = ? AND model = ? AND feature = ?")) {
            ps.setObject(1, UUID.fromString(t.id()));
            ps.setTimestamp(2, java.sql.Timestamp.from(hour));
            ps.setObject(3, control);
            ps.setString(4, model);
            ps.setString(5, feature);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static void execute(String sql, Object... args) throws SQLException {
        try (Connection c = one.database.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.executeUpdate();
            if (!c.getAutoCommit()) {
                c.commit();
            }
        }
    }
}
