package dev.govcon.server.policies;

import static dev.govcon.server.testing.Refusals.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.google.protobuf.Timestamp;

import dev.govcon.proto.v1.GetPolicyCoverageRequest;
import dev.govcon.proto.v1.ListViolationsRequest;
import dev.govcon.proto.v1.PolicyLimit;
import dev.govcon.proto.v1.SimulateLimitRequest;
import dev.govcon.sdk.GovconClient;
import dev.govcon.server.testing.RunFixtures;
import dev.govcon.server.testing.RunningServer;
import dev.govcon.server.testing.RunningServer.Reply;

/**
 * Violations, simulation and coverage fed input they must refuse: 400 (INVALID_ARGUMENT) with
 * a message that starts with the offending field; unknown and other tenants' ids are 404.
 */
class ViolationsBadInputTest {
    static final String VIOLATIONS = "/api/v1/policies/violations";
    static final String SIMULATE = "/api/v1/limits/simulate";
    static final String LONG = "x".repeat(300);

    static RunningServer server;
    static RunningServer.Tenant acme;
    static UUID othersLimit;

    @BeforeAll
    static void start() {
        server = RunningServer.start();
        acme = server.newTenant("Policies Bad Input");
        RunningServer.Tenant other = server.newTenant("Policies Bad Input Other");
        othersLimit = new ControlFixtures(new RunFixtures(server.database.dataSource())).limit(
                UUID.fromString(other.id()), "theirs", "SPEND_PER_DAY", 1000, 0, "BLOCK", "ACTIVE");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    record Bad(String label, String method, String path, String body, String field) {
        @Override
        public String toString() {
            return label;
        }
    }

    static Stream<Bad> cases() {
        String spend = "\"kind\":\"LIMIT_KIND_SPEND_PER_DAY\",\"amount\":\"1000\"";
        return Stream.of(
                new Bad("violations: bad time", "GET", VIOLATIONS + "?start_time=yesterday", null, "start_time"),
                new Bad("violations: end before start", "GET",
                        VIOLATIONS + "?start_time=2026-01-02T00:00:00Z&end_time=2026-01-01T00:00:00Z", null, "end_time"),
                new Bad("violations: unknown action", "GET", VIOLATIONS + "?action=EXPLODE", null, "action"),
                new Bad("violations: unknown control kind", "GET", VIOLATIONS + "?control_kind=NOPE", null, "control_kind"),
                new Bad("violations: unknown origin", "GET", VIOLATIONS + "?origin=NOPE", null, "origin"),
                new Bad("violations: control id not a uuid", "GET", VIOLATIONS + "?control_id=abc", null, "control_id"),
                new Bad("violations: page size", "GET", VIOLATIONS + "?page_size=5000", null, "page_size"),
                new Bad("violations: page token", "GET", VIOLATIONS + "?page_token=garbage", null, "page_token"),
                new Bad("violations: long feature", "GET", VIOLATIONS + "?feature=" + LONG, null, "feature"),
                new Bad("violation: id not a uuid", "GET", VIOLATIONS + "/not-a-uuid", null, "id"),
                new Bad("by-limit: unknown kind", "GET", VIOLATIONS + "/by-limit?control_kind=NOPE", null, "control_kind"),
                new Bad("by-limit: unknown action", "GET", VIOLATIONS + "/by-limit?action=NOPE", null, "action"),
                new Bad("by-limit: end before start", "GET",
                        VIOLATIONS + "/by-limit?start_time=2026-01-02T00:00:00Z&end_time=2026-01-01T00:00:00Z", null,
                        "end_time"),
                new Bad("simulate: nothing", "POST", SIMULATE, "{}", "limit.kind"),
                new Bad("simulate: no amount", "POST", SIMULATE, "{\"limit\":{\"kind\":\"LIMIT_KIND_SPEND_PER_DAY\"}}",
                        "limit.amount"),
                new Bad("simulate: negative amount", "POST", SIMULATE,
                        "{\"limit\":{\"kind\":\"LIMIT_KIND_SPEND_PER_DAY\",\"amount\":\"-5\"}}", "limit.amount"),
                new Bad("simulate: unknown kind", "POST", SIMULATE,
                        "{\"limit\":{\"kind\":\"LIMIT_KIND_PER_FORTNIGHT\",\"amount\":\"5\"}}", "limit.kind"),
                new Bad("simulate: unknown action", "POST", SIMULATE,
                        "{\"limit\":{" + spend + ",\"action\":\"EXPLODE\"}}", "limit.action"),
                new Bad("simulate: warn ratio", "POST", SIMULATE,
                        "{\"limit\":{" + spend + ",\"warn_at_ratio\":1.5}}", "limit.warn_at_ratio"),
                new Bad("simulate: key id not a uuid", "POST", SIMULATE,
                        "{\"limit\":{" + spend + ",\"scope\":{\"api_key_id\":\"k\"}}}", "limit.scope.api_key_id"),
                new Bad("simulate: long feature", "POST", SIMULATE,
                        "{\"limit\":{" + spend + ",\"scope\":{\"feature\":\"" + LONG + "\"}}}", "limit.scope.feature"),
                new Bad("simulate: base id not a uuid", "POST", SIMULATE,
                        "{\"base_limit_id\":\"x\",\"limit\":{\"amount\":\"5\"}}", "base_limit_id"),
                new Bad("simulate: bad time", "POST", SIMULATE,
                        "{\"limit\":{" + spend + "},\"start_time\":\"soon\"}", "start_time"),
                new Bad("simulate: end before start", "POST", SIMULATE, "{\"limit\":{" + spend
                        + "},\"start_time\":\"2026-01-02T00:00:00Z\",\"end_time\":\"2026-01-01T00:00:00Z\"}", "end_time"),
                new Bad("simulate: window too long", "POST", SIMULATE, "{\"limit\":{" + spend
                        + "},\"start_time\":\"2024-01-01T00:00:00Z\",\"end_time\":\"2026-01-01T00:00:00Z\"}", "start_time"),
                new Bad("coverage: bad time", "GET", "/api/v1/policies/coverage?end_time=later", null, "end_time"),
                new Bad("coverage: end before start", "GET",
                        "/api/v1/policies/coverage?start_time=2026-01-02T00:00:00Z&end_time=2026-01-01T00:00:00Z", null,
                        "end_time"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void refusedNamingTheField(Bad bad) {
        Reply reply = server.send(bad.method(), bad.path(), bad.body(), acme.ownerKey());
        assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
        assertThat(reply.json().get("message").asText()).as(reply.toString()).startsWith(bad.field() + ":");
    }

    @Test
    void unknownAndOtherTenantsLimitsAreNotFound() {
        for (UUID id : new UUID[] {UUID.randomUUID(), othersLimit}) {
            Reply reply = server.post(SIMULATE, "{\"base_limit_id\":\"" + id + "\",\"limit\":{\"amount\":\"5\"}}",
                                      acme.ownerKey());
            assertThat(reply.status()).as(reply.toString()).isEqualTo(404);
        }
        assertThat(server.get(VIOLATIONS + "/" + UUID.randomUUID(), acme.ownerKey()).status()).isEqualTo(404);
    }

    @Test
    void grpcRefusesValuesJsonCannotCarry() {
        Timestamp invalid = Timestamp.newBuilder().setSeconds(1).setNanos(-5).build();
        try (GovconClient client = server.grpc(acme.ownerKey())) {
            assertInvalid(() -> client.policies().simulateLimit(SimulateLimitRequest.newBuilder()
                    .setLimit(PolicyLimit.newBuilder().setKindValue(99).setAmount(5)).build()), "limit.kind");
            assertInvalid(() -> client.policies().simulateLimit(SimulateLimitRequest.newBuilder()
                    .setLimit(PolicyLimit.newBuilder().setKindValue(1).setAmount(5).setWarnAtRatio(Double.NaN))
                    .build()), "limit.warn_at_ratio");
            assertInvalid(() -> client.policies().listViolations(ListViolationsRequest.newBuilder()
                    .setStartTime(invalid).build()), "start_time");
            assertInvalid(() -> client.policies().listViolations(ListViolationsRequest.newBuilder()
                    .setActionValue(42).build()), "action");
            assertInvalid(() -> client.policies().getPolicyCoverage(GetPolicyCoverageRequest.newBuilder()
                    .setEndTime(invalid).build()), "end_time");
        }
    }

}
