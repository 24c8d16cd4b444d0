package dev.govcon.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.govcon.proto.v1.CompleteRunRequest;
import dev.govcon.proto.v1.CompleteRunResponse;
import dev.govcon.proto.v1.CostSource;
import dev.govcon.proto.v1.RecordRunsRequest;
import dev.govcon.proto.v1.RecordRunsResponse;
import dev.govcon.proto.v1.Run;
import dev.govcon.proto.v1.RunAckOutcome;
import dev.govcon.proto.v1.RunStatus;
import dev.govcon.proto.v1.StartRunRequest;
import dev.govcon.sdk.GovconClient;
import dev.govcon.server.testing.RunningServer;
import dev.govcon.server.testing.RunningServer.Reply;
import dev.govcon.server.wire.Times;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** The write side of runs: idempotency, cost, rollups, the reaper, immutability, bad input. */
class IngestionTest {
    static RunningServer server;

    @BeforeAll
    static void start() {
        server = RunningServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Run finished(String runId, String model, String feature, RunStatus status, long in, long out, Instant end) {
        return Run.newBuilder().setRunId(runId).setModel(model).setProvider("openai").setFeature(feature)
                .setEndUser("user-1").setEnvironment("production").setStatus(status)
                .setStartTime(Times.ts(end.minusMillis(800))).setEndTime(Times.ts(end))
                .setInputTokens(in).setOutputTokens(out).setLatencyMs(800).build();
    }

    static long scalar(String sql) throws Exception {
        try (Connection c = server.database.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void theSameBatchSentThreeTimesAndFromTwoClientsAtOnceCountsOnce() throws Exception {
        var t = server.newTenant("Idempotent Co");
        Instant end = server.clock.instant().minusSeconds(60);
        List<Run> runs = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            runs.add(finished("idem-" + i, "gpt-4o", "search", RunStatus.SUCCEEDED, 1000, 200, end).toBuilder()
                    .setCostMicros(1234).build());
        }
        RecordRunsRequest batch = RecordRunsRequest.newBuilder().addAllRuns(runs).build();
        try (GovconClient a = server.grpc(t.ownerKey()); GovconClient b = server.grpc(t.ownerKey())) {
            RecordRunsResponse first = a.runtime().recordRuns(batch);
            assertThat(first.getRecordedCount()).isEqualTo(200);
            RecordRunsResponse again = a.runtime().recordRuns(batch);
            assertThat(again.getRecordedCount()).isZero();
            assertThat(again.getDuplicateCount()).isEqualTo(200);
            var x = CompletableFuture.supplyAsync(() -> a.runtime().recordRuns(batch));
            var y = CompletableFuture.supplyAsync(() -> b.runtime().recordRuns(batch));
            assertThat(x.get().getRecordedCount() + y.get().getRecordedCount()).isZero();
        }
        assertThat(scalar("SELECT count(*) FROM llm_run_records WHERE tenant_id = '" + t.id() + "'")).isEqualTo(200);
        assertThat(scalar("SELECT sum(runs) FROM run_rollups_hourly WHERE tenant_id = '" + t.id() + "'")).isEqualTo(200);
        assertThat(scalar("SELECT sum(cost_micros) FROM run_rollups_hourly WHERE tenant_id = '" + t.id() + "'"))
                .isEqualTo(200 * 1234L);

        // Two fresh clients racing on new runs: each run is recorded by exactly one of them.
        List<Run> fresh = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            fresh.add(finished("race-" + i, "gpt-4o", "search", RunStatus.SUCCEEDED, 10, 10, end).toBuilder()
                    .setCostMicros(10).build());
        }
        RecordRunsRequest raced = RecordRunsRequest.newBuilder().addAllRuns(fresh).build();
        try (GovconClient a = server.grpc(t.ownerKey()); GovconClient b = server.grpc(t.ownerKey())) {
            var x = CompletableFuture.supplyAsync(() -> a.runtime().recordRuns(raced));
            var y = CompletableFuture.supplyAsync(() -> b.runtime().recordRuns(raced));
            assertThat(x.get().getRecordedCount() + y.get().getRecordedCount()).isEqualTo(300);
            assertThat(x.get().getDuplicateCount() + y.get().getDuplicateCount()).isEqualTo(300);
        }
        assertThat(scalar("SELECT sum(runs) FROM run_rollups_hourly WHERE tenant_id = '" + t.id() + "'")).isEqualTo(500);
    }

    @Test
    void aContradictingCompletionIsRefusedAndARetryIsADuplicate() {
        var t = server.newTenant("Contradiction Co");
        Run run = finished("c-1", "gpt-4o", "chat", RunStatus.SUCCEEDED, 100, 50, server.clock.instant());
        try (GovconClient client = server.grpc(t.ownerKey())) {
            CompleteRunResponse first = client.runtime().completeRun(
                    CompleteRunRequest.newBuilder().setRunId("c-1").setRun(run).build());
            assertThat(first.getDuplicate()).isFalse();
            CompleteRunResponse retry = client.runtime().completeRun(
                    CompleteRunRequest.newBuilder().setRunId("c-1").setRun(run).build());
            assertThat(retry.getDuplicate()).isTrue();
            assertThatThrownBy(() -> client.runtime().completeRun(CompleteRunRequest.newBuilder().setRunId("c-1")
                    .setRun(run.toBuilder().setOutputTokens(51)).build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION));
        }
        Reply rest = server.post("/api/v1/activity/runs/c-1/complete",
                "{\"run\":{\"model\":\"gpt-4o\",\"status\":\"FAILED\"}}", t.ownerKey());
        assertThat(rest.status()).isEqualTo(400);
        assertThat(rest.json().get("grpc-code").asText()).isEqualTo("FAILED_PRECONDITION");
    }

    @Test
    void costComesFromThePriceTableWhenTheCallerSendsNone() throws Exception {
        var t = server.newTenant("Priced Co");
        Run unpriced = Run.newBuilder().setRunId("p-1").setModel("gpt-4o").setProvider("openai")
                .setStatus(RunStatus.SUCCEEDED).setInputTokens(1_000_000).setOutputTokens(1_000_000).build();
        Run unknown = Run.newBuilder().setRunId("p-2").setModel("my-own-finetune").setStatus(RunStatus.SUCCEEDED)
                .setInputTokens(500).build();
        Run caller = unknown.toBuilder().setRunId("p-3").setCostMicros(777).build();
        try (GovconClient client = server.grpc(t.ownerKey())) {
            client.runtime().recordRuns(RecordRunsRequest.newBuilder().addRuns(unpriced).addRuns(unknown).addRuns(caller).build());
        }
        Map<String, String> sources = new HashMap<>();
        Map<String, Long> costs = new HashMap<>();
        try (Connection c = server.database.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT run_id, cost_micros, cost_source, cost_unknown FROM llm_run_records"
                                            + " WHERE tenant_id = '" + t.id() + "'")) {
            while (rs.next()) {
                sources.put(rs.getString(1), rs.getString(3) + (rs.getBoolean(4) ? " unknown" : ""));
                costs.put(rs.getString(1), rs.getLong(2));
            }
        }
        assertThat(sources).containsEntry("p-1", CostSource.COST_SOURCE_DEFAULT_PRICE.name())
                           .containsEntry("p-2", CostSource.COST_SOURCE_UNKNOWN.name() + " unknown")
                           .containsEntry("p-3", CostSource.COST_SOURCE_CALLER.name());
        // gpt-4o: $2.50 per million input tokens and $10 per million output tokens.
        assertThat(costs.get("p-1")).isEqualTo(2_500_000L + 10_000_000L);
        assertThat(costs.get("p-2")).isZero();
        assertThat(costs.get("p-3")).isEqualTo(777L);
    }

    @Test
    void rollupsEqualADirectAggregateOverTheRecordsAfterARandomIngest() throws Exception {
        var t = server.newTenant("Rollup Co");
        Random random = new Random(42);
        String[] models = {"gpt-4o", "gpt-4o-mini", "claude-3-haiku-20240307", "unknown-model"};
        String[] features = {"search", "chat", "summaries"};
        RunStatus[] statuses = {RunStatus.SUCCEEDED, RunStatus.SUCCEEDED, RunStatus.FAILED, RunStatus.TIMED_OUT};
        Instant base = server.clock.instant().minus(Duration.ofHours(6));
        List<Run> runs = new ArrayList<>();
        for (int i = 0; i < 900; i++) {
            Instant end = base.plusSeconds(random.nextInt(6 * 3600));
            Run.Builder r = Run.newBuilder().setRunId("r-" + i).setModel(models[random.nextInt(models.length)])
                    .setFeature(features[random.nextInt(features.length)]).setStatus(statuses[random.nextInt(statuses.length)])
                    .setEndTime(Times.ts(end)).setLatencyMs(random.nextInt(20_000))
                    .setInputTokens(random.nextInt(5000)).setOutputTokens(random.nextInt(2000))
                    .setCachedInputTokens(random.nextInt(1000)).setReasoningTokens(random.nextInt(500));
            if (random.nextBoolean()) {
                r.setCostMicros(random.nextInt(100_000));
            }
            runs.add(r.build());
        }
        try (GovconClient client = server.grpc(t.ownerKey())) {
            for (int i = 0; i < runs.size(); i += 300) {
                client.runtime().recordRuns(RecordRunsRequest.newBuilder().addAllRuns(runs.subList(i, i + 300)).build());
            }
        }
        String raw = "SELECT date_trunc('hour', end_time, 'UTC') h, model, feature, status, count(*) n,"
                     + " sum(input_tokens) i, sum(output_tokens) o, sum(cached_input_tokens) c, sum(reasoning_tokens) r,"
                     + " sum(cost_micros) cost, sum(latency_ms) lat, max(latency_ms) mx"
                     + " FROM llm_run_records WHERE tenant_id = '" + t.id() + "' GROUP BY 1, 2, 3, 4";
        String rolled = "SELECT hour h, model, feature, status, runs n, input_tokens i, output_tokens o,"
                        + " cached_input_tokens c, reasoning_tokens r, cost_micros cost, latency_ms_sum lat, latency_ms_max mx"
                        + " FROM run_rollups_hourly WHERE tenant_id = '" + t.id() + "'";
        assertThat(scalar("SELECT count(*) FROM ((" + raw + ") EXCEPT (" + rolled + ")) d")).isZero();
        assertThat(scalar("SELECT count(*) FROM ((" + rolled + ") EXCEPT (" + raw + ")) d")).isZero();
        assertThat(scalar("SELECT sum(runs) FROM run_rollups_hourly WHERE tenant_id = '" + t.id() + "'")).isEqualTo(900);
        // Each rollup row's histogram counts exactly its runs.
        assertThat(scalar("SELECT count(*) FROM run_rollups_hourly WHERE tenant_id = '" + t.id() + "'"
                          + " AND (SELECT sum(x) FROM unnest(latency_histogram) x) <> runs")).isZero();
    }

    @Test
    void aStartedRunIsLiveUntilItsCompletionWhichInheritsWhatTheStartSaid() throws Exception {
        var t = server.newTenant("Lifecycle Co");
        Reply started = server.post("/api/v1/activity/runs", "{\"run\":{\"run_id\":\"life-1\",\"model\":\"gpt-4o\","
                + "\"feature\":\"agent\",\"end_user\":\"u-9\",\"metadata\":{\"ticket\":\"T-1\"}}}", t.ownerKey());
        assertThat(started.status()).as(started.toString()).isEqualTo(200);
        assertThat(started.json().get("created").asBoolean()).isTrue();
        assertThat(server.post("/api/v1/activity/runs", "{\"run\":{\"run_id\":\"life-1\"}}", t.ownerKey())
                       .json().get("created").asBoolean()).isFalse();
        assertThat(scalar("SELECT count(*) FROM runs WHERE tenant_id = '" + t.id() + "'")).isEqualTo(1);

        Reply completed = server.post("/api/v1/activity/runs/life-1/complete",
                "{\"run\":{\"model\":\"gpt-4o\",\"status\":\"SUCCEEDED\",\"input_tokens\":10}}", t.ownerKey());
        assertThat(completed.status()).as(completed.toString()).isEqualTo(200);
        assertThat(scalar("SELECT count(*) FROM runs WHERE tenant_id = '" + t.id() + "'")).isZero();
        try (Connection c = server.database.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT feature, end_user, metadata->>'ticket', status FROM llm_run_records"
                                            + " WHERE tenant_id = '" + t.id() + "' AND run_id = 'life-1'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("agent");
            assertThat(rs.getString(2)).isEqualTo("u-9");
            assertThat(rs.getString(3)).isEqualTo("T-1");
            assertThat(rs.getString(4)).isEqualTo("SUCCEEDED");
        }
        // A late start after the completion does not bring the run back to life.
        assertThat(server.post("/api/v1/activity/runs", "{\"run\":{\"run_id\":\"life-1\"}}", t.ownerKey())
                       .json().get("created").asBoolean()).isFalse();
        assertThat(scalar("SELECT count(*) FROM runs WHERE tenant_id = '" + t.id() + "'")).isZero();
    }

    @Test
    void theReaperTimesOutAStaleRunAndAddsItToTheRollups() throws Exception {
        var t = server.newTenant("Reaper Co");
        try (GovconClient client = server.grpc(t.ownerKey())) {
            client.runtime().startRun(StartRunRequest.newBuilder().setRun(Run.newBuilder().setRunId("stale-1")
                    .setModel("gpt-4o").setFeature("batch").setStartTime(Times.ts(server.clock.instant().minus(Duration.ofHours(3))))).build());
            client.runtime().startRun(StartRunRequest.newBuilder().setRun(Run.newBuilder().setRunId("fresh-1")
                    .setModel("gpt-4o").setStartTime(Times.ts(server.clock.instant()))).build());
        }
        var ingestor = new dev.govcon.server.activity.ingest.RunIngestor(server.database, server.clock,
                new dev.govcon.server.activity.pricing.PriceBook(server.database));
        try {
            assertThat(ingestor.timeOutStale(Duration.ofHours(1), 1000)).isGreaterThanOrEqualTo(1);
        } finally {
            ingestor.close();
        }
        assertThat(scalar("SELECT count(*) FROM runs WHERE tenant_id = '" + t.id() + "'")).isEqualTo(1);
        assertThat(scalar("SELECT count(*) FROM llm_run_records WHERE tenant_id = '" + t.id()
                          + "' AND run_id = 'stale-1' AND status = 'TIMED_OUT'")).isEqualTo(1);
        assertThat(scalar("SELECT sum(runs) FROM run_rollups_hourly WHERE tenant_id = '" + t.id()
                          + "' AND status = 'TIMED_OUT' AND feature = 'batch'")).isEqualTo(1);
    }

    @Test
    void recordsAndSystemRecordsCannotBeChanged() throws Exception {
        var t = server.newTenant("Immutable Runs");
        server.post("/api/v1/activity/runs/batch", "{\"runs\":[{\"run_id\":\"im-1\",\"model\":\"gpt-4o\","
                + "\"status\":\"SUCCEEDED\",\"cost_micros\":5}]}", t.ownerKey());
        try (Connection c = server.database.dataSource().getConnection(); Statement st = c.createStatement()) {
            c.setAutoCommit(true);
            st.execute("INSERT INTO system_records (tenant_id, record_id, level, component, event) VALUES ('"
                       + t.id() + "', gen_random_uuid(), 'INFO', 'test', 'test.event')");
            for (String sql : List.of(
                    "UPDATE llm_run_records SET cost_micros = 0 WHERE tenant_id = '" + t.id() + "'",
                    "DELETE FROM llm_run_records WHERE tenant_id = '" + t.id() + "'",
                    "UPDATE system_records SET message = 'x' WHERE tenant_id = '" + t.id() + "'",
                    "DELETE FROM system_records WHERE tenant_id = '" + t.id() + "'")) {
                assertThatThrownBy(() -> st.execute(sql)).as(sql).hasMessageContaining("append-only");
            }
        }
        assertThat(scalar("SELECT cost_micros FROM llm_run_records WHERE tenant_id = '" + t.id() + "'")).isEqualTo(5);
    }

    @Test
    void aBatchWithOneBadRunWritesNoneAndNamesTheField() throws Exception {
        var t = server.newTenant("Bad Batch Co");
        String good = "{\"run_id\":\"ok-1\",\"model\":\"gpt-4o\",\"status\":\"SUCCEEDED\"}";
        Map<String, String> bad = Map.of(
                "{\"run_id\":\"b\",\"status\":\"SUCCEEDED\"}", "runs[1].model",
                "{\"run_id\":\"b\",\"model\":\"m\"}", "runs[1].status",
                "{\"run_id\":\"b\",\"model\":\"m\",\"status\":\"RUNNING\"}", "runs[1].status",
                "{\"run_id\":\"has space\",\"model\":\"m\",\"status\":\"FAILED\"}", "runs[1].run_id",
                "{\"run_id\":\"b\",\"model\":\"m\",\"status\":\"FAILED\",\"input_tokens\":-1}", "runs[1].input_tokens",
                "{\"run_id\":\"b\",\"model\":\"m\",\"status\":\"FAILED\",\"cost_micros\":-5}", "runs[1].cost_micros",
                "{\"run_id\":\"b\",\"model\":\"" + "m".repeat(201) + "\",\"status\":\"FAILED\"}", "runs[1].model",
                "{\"run_id\":\"b\",\"model\":\"m\",\"status\":\"FAILED\",\"end_time\":\"2999-01-01T00:00:00Z\"}", "runs[1].end_time",
                "{\"run_id\":\"b\",\"model\":\"m\",\"status\":\"BOGUS\"}", "runs[1].status");
        for (var entry : bad.entrySet()) {
            Reply reply = server.post("/api/v1/activity/runs/batch", "{\"runs\":[" + good + "," + entry.getKey() + "]}",
                                      t.ownerKey());
            assertThat(reply.status()).as(entry.getKey()).isEqualTo(400);
            assertThat(reply.json().get("message").asText()).as(entry.getKey()).startsWith(entry.getValue());
        }
        assertThat(scalar("SELECT count(*) FROM llm_run_records WHERE tenant_id = '" + t.id() + "'")).isZero();
        StringBuilder tooMany = new StringBuilder("{\"runs\":[");
        for (int i = 0; i < 1001; i++) {
            tooMany.append(i == 0 ? "" : ",").append("{\"run_id\":\"m").append(i).append("\",\"model\":\"m\",\"status\":\"FAILED\"}");
        }
        Reply over = server.post("/api/v1/activity/runs/batch", tooMany.append("]}").toString(), t.ownerKey());
        assertThat(over.status()).isEqualTo(400);
        assertThat(over.json().get("message").asText()).startsWith("runs:");
    }

    @Test
    void aRecordedRunReportsContradictionsPerRunInABatch() {
        var t = server.newTenant("Skipped Co");
        Run a = finished("s-1", "gpt-4o", "x", RunStatus.SUCCEEDED, 1, 1, server.clock.instant()).toBuilder().setCostMicros(1).build();
        try (GovconClient client = server.grpc(t.ownerKey())) {
            client.runtime().recordRuns(RecordRunsRequest.newBuilder().addRuns(a).build());
            RecordRunsResponse second = client.runtime().recordRuns(RecordRunsRequest.newBuilder()
                    .addRuns(a.toBuilder().setStatus(RunStatus.FAILED))
                    .addRuns(a.toBuilder().setRunId("s-2")).build());
            assertThat(second.getRecordedCount()).isEqualTo(1);
            assertThat(second.getRejectedCount()).isEqualTo(1);
            assertThat(second.getSkippedList()).singleElement().satisfies(ack -> {
                assertThat(ack.getRunId()).isEqualTo("s-1");
                assertThat(ack.getOutcome()).isEqualTo(RunAckOutcome.RUN_ACK_REJECTED);
                assertThat(ack.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION.value());
            });
        }
    }

    @Test
    void traceStepsAppendOnceEach() throws Exception {
        var t = server.newTenant("Trace Co");
        server.post("/api/v1/activity/runs", "{\"run\":{\"run_id\":\"tr-1\",\"model\":\"gpt-4o\"}}", t.ownerKey());
        String steps = "{\"steps\":[{\"step_index\":0,\"kind\":\"TRACE_STEP_KIND_AGENT\",\"name\":\"plan\"},"
                       + "{\"step_index\":1,\"kind\":\"TRACE_STEP_KIND_TOOL\",\"name\":\"search\",\"parent_step_index\":0,"
                       + "\"latency_ms\":120,\"attributes\":{\"q\":\"x\"}}]}";
        JsonNode first = server.post("/api/v1/activity/runs/tr-1/traces", steps, t.ownerKey()).json();
        assertThat(first.get("appended_count").asInt()).isEqualTo(2);
        JsonNode again = server.post("/api/v1/activity/runs/tr-1/traces", steps, t.ownerKey()).json();
        assertThat(again.get("appended_count").asInt()).isZero();
        assertThat(again.get("duplicate_count").asInt()).isEqualTo(2);
        assertThat(scalar("SELECT step_count FROM aos_traces WHERE tenant_id = '" + t.id() + "' AND run_id = 'tr-1'"))
                .isEqualTo(2);
        Reply unknownRun = server.post("/api/v1/activity/runs/nope/traces", steps, t.ownerKey());
        assertThat(unknownRun.status()).isEqualTo(404);
        Reply bad = server.post("/api/v1/activity/runs/tr-1/traces",
                                "{\"steps\":[{\"step_index\":-1}]}", t.ownerKey());
        assertThat(bad.json().get("message").asText()).startsWith("steps[0].step_index");
    }
}
