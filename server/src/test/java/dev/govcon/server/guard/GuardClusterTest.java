package dev.govcon.server.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.govcon.proto.v1.CheckGuardRequest;
import dev.govcon.proto.v1.CheckGuardResponse;
import dev.govcon.proto.v1.CompleteRunRequest;
import dev.govcon.proto.v1.GuardDecision;
import dev.govcon.proto.v1.Run;
import dev.govcon.proto.v1.RunStatus;
import dev.govcon.sdk.GovconClient;
import dev.govcon.server.db.Database;
import dev.govcon.server.testing.MutableClock;
import dev.govcon.server.testing.RunningServer;
import dev.govcon.server.testing.RunningServer.Reply;
import dev.govcon.server.testing.RunningServer.Tenant;
import dev.govcon.server.testing.TestDatabase;

/**
 * Three servers on one database and one clock behave as the replicas of a cluster: a control
 * changed through one is enforced by the others, and budgets and rate limits hold across all
 * of them under concurrency.
 */
class GuardClusterTest {
    static final int CALLERS = 64;
    static List<RunningServer> servers = new ArrayList<>();
    static MutableClock clock;
    static Database database;

    @BeforeAll
    static void start() {
        database = TestDatabase.shared();
        // Mid-day, so a run of the test never straddles the daily window's end.
        clock = new MutableClock(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.DAYS).plus(Duration.ofHours(12)));
        for (int i = 0; i < 3; i++) {
            servers.add(RunningServer.start(database, clock));
        }
    }

    @AfterAll
    static void stop() {
        servers.forEach(RunningServer::close);
    }

    /** One client per server for one caller; {@link #any} picks a server at random per call. */
    record Clients(List<GovconClient> each) implements AutoCloseable {
        static Clients of(Tenant t) {
            // The SDK's defaults (retries included) but a long deadline: 64 callers and three
            // servers share two cores with the database.
            return new Clients(servers.stream().map(s -> GovconClient.builder().target("127.0.0.1", s.port())
                    .plaintext().apiKey(t.ownerKey()).defaultDeadline(Duration.ofSeconds(60)).build()).toList());
        }

        GovconClient any() {
            return each.get(ThreadLocalRandom.current().nextInt(each.size()));
        }

        @Override
        public void close() {
            each.forEach(GovconClient::close);
        }
    }

    private static CheckGuardRequest.Builder call() {
        return CheckGuardRequest.newBuilder().setModel("gpt-4o").setProvider("openai").setFeature("chat");
    }

    private static GuardDecision decision(RunningServer server, Tenant t) {
        try (GovconClient client = server.grpc(t.ownerKey())) {
            return client.runtime().checkGuard(call().setDryRun(true).build()).getDecision();
        }
    }

    /** Changes reach other replicas by NOTIFY, which each server's listener polls every 250 ms. */
    private static void await(Supplier<GuardDecision> check, GuardDecision expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        GuardDecision seen = check.get();
        while (seen != expected && System.nanoTime() < deadline) {
            Thread.sleep(50);
            seen = check.get();
        }
        assertThat(seen).isEqualTo(expected);
    }

    @Test
    void aControlCreatedOrDisabledOnOneServerIsEnforcedByAnother() throws InterruptedException {
        RunningServer a = servers.get(0);
        RunningServer b = servers.get(1);
        Tenant t = a.newTenant("cluster-changes");
        // b has the tenant's (empty) controls cached before the change.
        assertThat(decision(b, t)).isEqualTo(GuardDecision.GUARD_DECISION_ALLOW);

        Reply created = a.post("/api/v1/policy-rules", """
                {"rule": {"name": "No gpt-4o", "type": "RULE_TYPE_MODEL_DENY_LIST", "models": ["gpt-4o"],
                          "action": "BLOCK", "status": "POLICY_STATUS_ACTIVE"}}""", t.ownerKey());
        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        String ruleId = created.json().get("rule").get("id").asText();
        await(() -> decision(b, t), GuardDecision.GUARD_DECISION_DENY);

        assertThat(a.delete("/api/v1/policy-rules/" + ruleId, t.ownerKey()).status()).isEqualTo(200);
        await(() -> decision(b, t), GuardDecision.GUARD_DECISION_ALLOW);
        await(() -> decision(servers.get(2), t), GuardDecision.GUARD_DECISION_ALLOW);
    }

    @Test
    void sixtyFourCallersOnThreeServersNeverSpendMoreThanTheDailyBudget() throws Exception {
        long budget = 50_000;
        Tenant t = servers.get(0).newTenant("cluster-budget");
        UUID limit = TestControls.limit(database, t.id(), "SPEND_PER_DAY", budget).insert();
        AtomicLong admittedActual = new AtomicLong();
        AtomicInteger admitted = new AtomicInteger();
        AtomicInteger denied = new AtomicInteger();
        AtomicInteger runIds = new AtomicInteger();

        runConcurrently(t, clients -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (int i = 0; i < 25; i++) {
                long estimate = random.nextLong(100, 1_500);
                CheckGuardResponse r = clients.any().runtime().checkGuard(call().setEstimatedCostMicros(estimate).build());
                if (r.getDecision() == GuardDecision.GUARD_DECISION_DENY) {
                    denied.incrementAndGet();
                    continue;
                }
                long actual = random.nextLong(1, estimate + 1);
                // Completed on a random server: two in three are forwarded to the owner.
                {
                    clients.any().runtime().completeRun(CompleteRunRequest.newBuilder()
                            .setRunId("cluster-" + runIds.incrementAndGet()).setRun(Run.newBuilder().setModel("gpt-4o")
                                    .setProvider("openai").setFeature("chat").setStatus(RunStatus.SUCCEEDED)
                                    .setCostMicros(actual).setReservationId(r.getReservationId())
                                    .setInputTokens(10).setOutputTokens(10)).build());
                }
                admitted.incrementAndGet();
                admittedActual.addAndGet(actual);
            }
        });

        UUID tenant = UUID.fromString(t.id());
        long recorded = TestControls.scalar(database,
                "SELECT coalesce(sum(cost_micros), 0) FROM llm_run_records WHERE tenant_id = ?", tenant);
        long committed = TestControls.scalar(database,
                "SELECT coalesce(sum(committed), 0) FROM guard_windows WHERE tenant_id = ? AND limit_id = ?", tenant, limit);
        System.out.printf("cluster budget: %d admitted (%d micros of %d), %d denied%n", admitted.get(),
                          admittedActual.get(), budget, denied.get());
        assertThat(admittedActual.get()).as("admitted actual cost").isLessThanOrEqualTo(budget);
        assertThat(recorded).isEqualTo(admittedActual.get());
        assertThat(committed).as("the ledger counted every completed run once").isEqualTo(recorded);
        assertThat(denied.get()).as("the budget was exhausted, so some calls were refused").isPositive();
        assertThat(admitted.get()).isPositive();
    }

    @Test
    void aRateLimitOfNPerMinuteAdmitsAtMostNAcrossThreeServers() throws Exception {
        int perMinute = 50;
        Tenant t = servers.get(0).newTenant("cluster-rpm");
        TestControls.limit(database, t.id(), "REQUESTS_PER_MINUTE", perMinute).insert();
        AtomicInteger admitted = new AtomicInteger();
        AtomicInteger denied = new AtomicInteger();

        runConcurrently(t, clients -> {
            for (int i = 0; i < 8; i++) {
                GuardDecision d = clients.any().runtime().checkGuard(call().build()).getDecision();
                (d == GuardDecision.GUARD_DECISION_DENY ? denied : admitted).incrementAndGet();
            }
        });

        System.out.printf("cluster rpm: %d admitted, %d denied of %d calls%n", admitted.get(), denied.get(),
                          CALLERS * 8);
        assertThat(admitted.get()).isLessThanOrEqualTo(perMinute);
        assertThat(admitted.get() + denied.get()).isEqualTo(CALLERS * 8);
        // Slots leased by a replica serve that replica's callers; with ~170 calls per replica
        // none is left unused, so the minute admits N (a check retried after a lost answer may
        // have spent a slot nobody saw admitted, hence the small allowance).
        assertThat(admitted.get()).isGreaterThanOrEqualTo(perMinute - 3);
    }

    private static void runConcurrently(Tenant t, Caller caller) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CALLERS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < CALLERS; c++) {
                done.add(pool.submit(() -> {
                    try (Clients clients = Clients.of(t)) {
                        caller.run(clients);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @FunctionalInterface
    interface Caller {
        void run(Clients clients) throws Exception;
    }
}
