package dev.govcon.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.govcon.proto.v1.ListModelPricesRequest;
import dev.govcon.proto.v1.ModelPrice;
import dev.govcon.proto.v1.UpsertModelPriceRequest;
import dev.govcon.sdk.GovconClient;
import dev.govcon.server.testing.RunningServer;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * The production wiring of the activity domain: the real reaper behind the run-reaper job,
 * jobs and health over REST, and tenant prices that change what ingestion charges.
 */
class ActivityWiringTest {
    static RunningServer server;

    @BeforeAll
    static void start() {
        server = RunningServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theReaperJobTimesOutAStaleRunAndJobsAndHealthShowIt() {
        var t = server.newTenant("Wiring Reaper");
        String start = "{\"run\":{\"run_id\":\"w-stale\",\"model\":\"gpt-4o\",\"start_time\":\""
                       + server.clock.instant().minus(Duration.ofHours(2)) + "\"}}";
        assertThat(server.post("/api/v1/activity/runs", start, t.ownerKey()).status()).isEqualTo(200);
        assertThat(server.get("/api/v1/activity/runs/live/count", t.ownerKey()).json().get("count").asLong()).isEqualTo(1);

        server.server.jobs().runNow("run-reaper");

        assertThat(server.get("/api/v1/activity/runs/live/count", t.ownerKey()).json().get("count").asLong()).isZero();
        assertThat(server.get("/api/v1/activity/runs/w-stale", t.ownerKey()).json().get("status").asText())
                .isEqualTo("TIMED_OUT");
        List<String> jobs = new ArrayList<>();
        JsonNode listed = server.get("/api/v1/activity/jobs", t.ownerKey()).json();
        listed.get("jobs").forEach(j -> jobs.add(j.get("name").asText()));
        assertThat(jobs).contains("run-reaper", "rollup-daily");
        for (JsonNode j : listed.get("jobs")) {
            if (j.get("name").asText().equals("run-reaper")) {
                assertThat(j.get("last_outcome").asText()).isEqualTo("JOB_OUTCOME_SUCCEEDED");
                assertThat(j.get("last_items").asLong()).isGreaterThanOrEqualTo(1);
            }
        }
        JsonNode health = server.get("/api/v1/activity/health", t.ownerKey()).json();
        assertThat(health.get("jobs")).isNotEmpty();
        assertThat(health.get("state").asText()).startsWith("JOB_");
    }

    @Test
    void aTenantPriceChangesWhatIngestionChargesAndOnlyAnAdminSetsIt() throws Exception {
        var t = server.newTenant("Wiring Prices");
        String viewer = server.post("/api/v1/connectivity/api-keys", "{\"name\":\"v\",\"role\":\"VIEWER\"}", t.ownerKey())
                .json().get("secret").asText();
        ModelPrice price = ModelPrice.newBuilder().setProvider("openai").setModel("gpt-4o")
                .setInputMicrosPerMtok(1_000_000).setOutputMicrosPerMtok(2_000_000).build();
        try (GovconClient owner = server.grpc(t.ownerKey()); GovconClient reader = server.grpc(viewer)) {
            assertThatThrownBy(() -> reader.activity().upsertModelPrice(UpsertModelPriceRequest.newBuilder().setPrice(price).build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
            assertThat(owner.activity().upsertModelPrice(UpsertModelPriceRequest.newBuilder().setPrice(price).build())
                               .getCreated()).isTrue();
            var listed = reader.activity().listModelPrices(ListModelPricesRequest.newBuilder().setTenantOnly(true).build());
            assertThat(listed.getPricesList()).extracting(ModelPrice::getModel).containsExactly("gpt-4o");
        }
        JsonNode recorded = server.post("/api/v1/activity/runs/price-1/complete",
                "{\"run\":{\"model\":\"gpt-4o\",\"provider\":\"openai\",\"status\":\"SUCCEEDED\","
                + "\"input_tokens\":1000000,\"output_tokens\":1000000}}", t.ownerKey()).json();
        assertThat(recorded.get("run").get("cost_micros").asLong()).isEqualTo(3_000_000L);
        assertThat(recorded.get("run").get("cost_source").asText()).isEqualTo("COST_SOURCE_TENANT_PRICE");
    }
}
