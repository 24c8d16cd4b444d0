package dev.govcon.server.overview;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.govcon.proto.v1.GetPulseRequest;
import dev.govcon.proto.v1.GetPulseResponse;
import dev.govcon.proto.v1.LimitKind;
import dev.govcon.proto.v1.PulseReason;
import dev.govcon.proto.v1.PulseRule;
import dev.govcon.proto.v1.PulseState;
import dev.govcon.sdk.GovconClient;
import dev.govcon.server.jobs.Job;
import dev.govcon.server.jobs.JobContext;
import dev.govcon.server.policies.LimitWindow;
import dev.govcon.server.testing.MutableClock;
import dev.govcon.server.testing.RunFixtures;
import dev.govcon.server.testing.RunningServer;
import dev.govcon.server.testing.TestDatabase;

/**
 * The pulse, rule by rule and precedence by precedence, each case on a tenant of its own. On a
 * database of its own: job health is server-wide, and jobs of other tests' servers (which
 * never run) would turn UNHEALTHY by age on a shared one.
 */
class PulseTest {
    static final String FLAKY = "overview-test-flaky";
    static final AtomicBoolean failing = new AtomicBoolean();

    static RunningServer server;
    static OverviewFixtures fx;

    @BeforeAll
    static void start() {
        Job flaky = job(FLAKY, "fails when the test says so", Duration.ofHours(1), () -> {
            if (failing.get()) {
                throw new IllegalStateException("upstream unreachable");
            }
        });
        // Signal detection would clear the seeded signals (the runs do not show them), and the
        // incident engine and lesson miner would turn them and the failing job into incidents
        // of their own; here these jobs only need to stay healthy.
        server = RunningServer.start(TestDatabase.isolated(), MutableClock.ofNow(), List.of(flaky,
                idle("signals-detect"), idle("incident-engine"), idle("lesson-miner")));
        fx = new OverviewFixtures(new RunFixtures(server.database.dataSource()));
    }

    /** A job of a standard job's name that does nothing and always succeeds. */
    static Job idle(String name) {
        return job(name, "does nothing in this test", Duration.ofMinutes(1), () -> {
        });
    }

    static Job job(String name, String description, Duration interval, Runnable round) {
        return new Job() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String description() {
                return description;
            }

            @Override
            public Duration interval() {
                return interval;
            }

            @Override
            public long run(JobContext context) {
                round.run();
                return 0;
            }
        };
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    record Case(UUID tenantId, String key) {
        GetPulseResponse pulse() {
            try (GovconClient c = server.grpc(key)) {
                return c.overview().getPulse(GetPulseRequest.getDefaultInstance());
            }
        }
    }

    static Case tenant(String name) {
        RunningServer.Tenant t = server.newTenant(name);
        return new Case(UUID.fromString(t.id()), t.ownerKey());
    }

    static List<PulseRule> rules(GetPulseResponse p) {
        return p.getReasonsList().stream().map(PulseReason::getRule).toList();
    }

    static Instant now() {
        return server.clock.instant();
    }

    /** Usage of a limit in its window at the test clock's now (tenant zone UTC). */
    static void used(Case c, UUID limitId, LimitKind kind, long committed, long leased) {
        LimitWindow w = LimitWindow.of(kind, now(), java.time.ZoneOffset.UTC);
        fx.usage(c.tenantId(), limitId, w.start(), w.end(), committed, leased);
    }

    // ---- PROTECTED ----

    @Test
    void nothingOpenIsProtected() {
        Case c = tenant("Pulse calm");
        // Present but not open, not severe enough, or not above the mark: none of these counts.
        fx.incident(c.tenantId(), "Old outage", "CRITICAL", "RESOLVED", now().minusSeconds(7200));
        fx.signal(c.tenantId(), "ERROR_RATE_SPIKE", "CRITICAL", "CLEARED", now().minusSeconds(600));
        fx.signal(c.tenantId(), "COST_SPIKE", "MEDIUM", "OPEN", now().minusSeconds(600));
        UUID daily = fx.limit(c.tenantId(), "Daily spend", "SPEND_PER_DAY", 1_000_000);
        used(c, daily, LimitKind.LIMIT_KIND_SPEND_PER_DAY, 700_000, 100_000); // exactly 80%
        fx.sql.update("UPDATE policy_limits SET status = 'DISABLED' WHERE tenant_id = ? AND limit_id = ?",
                      c.tenantId(), fx.limit(c.tenantId(), "Off", "TOKENS_PER_DAY", 10));

        GetPulseResponse p = c.pulse();
        assertThat(p.getState()).isEqualTo(PulseState.PULSE_STATE_PROTECTED);
        assertThat(p.getReasonsList()).isEmpty();
        assertThat(p.getAsOf().getSeconds()).isEqualTo(now().getEpochSecond());
    }

    // ---- ACTION rules, each alone ----

    @Test
    void aCriticalIncidentOpenIsAction() {
        Case c = tenant("Pulse critical");
        UUID id = fx.incident(c.tenantId(), "Payments model down", "CRITICAL", "ACKNOWLEDGED", now().minusSeconds(300));
        GetPulseResponse p = c.pulse();
        assertThat(p.getState()).isEqualTo(PulseState.PULSE_STATE_ACTION);
        assertThat(rules(p)).containsExactly(PulseRule.PULSE_RULE_CRITICAL_INCIDENT_ACTIVE);
        PulseReason r = p.getReasons(0);
        assertThat(r.getState()).isEqualTo(PulseState.PULSE_STATE_ACTION);
        assertThat(r.getResourceType()).isEqualTo("incident");
        assertThat(r.getResourceId()).isEqualTo(id.toString());
        assertThat(r.getMessage()).isEqualTo("1 critical incident is open: 'Payments model down' (CRITICAL)");
    }

    @Test
    void anExhaustedSpendLimitIsAction() {
        Case c = tenant("Pulse exhausted");
        UUID monthly = fx.limit(c.tenantId(), "Monthly cap", "SPEND_PER_MONTH", 50_000_000);
        used(c, monthly, LimitKind.LIMIT_KIND_SPEND_PER_MONTH, 49_000_000, 1_000_000);
        GetPulseResponse p = c.pulse();
        assertThat(p.getState()).isEqualTo(PulseState.PULSE_STATE_ACTION);
        // Reported once, as exhausted, not also as "above 80%".
        assertThat(rules(p)).containsExactly(PulseRule.PULSE_RULE_SPEND_LIMIT_EXHAUSTED);
        assertThat(p.getReasons(0).getResourceType()).isEqualTo("policy_limit");
        assertThat(p.getReasons(0).getResourceId()).isEqualTo(monthly.toString());
        assertThat(p.getReasons(0).getUsedRatio()).isEqualTo(1.0);
        assertThat(p.getReasons(0).getMessage()).isEqualTo("Monthly spend limit 'Monthly cap' is exhausted (100% used)");
    }

    @Test
    void aJobUnhealthyForMoreThanFifteenMinutesIsAction() {
        Case c = tenant("Pulse job");
        Instant t0 = now();
        try {
            failing.set(true);
            for (int i = 0; i < 3; i++) {
                server.server.jobs().runNow(FLAKY);
            }
            // Unhealthy since t0; the standard jobs run at each step so that only the flaky one is.
            server.clock.advance(Duration.ofMinutes(15));
            runStandardJobs();
            assertThat(c.pulse().getState()).as("unhealthy for exactly 15 minutes").isEqualTo(PulseState.PULSE_STATE_PROTECTED);

            server.clock.advance(Duration.ofSeconds(1));
            GetPulseResponse p = c.pulse();
            assertThat(p.getState()).isEqualTo(PulseState.PULSE_STATE_ACTION);
            assertThat(rules(p)).containsExactly(PulseRule.PULSE_RULE_JOB_UNHEALTHY_15M);
            assertThat(p.getReasons(0).getResourceType()).isEqualTo("job");
            assertThat(p.getReasons(0).getResourceId()).isEqualTo(FLAKY);
            assertThat(p.getReasons(0).getMessage())
                    .startsWith("Job '" + FLAKY + "' has been unhealthy for 15 minutes (failed 3 times in a row");

            failing.set(false);
            server.server.jobs().runNow(FLAKY);
            assertThat(c.pulse().getState()).isEqualTo(PulseState.PULSE_STATE_PROTECTED);
        } finally {
            failing.set(false);
            server.server.jobs().runNow(FLAKY);
            server.clock.set(t0);
        }
    }

    static void runStandardJobs() {
        server.server.jobs().jobs().stream().map(Job::name).filter(n -> !n.equals(FLAKY))
                .forEach(n -> server.server.jobs().runNow(n));
    }

    // ---- ATTENTION rules, each alone ----

    @Test
    void anUnacknowledgedIncidentIsAttention() {
        Case c = tenant("Pulse unacknowledged");
        UUID older = fx.incident(c.tenantId(), "Error spike on chat", "HIGH", "ACTIVE", now().minusSeconds(900));
        fx.incident(c.tenantId(), "Slow search", "HIGH", "ACTIVE", now().minusSeconds(60));
        GetPulseResponse p = c.pulse();
        assertThat(p.getState()).isEqualTo(PulseState.PULSE_STATE_ATTENTION);
        assertThat(rules(p)).containsExactly(PulseRule.PULSE_RULE_INCIDENT_UNACKNOWLEDGED);
        assertThat(p.getReasons(0).getResourceId()).as("the oldest of equal severity").isEqualTo(older.toString());
        assertThat(p.getReasons(0).getMessage())
                .isEqualTo("2 incidents wait to be acknowledged: 'Error spike on chat' (HIGH)");
    }

    @Test
    void anAcknowledgedIncidentNotResolvedIsAttention() {
        Case c = tenant("Pulse acknowledged");
        UUID id = fx.incident(c.tenantId(), "Budget warnings", "MEDIUM", "ACKNOWLEDGED", now().minusSeconds(900));
        GetPulseResponse p = c.pulse();
        assertThat(p.getState()).isEqualTo(PulseState.PULSE_STATE_ATTENTION);
        assertThat(rules(p)).containsExactly(PulseRule.PULSE_RULE_INCIDENT_ACTIVE);
        assertThat(p.getReasons(0).getResourceId()).isEqualTo(id.toString());
    }

    @Test
    void aLimitAboveEightyPercentIsAttention() {
        Case c = tenant("Pulse limits");
        UUID spend = fx.limit(c.tenantId(), "Daily spend", "SPEND_PER_DAY", 1_000_000);
        used(c, spend, LimitKind.LIMIT_KIND_SPEND_PER_DAY, 800_001, 0);
        // A tokens limit used up is not a spend limit: ATTENTION, not ACTION.
        UUID tokens = fx.limit(c.tenantId(), "Daily tokens", "TOKENS_PER_DAY", 1000);
        used(c, tokens, LimitKind.LIMIT_KIND_TOKENS_PER_DAY, 1000, 0);
        GetPulseResponse p = c.pulse();
        assertThat(p.getState()).isEqualTo(PulseState.PULSE_STATE_ATTENTION);
        assertThat(rules(p)).containsExactly(PulseRule.PULSE_RULE_LIMIT_ABOVE_80_PERCENT);
        PulseReason r = p.getReasons(0);
        assertThat(r.getResourceId()).as("the fullest limit").isEqualTo(tokens.toString());
        assertThat(r.getUsedRatio()).isEqualTo(1.0);
        assertThat(r.getMessage()).isEqualTo("Daily tokens limit 'Daily tokens' is above 80% (100% used) and 1 more limit");
    }

    @Test
    void anOpenHighSignalIsAttention() {
        Case c = tenant("Pulse signal");
        UUID id = fx.signal(c.tenantId(), "ERROR_RATE_SPIKE", "HIGH", "OPEN", now().minusSeconds(120));
        GetPulseResponse p = c.pulse();
        assertThat(p.getState()).isEqualTo(PulseState.PULSE_STATE_ATTENTION);
        assertThat(rules(p)).containsExactly(PulseRule.PULSE_RULE_HIGH_SIGNAL_OPEN);
        assertThat(p.getReasons(0).getResourceType()).isEqualTo("signal");
        assertThat(p.getReasons(0).getResourceId()).isEqualTo(id.toString());
        assertThat(p.getReasons(0).getMessage()).isEqualTo("Open HIGH signal: ERROR_RATE_SPIKE on a model");
    }

    // ---- Precedence: ACTION beats ATTENTION beats PROTECTED ----

    /** One of each ATTENTION rule. */
    static void everyAttentionRule(Case c) {
        fx.incident(c.tenantId(), "Unacknowledged", "LOW", "ACTIVE", now().minusSeconds(100));
        fx.incident(c.tenantId(), "Acknowledged", "HIGH", "ACKNOWLEDGED", now().minusSeconds(100));
        UUID tokens = fx.limit(c.tenantId(), "Tokens", "TOKENS_PER_DAY", 100);
        used(c, tokens, LimitKind.LIMIT_KIND_TOKENS_PER_DAY, 90, 0);
        fx.signal(c.tenantId(), "LATENCY_DEGRADATION", "CRITICAL", "OPEN", now().minusSeconds(100));
    }

    static final List<PulseRule> ATTENTION_RULES = List.of(PulseRule.PULSE_RULE_INCIDENT_ACTIVE,
            PulseRule.PULSE_RULE_INCIDENT_UNACKNOWLEDGED, PulseRule.PULSE_RULE_LIMIT_ABOVE_80_PERCENT,
            PulseRule.PULSE_RULE_HIGH_SIGNAL_OPEN);

    @Test
    void everyAttentionRuleTogetherIsAttentionWithEveryReason() {
        Case c = tenant("Pulse all attention");
        everyAttentionRule(c);
        GetPulseResponse p = c.pulse();
        assertThat(p.getState()).isEqualTo(PulseState.PULSE_STATE_ATTENTION);
        assertThat(rules(p)).containsExactlyElementsOf(ATTENTION_RULES);
        assertThat(p.getReasonsList()).allMatch(r -> r.getState() == PulseState.PULSE_STATE_ATTENTION);
    }

    @Test
    void aCriticalIncidentBeatsEveryAttentionRule() {
        Case c = tenant("Pulse critical beats");
        everyAttentionRule(c);
        fx.incident(c.tenantId(), "Critical", "CRITICAL", "ACTIVE", now().minusSeconds(10));
        assertActionFirst(c.pulse(), PulseRule.PULSE_RULE_CRITICAL_INCIDENT_ACTIVE);
    }

    @Test
    void anExhaustedSpendLimitBeatsEveryAttentionRule() {
        Case c = tenant("Pulse exhausted beats");
        everyAttentionRule(c);
        UUID daily = fx.limit(c.tenantId(), "Daily", "SPEND_PER_DAY", 5_000);
        used(c, daily, LimitKind.LIMIT_KIND_SPEND_PER_DAY, 6_000, 0);
        assertActionFirst(c.pulse(), PulseRule.PULSE_RULE_SPEND_LIMIT_EXHAUSTED);
    }

    @Test
    void anUnhealthyJobBeatsEveryAttentionRuleAndAllActionRulesAreListed() {
        Case c = tenant("Pulse job beats");
        everyAttentionRule(c);
        Instant t0 = now();
        try {
            failing.set(true);
            for (int i = 0; i < 3; i++) {
                server.server.jobs().runNow(FLAKY);
            }
            server.clock.advance(Duration.ofMinutes(16));
            runStandardJobs();
            // The limit windows are the same day unless the test straddles midnight; re-seed at the new now.
            UUID tokens = fx.limit(c.tenantId(), "Tokens later", "TOKENS_PER_DAY", 100);
            used(c, tokens, LimitKind.LIMIT_KIND_TOKENS_PER_DAY, 95, 0);
            assertActionFirst(c.pulse(), PulseRule.PULSE_RULE_JOB_UNHEALTHY_15M);

            fx.incident(c.tenantId(), "Critical", "CRITICAL", "ACTIVE", now().minusSeconds(10));
            UUID daily = fx.limit(c.tenantId(), "Daily", "SPEND_PER_DAY", 5_000);
            used(c, daily, LimitKind.LIMIT_KIND_SPEND_PER_DAY, 5_000, 0);
            GetPulseResponse all = c.pulse();
            assertThat(all.getState()).isEqualTo(PulseState.PULSE_STATE_ACTION);
            assertThat(rules(all)).containsExactly(PulseRule.PULSE_RULE_CRITICAL_INCIDENT_ACTIVE,
                    PulseRule.PULSE_RULE_SPEND_LIMIT_EXHAUSTED, PulseRule.PULSE_RULE_JOB_UNHEALTHY_15M,
                    PulseRule.PULSE_RULE_INCIDENT_ACTIVE, PulseRule.PULSE_RULE_INCIDENT_UNACKNOWLEDGED,
                    PulseRule.PULSE_RULE_LIMIT_ABOVE_80_PERCENT, PulseRule.PULSE_RULE_HIGH_SIGNAL_OPEN);
        } finally {
            failing.set(false);
            server.server.jobs().runNow(FLAKY);
            server.clock.set(t0);
        }
    }

    static void assertActionFirst(GetPulseResponse p, PulseRule action) {
        assertThat(p.getState()).isEqualTo(PulseState.PULSE_STATE_ACTION);
        List<PulseRule> expected = new java.util.ArrayList<>(List.of(action));
        expected.addAll(ATTENTION_RULES);
        assertThat(rules(p)).containsExactlyElementsOf(expected);
        assertThat(p.getReasons(0).getState()).isEqualTo(PulseState.PULSE_STATE_ACTION);
    }

    @Test
    void restShowsTheStateAndReasonsWithProtoFieldNames() {
        Case c = tenant("Pulse rest");
        UUID id = fx.incident(c.tenantId(), "Critical", "CRITICAL", "ACTIVE", now().minusSeconds(10));
        String key = c.key();
        RunningServer.Reply reply = server.get("/api/v1/overview/pulse", key);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        JsonNode body = reply.json();
        assertThat(body.get("state").asText()).isEqualTo("PULSE_STATE_ACTION");
        assertThat(body.get("reasons").get(0).get("rule").asText()).isEqualTo("PULSE_RULE_CRITICAL_INCIDENT_ACTIVE");
        assertThat(body.get("reasons").get(0).get("resource_id").asText()).isEqualTo(id.toString());
        assertThat(body.has("as_of")).isTrue();
    }
}
