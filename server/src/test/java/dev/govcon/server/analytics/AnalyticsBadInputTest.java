package dev.govcon.server.analytics;

import static dev.govcon.server.testing.Refusals.assertInvalid;
import static dev.govcon.server.testing.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.google.protobuf.Duration;

import dev.govcon.proto.v1.CreatePolicyLimitRequest;
import dev.govcon.proto.v1.ControlAction;
import dev.govcon.proto.v1.LimitKind;
import dev.govcon.proto.v1.PolicyLimit;
import dev.govcon.proto.v1.ProductivitySetting;
import dev.govcon.proto.v1.UpsertProductivitySettingRequest;
import dev.govcon.sdk.GovconClient;
import dev.govcon.server.testing.RunningServer;
import dev.govcon.server.testing.RunningServer.Reply;

/**
 * Analytics fed input it must refuse: 400 (INVALID_ARGUMENT) with a message that starts with
 * the offending field; another tenant's control ids are 404; writing settings needs ADMIN.
 */
class AnalyticsBadInputTest {
    static final String A = "/api/v1/analytics";
    static final String REVERSED = "start_time=2026-01-02T00:00:00Z&end_time=2026-01-01T00:00:00Z";
    static final String TOO_LONG = "start_time=2024-01-01T00:00:00Z&end_time=2026-01-01T00:00:00Z";
    static final String LONG = "x".repeat(300);

    static RunningServer server;
    static RunningServer.Tenant acme;
    static String othersLimit;

    @BeforeAll
    static void start() {
        server = RunningServer.start();
        acme = server.newTenant("Analytics Bad Input");
        RunningServer.Tenant other = server.newTenant("Analytics Bad Input Other");
        try (GovconClient c = server.grpc(other.ownerKey())) {
            othersLimit = c.policies().createPolicyLimit(CreatePolicyLimitRequest.newBuilder().setLimit(
                    PolicyLimit.newBuilder().setName("theirs").setKind(LimitKind.LIMIT_KIND_SPEND_PER_DAY)
                            .setAmount(1000).setAction(ControlAction.BLOCK)).build()).getLimit().getId();
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    record Bad(String path, String field) {
        @Override
        public String toString() {
            return path + " -> " + field;
        }
    }

    static Stream<Bad> cases() {
        String[] windowed = {"/cost/summary", "/cost/by-model", "/cost/by-feature", "/cost/trend", "/cost/anomalies",
                             "/cost/forecast", "/policies/usage", "/policies/effectiveness", "/policies/coverage",
                             "/productivity/saved-time", "/productivity/efficiency", "/productivity/trend"};
        Stream<Bad> windows = Stream.of(windowed).flatMap(p -> Stream.of(
                new Bad(p + "?" + REVERSED, "end_time"),
                new Bad(p + "?" + TOO_LONG, "start_time"),
                new Bad(p + "?start_time=yesterday", "start_time"),
                new Bad(p + "?environment=" + LONG, "environment")));
        return Stream.concat(windows, Stream.of(
                new Bad("/cost/trend?granularity=MONTH", "granularity"),
                new Bad("/cost/trend?granularity=HOUR&start_time=2026-01-01T00:00:00Z&end_time=2026-03-01T00:00:00Z",
                        "granularity"),
                new Bad("/policies/usage?granularity=FORTNIGHT", "granularity"),
                new Bad("/productivity/trend?granularity=YEAR", "granularity"),
                new Bad("/policies/coverage?granularity=HOUR&start_time=2026-01-01T00:00:00Z&end_time=2026-02-15T00:00:00Z",
                        "granularity"),
                new Bad("/cost/trend?group_by=USER", "group_by"),
                new Bad("/cost/trend?group_by=SIDEWAYS", "group_by"),
                new Bad("/cost/summary?model=" + LONG, "model"),
                new Bad("/cost/by-model?feature=" + LONG, "feature"),
                new Bad("/cost/by-feature?provider=" + LONG, "provider"),
                new Bad("/cost/by-model?page_size=5000", "page_size"),
                new Bad("/cost/by-feature?page_token=garbage", "page_token"),
                new Bad("/cost/anomalies?dimension=STATUS", "dimension"),
                new Bad("/cost/anomalies?min_score=-1", "min_score"),
                new Bad("/cost/forecast?horizon_days=91", "horizon_days"),
                new Bad("/cost/forecast?horizon_days=-3", "horizon_days"),
                new Bad("/cost/forecast?start_time=2026-01-01T03:00:00Z&end_time=2026-01-01T20:00:00Z", "start_time"),
                new Bad("/policies/usage?control_id=abc", "control_id"),
                new Bad("/policies/effectiveness?control_id=abc", "control_id"),
                new Bad("/productivity/efficiency?group_by=ENVIRONMENT", "group_by"),
                new Bad("/productivity/efficiency?page_size=-1", "page_size"),
                new Bad("/cost/summary?colour=blue", "colour")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void refusedNamingTheField(Bad bad) {
        assertRefused(server.get(A + bad.path(), acme.ownerKey()), bad.field());
    }

    @Test
    void anotherTenantsControlIsNotFound() {
        for (String p : new String[] {"/policies/usage", "/policies/effectiveness"}) {
            Reply reply = server.get(A + p + "?control_id=" + othersLimit, acme.ownerKey());
            assertThat(reply.status()).as(reply.toString()).isEqualTo(404);
            Reply unknown = server.get(A + p + "?control_id=" + UUID.randomUUID(), acme.ownerKey());
            assertThat(unknown.status()).as(unknown.toString()).isEqualTo(404);
        }
    }

    @Test
    void badSettingsAreRefusedAndNothingIsWritten() {
        try (GovconClient c = server.grpc(acme.ownerKey())) {
            record Case(ProductivitySetting.Builder setting, String field) {
            }
            for (Case k : new Case[] {
                    new Case(ProductivitySetting.newBuilder().setTimeSavedPerRun(seconds(60)), "setting.feature"),
                    new Case(ProductivitySetting.newBuilder().setFeature("search"), "setting.time_saved_per_run"),
                    new Case(ProductivitySetting.newBuilder().setFeature("search").setTimeSavedPerRun(seconds(0)),
                             "setting.time_saved_per_run"),
                    new Case(ProductivitySetting.newBuilder().setFeature("search").setTimeSavedPerRun(seconds(86_401)),
                             "setting.time_saved_per_run"),
                    new Case(ProductivitySetting.newBuilder().setFeature("search").setTimeSavedPerRun(
                            Duration.newBuilder().setSeconds(5).setNanos(500)), "setting.time_saved_per_run"),
                    new Case(ProductivitySetting.newBuilder().setFeature(LONG).setTimeSavedPerRun(seconds(5)),
                             "setting.feature")}) {
                assertInvalid(() -> c.analytics().upsertProductivitySetting(
                        UpsertProductivitySettingRequest.newBuilder().setSetting(k.setting()).build()), k.field());
            }
            assertThat(c.analytics().listProductivitySettings(
                    dev.govcon.proto.v1.ListProductivitySettingsRequest.getDefaultInstance()).getSettingsList()).isEmpty();
        }
    }

    static Duration seconds(long s) {
        return Duration.newBuilder().setSeconds(s).build();
    }
}
