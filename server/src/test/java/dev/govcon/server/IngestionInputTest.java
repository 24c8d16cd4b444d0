package dev.govcon.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

import dev.govcon.proto.v1.CompleteRunRequest;
import dev.govcon.proto.v1.Run;
import dev.govcon.proto.v1.RunAckOutcome;
import dev.govcon.proto.v1.RunStatus;
import dev.govcon.proto.v1.StreamRunsAck;
import dev.govcon.proto.v1.StreamRunsRequest;
import dev.govcon.sdk.GovconClient;
import dev.govcon.server.testing.RunningServer;
import dev.govcon.server.testing.RunningServer.Reply;
import io.grpc.stub.StreamObserver;

/** Every ingestion field out of range is a 400 naming it; streams acknowledge per batch. */
class IngestionInputTest {
    static RunningServer server;
    static RunningServer.Tenant tenant;

    @BeforeAll
    static void start() {
        server = RunningServer.start();
        tenant = server.newTenant("Ingestion Input Co");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static long records() throws Exception {
        try (Connection c = server.database.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT (SELECT count(*) FROM llm_run_records WHERE tenant_id = '"
                                            + tenant.id() + "') + (SELECT count(*) FROM runs WHERE tenant_id = '"
                                            + tenant.id() + "')")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static String longText(int n) {
        return "x".repeat(n);
    }

    static Stream<Arguments> badCompletions() {
        String base = "\"model\":\"gpt-4o\",\"status\":\"SUCCEEDED\"";
        return Stream.of(
                Arguments.of("{" + base + ",\"provider\":\"" + longText(201) + "\"}", "run.provider"),
                Arguments.of("{" + base + ",\"feature\":\"" + longText(201) + "\"}", "run.feature"),
                Arguments.of("{" + base + ",\"end_user\":\"" + longText(201) + "\"}", "run.end_user"),
                Arguments.of("{" + base + ",\"integration_id\":\"" + longText(201) + "\"}", "run.integration_id"),
                Arguments.of("{" + base + ",\"environment\":\"" + longText(201) + "\"}", "run.environment"),
                Arguments.of("{" + base + ",\"reservation_id\":\"" + longText(201) + "\"}", "run.reservation_id"),
                Arguments.of("{" + base + ",\"output_tokens\":-1}", "run.output_tokens"),
                Arguments.of("{" + base + ",\"cached_input_tokens\":-1}", "run.cached_input_tokens"),
                Arguments.of("{" + base + ",\"cache_write_tokens\":-1}", "run.cache_write_tokens"),
                Arguments.of("{" + base + ",\"reasoning_tokens\":20000000000}", "run.reasoning_tokens"),
                Arguments.of("{" + base + ",\"latency_ms\":-3}", "run.latency_ms"),
                Arguments.of("{" + base + ",\"error\":\"" + longText(4097) + "\"}", "run.error"),
                Arguments.of("{" + base + ",\"start_time\":\"2026-01-02T00:00:00Z\",\"end_time\":\"2026-01-01T00:00:00Z\"}",
                             "run.end_time"),
                Arguments.of("{" + base + ",\"metadata\":{\"\":\"v\"}}", "run.metadata"),
                Arguments.of("{" + base + ",\"metadata\":{\"k\":\"" + longText(1025) + "\"}}", "run.metadata[k]"),
                Arguments.of("{" + base + ",\"input_tokens\":\"many\"}", "run.input_tokens"),
                Arguments.of("{" + base + ",\"start_time\":\"yesterday\"}", "run.start_time"),
                Arguments.of("{" + base + ",\"run_id\":\"another\"}", "run.run_id"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badCompletions")
    void aBadCompletionFieldIsNamedAndNothingIsWritten(String run, String field) throws Exception {
        long before = records();
        Reply reply = server.post("/api/v1/activity/runs/bad-1/complete", "{\"run\":" + run + "}", tenant.ownerKey());
        assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
        assertThat(reply.json().get("message").asText()).as(reply.toString()).startsWith(field + ":");
        assertThat(records()).isEqualTo(before);
    }

    @Test
    void tooManyMetadataKeysAndBadStartsAreRefused() throws Exception {
        StringBuilder meta = new StringBuilder();
        for (int i = 0; i < 65; i++) {
            meta.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"v\"");
        }
        long before = records();
        Reply many = server.post("/api/v1/activity/runs/bad-2/complete",
                "{\"run\":{\"model\":\"m\",\"status\":\"FAILED\",\"metadata\":{" + meta + "}}}", tenant.ownerKey());
        assertThat(many.json().get("message").asText()).startsWith("run.metadata:");
        Reply noId = server.post("/api/v1/activity/runs", "{\"run\":{\"model\":\"m\"}}", tenant.ownerKey());
        assertThat(noId.json().get("message").asText()).startsWith("run.run_id:");
        Reply finished = server.post("/api/v1/activity/runs", "{\"run\":{\"run_id\":\"s\",\"status\":\"FAILED\"}}",
                                     tenant.ownerKey());
        assertThat(finished.json().get("message").asText()).startsWith("run.status:");
        Reply badPath = server.post("/api/v1/activity/runs/" + "x".repeat(129) + "/complete",
                "{\"run\":{\"model\":\"m\",\"status\":\"FAILED\"}}", tenant.ownerKey());
        assertThat(badPath.json().get("message").asText()).startsWith("run_id:");
        assertThat(records()).isEqualTo(before);
    }

    @Test
    void aCompletionAnswersWithTheRunAsStored() {
        server.post("/api/v1/activity/runs", "{\"run\":{\"run_id\":\"stored-1\",\"model\":\"gpt-4o\",\"feature\":\"faq\"}}",
                    tenant.ownerKey());
        try (GovconClient client = server.grpc(tenant.ownerKey())) {
            Run stored = client.runtime().completeRun(CompleteRunRequest.newBuilder().setRunId("stored-1")
                    .setRun(Run.newBuilder().setModel("gpt-4o").setStatus(RunStatus.SUCCEEDED).setInputTokens(1000)).build())
                    .getRun();
            assertThat(stored.getFeature()).isEqualTo("faq");
            assertThat(stored.getCostMicros()).isEqualTo(2500); // 1000 input tokens of gpt-4o at $2.50/M
            assertThat(stored.getStatus()).isEqualTo(RunStatus.SUCCEEDED);
        }
    }

    @Test
    void aStreamAcknowledgesEachBatchAndReportsBadRunsWithoutEnding() throws Exception {
        List<StreamRunsAck> acks = new ArrayList<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        try (GovconClient client = server.grpc(tenant.ownerKey())) {
            StreamObserver<StreamRunsRequest> requests = client.runtimeStreaming().streamRuns(new StreamObserver<>() {
                @Override
                public void onNext(StreamRunsAck ack) {
                    synchronized (acks) {
                        acks.add(ack);
                    }
                }

                @Override
                public void onError(Throwable t) {
                    done.completeExceptionally(t);
                }

                @Override
                public void onCompleted() {
                    done.complete(null);
                }
            });
            for (int batch = 1; batch <= 3; batch++) {
                StreamRunsRequest.Builder request = StreamRunsRequest.newBuilder().setSequence(batch);
                for (int i = 0; i < 10; i++) {
                    request.addRuns(Run.newBuilder().setRunId("st-" + batch + "-" + i).setModel("gpt-4o")
                            .setStatus(RunStatus.SUCCEEDED).setCostMicros(1));
                }
                if (batch == 2) {
                    request.addRuns(Run.newBuilder().setRunId("st-bad").setStatus(RunStatus.SUCCEEDED)); // no model
                    request.addRuns(Run.newBuilder().setRunId("st-1-0").setModel("gpt-4o")
                            .setStatus(RunStatus.SUCCEEDED).setCostMicros(1)); // a resend of batch 1's first run
                }
                requests.onNext(request.build());
            }
            requests.onCompleted();
            done.get(20, TimeUnit.SECONDS);
        }
        assertThat(acks).extracting(StreamRunsAck::getAckedSequence).containsExactlyInAnyOrder(1L, 2L, 3L);
        // Batches in flight together may commit in either order, so the resent run is the
        // duplicate in whichever batch came second; across the stream each run counts once.
        assertThat(acks.stream().mapToInt(StreamRunsAck::getRecordedCount).sum()).isEqualTo(30);
        assertThat(acks.stream().mapToInt(StreamRunsAck::getDuplicateCount).sum()).isEqualTo(1);
        StreamRunsAck second = acks.stream().filter(a -> a.getAckedSequence() == 2).findFirst().orElseThrow();
        assertThat(second.getRejectedCount()).isEqualTo(1);
        assertThat(second.getSkippedList()).anySatisfy(ack -> {
            assertThat(ack.getRunId()).isEqualTo("st-bad");
            assertThat(ack.getOutcome()).isEqualTo(RunAckOutcome.RUN_ACK_REJECTED);
            assertThat(ack.getError()).startsWith("runs[10].model");
        });
        // Runs without an end time end "now" on the server's (fixed) test clock.
        JsonNode page = server.get("/api/v1/activity/runs/completed?page_size=1000&end_time="
                                   + server.clock.instant().plusSeconds(60), tenant.ownerKey()).json();
        long streamed = 0;
        for (JsonNode r : page.get("runs")) {
            if (r.get("run_id").asText().startsWith("st-")) {
                streamed++;
            }
        }
        assertThat(streamed).isEqualTo(30);
    }

    @Test
    void aStreamMayCarryMoreThanTheServersRequestLengthLimit() throws Exception {
        // 12 messages of 100 runs with 10 kB of metadata each: 12 MB on one stream, more than
        // the 10 MB a single request may carry, while every message stays small.
        Run.Builder heavy = Run.newBuilder().setModel("gpt-4o").setStatus(RunStatus.SUCCEEDED).setCostMicros(1);
        for (int k = 0; k < 10; k++) {
            heavy.putMetadata("note-" + k, longText(1000));
        }
        List<StreamRunsAck> acks = new ArrayList<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        try (GovconClient client = server.grpc(tenant.ownerKey())) {
            StreamObserver<StreamRunsRequest> requests = client.runtimeStreaming().streamRuns(new StreamObserver<>() {
                @Override
                public void onNext(StreamRunsAck ack) {
                    synchronized (acks) {
                        acks.add(ack);
                    }
                }

                @Override
                public void onError(Throwable t) {
                    done.completeExceptionally(t);
                }

                @Override
                public void onCompleted() {
                    done.complete(null);
                }
            });
            for (int batch = 1; batch <= 12; batch++) {
                StreamRunsRequest.Builder request = StreamRunsRequest.newBuilder().setSequence(batch);
                for (int i = 0; i < 100; i++) {
                    request.addRuns(heavy.setRunId("big-" + batch + "-" + i));
                }
                requests.onNext(request.build());
            }
            requests.onCompleted();
            done.get(60, TimeUnit.SECONDS);
        }
        assertThat(acks).hasSize(12);
        assertThat(acks.stream().mapToInt(StreamRunsAck::getRecordedCount).sum()).isEqualTo(1200);
    }
}
