package dev.govcon.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.govcon.proto.v1.CompleteRunRequest;
import dev.govcon.proto.v1.Dimension;
import dev.govcon.proto.v1.GetEfficiencyRequest;
import dev.govcon.proto.v1.GetEfficiencyResponse;
import dev.govcon.proto.v1.GetRunRequest;
import dev.govcon.proto.v1.RecordRunsRequest;
import dev.govcon.proto.v1.Run;
import dev.govcon.proto.v1.RunStatus;
import dev.govcon.proto.v1.StartRunRequest;
import dev.govcon.sdk.GovconClient;
import dev.govcon.server.testing.RunFixtures;
import dev.govcon.server.testing.RunningServer;
import dev.govcon.server.testing.RunningServer.Reply;
import dev.govcon.server.wire.Times;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * Retries as the SDK reports them ({@code retry_of_run_id}): stored on the record, shown in run
 * detail (gRPC and REST), counted by analytics efficiency; a malformed or self-referencing id is
 * 400 naming the field, and a batch holding one writes nothing.
 */
class RunRetriesTest {
    static RunningServer server;

    @BeforeAll
    static void start() {
        server = RunningServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Run run(String id, String feature, RunStatus status, Instant end) {
        return Run.newBuilder().setRunId(id).setModel("gpt-4o").setProvider("openai").setFeature(feature)
                .setStatus(status).setEndTime(Times.ts(end)).setLatencyMs(500).setInputTokens(100).build();
    }

    @Test
    void retriesAreStoredShownAndCountedByEfficiency() {
        RunningServer.Tenant t = server.newTenant("Retry Co");
        Instant end = server.clock.instant().minusSeconds(120);
        try (GovconClient c = server.grpc(t.ownerKey())) {
            c.runtime().recordRuns(RecordRunsRequest.newBuilder()
                    .addRuns(run("try-1", "search", RunStatus.FAILED, end))
                    .addRuns(run("try-2", "search", RunStatus.SUCCEEDED, end).toBuilder().setRetryOfRunId("try-1"))
                    .addRuns(run("other", "chat", RunStatus.SUCCEEDED, end)).build());
            // A start that names the retried run; the completion need not repeat it.
            c.runtime().startRun(StartRunRequest.newBuilder().setRun(Run.newBuilder().setRunId("try-3")
                    .setModel("gpt-4o").setFeature("search").setRetryOfRunId("try-2")).build());
            c.runtime().completeRun(CompleteRunRequest.newBuilder().setRunId("try-3")
                    .setRun(Run.newBuilder().setModel("gpt-4o").setStatus(RunStatus.SUCCEEDED)
                            .setEndTime(Times.ts(end)).setInputTokens(10)).build());

            assertThat(c.activity().getRun(GetRunRequest.newBuilder().setRunId("try-2").build()).getRetryOfRunId())
                    .isEqualTo("try-1");
            assertThat(c.activity().getRun(GetRunRequest.newBuilder().setRunId("try-3").build()).getRetryOfRunId())
                    .isEqualTo("try-2");
            assertThat(c.activity().getRun(GetRunRequest.newBuilder().setRunId("try-1").build()).getRetryOfRunId())
                    .isEmpty();
            Reply detail = server.get("/api/v1/activity/runs/try-2", t.ownerKey());
            assertThat(detail.status()).isEqualTo(200);
            assertThat(detail.json().get("retry_of_run_id").asText()).isEqualTo("try-1");

            Instant from = end.truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(1));
            GetEfficiencyResponse eff = c.analytics().getEfficiency(GetEfficiencyRequest.newBuilder()
                    .setStartTime(Times.ts(from)).setEndTime(Times.ts(end.plus(Duration.ofHours(2))))
                    .setGroupBy(Dimension.FEATURE).build());
            assertThat(eff.getTotal().getRetries()).isEqualTo(2);
            assertThat(eff.getTotal().getRuns()).isEqualTo(4);
            assertThat(eff.getRowsList().stream().map(r -> r.getFeature() + "=" + r.getRetries()).toList())
                    .containsExactlyInAnyOrder("search=2", "chat=0");
            Reply rest = server.get("/api/v1/analytics/productivity/efficiency?start_time=" + from + "&end_time="
                                    + end.plus(Duration.ofHours(2)), t.ownerKey());
            assertThat(rest.status()).as(rest.toString()).isEqualTo(200);
            assertThat(rest.json().get("total").get("retries").asLong()).isEqualTo(2);
        }
        RunFixtures fx = new RunFixtures(server.database.dataSource());
        assertThat(fx.queryLong("SELECT sum(retries) FROM run_rollups_hourly WHERE tenant_id = ?",
                                UUID.fromString(t.id()))).isEqualTo(2);
        assertThat(fx.queryStrings("SELECT run_id || '<' || retry_of_run_id FROM llm_run_records"
                                   + " WHERE tenant_id = ? AND retry_of_run_id <> '' ORDER BY run_id",
                                   UUID.fromString(t.id()))).containsExactly("try-2<try-1", "try-3<try-2");
    }

    @Test
    void aBadRetryIdIs400NamingTheFieldAndWritesNothing() {
        RunningServer.Tenant t = server.newTenant("Bad Retry Co");
        String good = "{\"run_id\":\"ok-1\",\"model\":\"gpt-4o\",\"status\":\"SUCCEEDED\"}";
        for (String bad : List.of("has space", "x".repeat(129), "b")) {
            String run = "{\"run_id\":\"b\",\"model\":\"m\",\"status\":\"FAILED\",\"retry_of_run_id\":\"" + bad + "\"}";
            Reply reply = server.post("/api/v1/activity/runs/batch", "{\"runs\":[" + good + "," + run + "]}", t.ownerKey());
            assertThat(reply.status()).as(bad).isEqualTo(400);
            assertThat(reply.json().get("message").asText()).as(bad).startsWith("runs[1].retry_of_run_id");
        }
        Reply complete = server.post("/api/v1/activity/runs/c-1/complete",
                                     "{\"run\":{\"model\":\"m\",\"status\":\"SUCCEEDED\",\"retry_of_run_id\":\"c-1\"}}",
                                     t.ownerKey());
        assertThat(complete.status()).isEqualTo(400);
        assertThat(complete.json().get("message").asText()).startsWith("run.retry_of_run_id");
        try (GovconClient c = server.grpc(t.ownerKey())) {
            assertThatThrownBy(() -> c.runtime().startRun(StartRunRequest.newBuilder().setRun(Run.newBuilder()
                    .setRunId("s-1").setModel("m").setRetryOfRunId("no/slash")).build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                        assertThat(e.getStatus().getDescription()).startsWith("run.retry_of_run_id");
                    });
        }
        RunFixtures fx = new RunFixtures(server.database.dataSource());
        assertThat(fx.queryLong("SELECT count(*) FROM llm_run_records WHERE tenant_id = ?", UUID.fromString(t.id())))
                .isZero();
        assertThat(fx.queryLong("SELECT count(*) FROM runs WHERE tenant_id = ?", UUID.fromString(t.id()))).isZero();
    }
}
