package dev.govcon.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.govcon.proto.v1.CostSource;
import dev.govcon.proto.v1.GetRunRequest;
import dev.govcon.proto.v1.Run;
import dev.govcon.proto.v1.RunStatus;
import dev.govcon.sdk.GovconClient;
import dev.govcon.sdk.RunRecorder;
import dev.govcon.server.testing.RunningServer;
import dev.govcon.server.wire.Times;

/** A run written through each door (gRPC, REST, the SDK's recorder) reads back field for field. */
class RunRoundTripTest {
    static RunningServer server;

    @BeforeAll
    static void start() {
        server = RunningServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Run full(String runId) {
        Instant end = server.clock.instant().minusSeconds(30).truncatedTo(ChronoUnit.MILLIS);
        return Run.newBuilder().setRunId(runId).setModel("gpt-4o").setProvider("openai").setFeature("support-chat")
                .setEndUser("customer-42").setIntegrationId("int-7").setEnvironment("staging")
                .setStatus(RunStatus.FAILED).setStartTime(Times.ts(end.minusMillis(1500))).setEndTime(Times.ts(end))
                .setInputTokens(1200).setOutputTokens(300).setCachedInputTokens(400).setCacheWriteTokens(50)
                .setReasoningTokens(25).setCostMicros(9876).setLatencyMs(1500).setError("rate limited")
                .putMetadata("ticket", "T-9").putMetadata("tier", "gold").setReservationId("res-1").build();
    }

    static void assertSameRun(Run sent, Run read, String keyId) {
        assertThat(read.toBuilder().clearCostSource().clearApiKeyId().clearReceivedAt().clearTraceStepCount()
                           .clearCostUnknown().build())
                .isEqualTo(sent);
        assertThat(read.getCostSource()).isEqualTo(CostSource.COST_SOURCE_CALLER);
        assertThat(read.getApiKeyId()).isEqualTo(keyId);
        assertThat(read.hasReceivedAt()).isTrue();
    }

    static String ownerKeyId(RunningServer.Tenant t) {
        return server.get("/api/v1/connectivity/api-keys", t.ownerKey()).json().get("api_keys").get(0).get("id").asText();
    }

    @Test
    void throughGrpcAndReadBackOverGrpcAndRest() {
        var t = server.newTenant("Round Trip Grpc");
        Run sent = full("rt-grpc");
        try (GovconClient client = server.grpc(t.ownerKey())) {
            client.runs().complete("rt-grpc", sent);
            Run read = client.activity().getRun(GetRunRequest.newBuilder().setRunId("rt-grpc").build());
            assertSameRun(sent, read, ownerKeyId(t));
        }
        JsonNode rest = server.get("/api/v1/activity/runs/rt-grpc", t.ownerKey()).json();
        assertThat(rest.get("model").asText()).isEqualTo("gpt-4o");
        assertThat(rest.get("status").asText()).isEqualTo("FAILED");
        assertThat(rest.get("cached_input_tokens").asLong()).isEqualTo(400);
        assertThat(rest.get("cost_micros").asLong()).isEqualTo(9876);
        assertThat(rest.get("metadata").get("tier").asText()).isEqualTo("gold");
        assertThat(Instant.parse(rest.get("end_time").asText())).isEqualTo(Times.instant(sent.getEndTime()));
    }

    @Test
    void throughRestAndReadBackOverGrpc() {
        var t = server.newTenant("Round Trip Rest");
        Run sent = full("rt-rest");
        String body = "{\"runs\":[" + dev.govcon.server.wire.Json.of(sent) + "]}";
        assertThat(server.post("/api/v1/activity/runs/batch", body, t.ownerKey()).json().get("recorded_count").asInt())
                .isEqualTo(1);
        try (GovconClient client = server.grpc(t.ownerKey())) {
            assertSameRun(sent, client.activity().getRun(GetRunRequest.newBuilder().setRunId("rt-rest").build()),
                          ownerKeyId(t));
        }
    }

    @Test
    void throughTheSdkRecorderAndReadBack() {
        var t = server.newTenant("Round Trip Recorder");
        try (GovconClient client = server.grpc(t.ownerKey())) {
            try (RunRecorder recorder = client.newRecorder()) {
                for (int i = 0; i < 25; i++) {
                    assertThat(recorder.record(full("rt-rec-" + i))).isTrue();
                }
                assertThat(recorder.flush(Duration.ofSeconds(10))).isTrue();
                assertThat(recorder.recordedCount()).isEqualTo(25);
            }
            for (int i = 0; i < 25; i++) {
                assertSameRun(full("rt-rec-" + i),
                              client.activity().getRun(GetRunRequest.newBuilder().setRunId("rt-rec-" + i).build()),
                              ownerKeyId(t));
            }
        }
    }
}
