package dev.govcon.server.connectivity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.govcon.proto.v1.ProviderStatus;
import dev.govcon.server.testing.RunFixtures;
import dev.govcon.server.testing.RunningServer;

/**
 * Providers derived from runs, and the status thresholds of {@link ProviderHealth}: one
 * provider per rule, written as run records with rollups built from them.
 */
class ProvidersTest {
    static RunningServer server;
    static RunFixtures fixtures;
    static RunningServer.Tenant acme;
    static Instant now;
    static Map<String, JsonNode> providers = new HashMap<>();
    static int seq;

    @BeforeAll
    static void start() {
        server = RunningServer.start();
        fixtures = new RunFixtures(server.database.dataSource());
        acme = server.newTenant("Providers Acme");
        now = server.clock.instant();
        UUID t = UUID.fromString(acme.id());
        // OK: 40 runs over the last 10 hours, one failure (2.5%), all 800 ms.
        for (int i = 0; i < 40; i++) {
            run(t, "openai", i % 2 == 0 ? "gpt-4o" : "gpt-4o-mini", i == 7 ? "FAILED" : "SUCCEEDED", 800,
                now.minus(Duration.ofMinutes(5 + 15L * i)));
        }
        // DEGRADED over 24 h: 4 FAILED and 1 TIMED_OUT of 32 (15.6%); BLOCKED runs are no errors.
        for (int i = 0; i < 32; i++) {
            String status = i < 4 ? "FAILED" : i == 4 ? "TIMED_OUT" : i < 7 ? "BLOCKED" : "SUCCEEDED";
            run(t, "anthropic", "claude-sonnet-4", status, 1200, now.minus(Duration.ofHours(2)).minus(Duration.ofMinutes(30L * i)));
        }
        // DEGRADED by latency: 25 runs of 12 s, no errors.
        for (int i = 0; i < 25; i++) {
            run(t, "mistral", "mistral-large", "SUCCEEDED", 12_000, now.minus(Duration.ofHours(3)).minusSeconds(i));
        }
        // DOWN: fine 5 hours ago, then 4 of 6 failing in the last 10 minutes.
        for (int i = 0; i < 20; i++) {
            run(t, "google", "gemini-2.5-pro", "SUCCEEDED", 900, now.minus(Duration.ofHours(5)).minusSeconds(i));
        }
        for (int i = 0; i < 6; i++) {
            run(t, "google", "gemini-2.5-pro", i < 4 ? "FAILED" : "SUCCEEDED", 900, now.minus(Duration.ofMinutes(10)).plusSeconds(i));
        }
        // DEGRADED now: 2 of 10 failing in the last 10 minutes.
        for (int i = 0; i < 10; i++) {
            run(t, "together", "llama-3.3-70b", i < 2 ? "FAILED" : "SUCCEEDED", 500, now.minus(Duration.ofMinutes(9)).plusSeconds(i));
        }
        // Too few runs to judge: 3 failures in the last 10 minutes stay OK.
        for (int i = 0; i < 3; i++) {
            run(t, "cohere", "command-r", "FAILED", 500, now.minus(Duration.ofMinutes(8)).plusSeconds(i));
        }
        // Used 3 days ago: listed, no status. 10 days ago, or with no provider: not listed.
        run(t, "groq", "llama-3.1-8b", "SUCCEEDED", 100, now.minus(Duration.ofDays(3)));
        run(t, "bedrock", "titan", "SUCCEEDED", 100, now.minus(Duration.ofDays(10)));
        run(t, "", "local-model", "FAILED", 100, now.minus(Duration.ofMinutes(3)));
        fixtures.rebuildRollups(t);

        JsonNode reply = server.get("/api/v1/connectivity/providers", acme.ownerKey()).json();
        reply.get("providers").forEach(p -> providers.put(p.get("name").asText(), p));
    }

    private static void run(UUID tenant, String provider, String model, String status, long latencyMs, Instant end) {
        fixtures.insertRecord(tenant, new RunFixtures.Finished("prov-" + (seq++), model, provider, "chat", "u", "production",
                status, end.minusMillis(latencyMs), end, 100, 50, 0, 0, 0, 1000, "COST_SOURCE_CALLER", false, latencyMs,
                "", "{}"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String status(String provider) {
        return providers.get(provider).get("status").asText();
    }

    @Test
    void eachProviderWithItsFiguresOverTheLastDay() {
        assertThat(providers.keySet()).containsExactlyInAnyOrder("openai", "anthropic", "mistral", "google", "together",
                                                                 "cohere", "groq");
        JsonNode openai = providers.get("openai");
        assertThat(openai.get("runs_24h").asLong()).isEqualTo(40);
        assertThat(openai.get("error_rate_24h").asDouble()).isEqualTo(1.0 / 40);
        assertThat(openai.get("p95_latency_ms_24h").asLong()).isEqualTo(800);
        assertThat(openai.get("models").findValuesAsText("")).isEmpty();
        assertThat(openai.get("models").toString()).isEqualTo("[\"gpt-4o\",\"gpt-4o-mini\"]");
        assertThat(Instant.parse(openai.get("last_seen_at").asText())).isEqualTo(now.minus(Duration.ofMinutes(5)));

        assertThat(providers.get("anthropic").get("runs_24h").asLong()).isEqualTo(32);
        assertThat(providers.get("anthropic").get("error_rate_24h").asDouble()).isEqualTo(5.0 / 32);
        assertThat(providers.get("mistral").get("p95_latency_ms_24h").asLong()).as("never above the slowest run")
                .isEqualTo(12_000);
        assertThat(providers.get("google").get("runs_24h").asLong()).isEqualTo(26);

        JsonNode groq = providers.get("groq");
        assertThat(groq.get("runs_24h").asLong()).isZero();
        assertThat(groq.get("models")).isEmpty();
        assertThat(Instant.parse(groq.get("last_seen_at").asText())).isEqualTo(now.minus(Duration.ofDays(3)));
    }

    @Test
    void statusesFollowTheDocumentedThresholds() {
        assertThat(status("openai")).isEqualTo("PROVIDER_OK");
        assertThat(status("anthropic")).as("15.6% errors over 24 h").isEqualTo("PROVIDER_DEGRADED");
        assertThat(status("mistral")).as("p95 of 12 s").isEqualTo("PROVIDER_DEGRADED");
        assertThat(status("google")).as("4 of 6 failing in the last 15 min").isEqualTo("PROVIDER_DOWN");
        assertThat(status("together")).as("2 of 10 failing in the last 15 min").isEqualTo("PROVIDER_DEGRADED");
        assertThat(status("cohere")).as("3 runs are too few to judge").isEqualTo("PROVIDER_OK");
        assertThat(status("groq")).as("no runs in 24 h").isEqualTo("PROVIDER_STATUS_UNSPECIFIED");
    }

    @Test
    void thresholdsAtTheirEdges() {
        assertThat(ProviderHealth.status(5, 3, 5, 3, 100)).isEqualTo(ProviderStatus.PROVIDER_DOWN);
        assertThat(ProviderHealth.status(10, 5, 10, 5, 100)).as("exactly 50%").isEqualTo(ProviderStatus.PROVIDER_DOWN);
        assertThat(ProviderHealth.status(4, 4, 4, 4, 100)).as("4 recent runs: too few").isEqualTo(ProviderStatus.PROVIDER_OK);
        assertThat(ProviderHealth.status(10, 1, 10, 1, 100)).as("exactly 10%").isEqualTo(ProviderStatus.PROVIDER_DEGRADED);
        assertThat(ProviderHealth.status(0, 0, 100, 9, 100)).as("9% over 24 h").isEqualTo(ProviderStatus.PROVIDER_OK);
        assertThat(ProviderHealth.status(0, 0, 100, 10, 100)).isEqualTo(ProviderStatus.PROVIDER_DEGRADED);
        assertThat(ProviderHealth.status(0, 0, 20, 0, 10_000)).isEqualTo(ProviderStatus.PROVIDER_DEGRADED);
        assertThat(ProviderHealth.status(0, 0, 20, 0, 9_999)).isEqualTo(ProviderStatus.PROVIDER_OK);
        assertThat(ProviderHealth.status(0, 0, 19, 19, 60_000)).as("19 runs: too few").isEqualTo(ProviderStatus.PROVIDER_OK);
        assertThat(ProviderHealth.status(0, 0, 0, 0, 0)).isEqualTo(ProviderStatus.PROVIDER_STATUS_UNSPECIFIED);
    }

    @Test
    void anotherTenantSeesNoneOfThemAndAnIngestKeyNone() {
        RunningServer.Tenant other = server.newTenant("Providers Other");
        assertThat(server.get("/api/v1/connectivity/providers", other.ownerKey()).json().get("providers")).isEmpty();
        String ingest = server.post("/api/v1/connectivity/api-keys", "{\"name\":\"i\",\"role\":\"INGEST\"}", acme.ownerKey())
                .json().get("secret").asText();
        assertThat(server.get("/api/v1/connectivity/providers", ingest).status()).isEqualTo(403);
    }
}
