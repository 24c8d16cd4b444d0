package dev.govcon.server.policies;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.govcon.proto.v1.DimensionBucket;
import dev.govcon.proto.v1.GetPolicyCoverageRequest;
import dev.govcon.proto.v1.GetPolicyCoverageResponse;
import dev.govcon.proto.v1.RecordRunsRequest;
import dev.govcon.proto.v1.Run;
import dev.govcon.proto.v1.RunStatus;
import dev.govcon.sdk.GovconClient;
import dev.govcon.server.testing.RunFixtures;
import dev.govcon.server.testing.RunningServer;
import dev.govcon.server.testing.RunningServer.Reply;
import dev.govcon.server.wire.Times;

/**
 * Coverage on a fixed data set:
 * <pre>
 * run  feature    model          end user  environment  cost  tokens  governed by
 * s1   search     gpt-4o         u-1       production    100      10  L1 (feature search)
 * s2   search     claude-sonnet  u-2       production    200      20  L1
 * c1   chat       gpt-4o         u-1       production    300      30  - (R2 is ADVISORY)
 * c2   chat       gpt-4o         u-vip     production     50       5  - (R1 wants gemini-pro)
 * m1   summarise  gemini-pro     u-vip     production    400      40  R1 (gemini-pro AND u-vip)
 * m2   summarise  gemini-pro     u-1       production   1000     100  -
 * m3   summarise  gemini-pro     u-1       staging         7       1  L3 (staging AND gemini-pro)
 * </pre>
 * A DRAFT tenant-wide limit and a DISABLED tenant-wide rule govern nothing, nor does another
 * tenant's active tenant-wide limit.
 */
class PolicyCoverageTest {
    static RunningServer server;
    static RunningServer.Tenant acme;
    static GovconClient client;
    static Instant from;
    static Instant to;

    @BeforeAll
    static void start() {
        server = RunningServer.start();
        acme = server.newTenant("Coverage Acme");
        RunningServer.Tenant other = server.newTenant("Coverage Other");
        to = server.clock.instant().truncatedTo(ChronoUnit.HOURS);
        from = to.minus(Duration.ofDays(3));
        Instant at = to.minus(Duration.ofDays(2));
        client = server.grpc(acme.ownerKey());
        client.runtime().recordRuns(RecordRunsRequest.newBuilder().addAllRuns(List.of(
                run("s1", "search", "gpt-4o", "u-1", "production", 100, 10, at),
                run("s2", "search", "claude-sonnet", "u-2", "production", 200, 20, at.plusSeconds(60)),
                run("c1", "chat", "gpt-4o", "u-1", "production", 300, 30, at.plusSeconds(120)),
                run("c2", "chat", "gpt-4o", "u-vip", "production", 50, 5, at.plusSeconds(180)),
                run("m1", "summarise", "gemini-pro", "u-vip", "production", 400, 40, at.plusSeconds(240)),
                run("m2", "summarise", "gemini-pro", "u-1", "production", 1000, 100, at.plusSeconds(7200)),
                run("m3", "summarise", "gemini-pro", "u-1", "staging", 7, 1, at.plusSeconds(9000)),
                // Outside the window.
                run("old", "legacy", "gpt-3", "u-1", "production", 999, 9, from.minus(Duration.ofDays(1)))))
                .build());
        ControlFixtures controls = new ControlFixtures(new RunFixtures(server.database.dataSource()));
        UUID acmeId = UUID.fromString(acme.id());
        controls.limit(acmeId, "L1", "SPEND_PER_DAY", 1000, 0, "BLOCK", "ACTIVE", "search");
        controls.rule(acmeId, "R1", "MAX_TOKENS_PER_RUN", "ENFORCED", "WARN", "ACTIVE", "", "gemini-pro", "u-vip");
        controls.rule(acmeId, "R2", "REQUIRED_METADATA", "ADVISORY", "BLOCK", "ACTIVE", "chat");
        controls.limit(acmeId, "L2", "SPEND_PER_MONTH", 1000, 0, "BLOCK", "DRAFT");
        controls.rule(acmeId, "R3", "MODEL_DENY_LIST", "ENFORCED", "BLOCK", "DISABLED");
        controls.limit(acmeId, "L3", "TOKENS_PER_DAY", 1000, 0, "LOG", "ACTIVE", "", "gemini-pro", "", "", "", "staging");
        controls.limit(UUID.fromString(other.id()), "theirs", "SPEND_PER_DAY", 1000, 0, "BLOCK", "ACTIVE");
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    static Run run(String id, String feature, String model, String user, String environment, long cost, long tokens,
                   Instant end) {
        return Run.newBuilder().setRunId(id).setFeature(feature).setModel(model).setProvider("p-" + model)
                .setEndUser(user).setEnvironment(environment).setStatus(RunStatus.SUCCEEDED)
                .setStartTime(Times.ts(end.minusSeconds(1))).setEndTime(Times.ts(end)).setInputTokens(tokens)
                .setCostMicros(cost).setLatencyMs(1000).build();
    }

    static GetPolicyCoverageResponse coverage() {
        return client.policies().getPolicyCoverage(GetPolicyCoverageRequest.newBuilder()
                .setStartTime(Times.ts(from)).setEndTime(Times.ts(to)).build());
    }

    static List<String> buckets(List<DimensionBucket> list) {
        return list.stream().map(b -> b.getValue() + " " + b.getRuns() + " " + b.getTotalTokens() + " "
                                      + b.getCostMicros()).toList();
    }

    @Test
    void runsFeaturesAndModelsGovernedByTheActiveControls() {
        GetPolicyCoverageResponse c = coverage();
        assertThat(c.getActiveControlCount()).isEqualTo(3);
        assertThat(List.of(c.getTotalRuns(), c.getGovernedRuns())).containsExactly(7L, 4L);
        assertThat(c.getRunsGovernedRatio()).isEqualTo(4.0 / 7);
        assertThat(List.of(c.getTotalCostMicros(), c.getGovernedCostMicros())).containsExactly(2057L, 707L);
        assertThat(c.getCostGovernedRatio()).isEqualTo(707.0 / 2057);
        assertThat(List.of(c.getTotalFeatures(), c.getGovernedFeatures())).containsExactly(3L, 1L);
        assertThat(c.getFeaturesGovernedRatio()).isEqualTo(1.0 / 3);
        assertThat(List.of(c.getTotalModels(), c.getGovernedModels())).containsExactly(3L, 1L);
        // What no control governs, highest spend first.
        assertThat(buckets(c.getUngovernedFeaturesList())).containsExactly("summarise 1 100 1000", "chat 2 35 350");
        assertThat(buckets(c.getUngovernedModelsList())).containsExactly("gemini-pro 1 100 1000", "gpt-4o 2 35 350");
        assertThat(Times.instant(c.getStartTime())).isEqualTo(from);
        assertThat(Times.instant(c.getEndTime())).isEqualTo(to);
    }

    @Test
    void aTenantWithoutControlsGovernsNothing() {
        RunningServer.Tenant bare = server.newTenant("Coverage Bare");
        try (GovconClient c = server.grpc(bare.ownerKey())) {
            c.runtime().recordRuns(RecordRunsRequest.newBuilder()
                    .addRuns(run("x", "search", "gpt-4o", "u", "production", 10, 1, to.minusSeconds(3600))).build());
            GetPolicyCoverageResponse r = c.policies().getPolicyCoverage(GetPolicyCoverageRequest.getDefaultInstance());
            assertThat(List.of(r.getActiveControlCount(), r.getTotalRuns(), r.getGovernedRuns(), r.getTotalFeatures(),
                               r.getGovernedFeatures())).containsExactly(0L, 1L, 0L, 1L, 0L);
            assertThat(r.getRunsGovernedRatio()).isZero();
            assertThat(buckets(r.getUngovernedFeaturesList())).containsExactly("search 1 1 10");
        }
        RunningServer.Tenant empty = server.newTenant("Coverage Empty");
        Reply reply = server.get("/api/v1/policies/coverage", empty.ownerKey());
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(reply.json().get("total_runs").asLong()).isZero();
        assertThat(reply.json().get("runs_governed_ratio").asDouble()).isZero();
    }

    @Test
    void restAnswersTheSame() {
        Reply reply = server.get("/api/v1/policies/coverage?start_time=" + from + "&end_time=" + to, acme.ownerKey());
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        JsonNode c = reply.json();
        assertThat(c.get("governed_runs").asLong()).isEqualTo(4);
        assertThat(c.get("ungoverned_features").get(0).get("value").asText()).isEqualTo("summarise");
        assertThat(c.get("ungoverned_models").get(1).get("cost_micros").asLong()).isEqualTo(350);
    }
}
