package dev.govcon.server.guard;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.protobuf.util.Durations;

import dev.govcon.proto.v1.CheckGuardRequest;
import dev.govcon.proto.v1.CheckGuardResponse;
import dev.govcon.proto.v1.ControlAction;
import dev.govcon.proto.v1.CostSource;
import dev.govcon.proto.v1.GuardControlKind;
import dev.govcon.proto.v1.GuardDecision;
import dev.govcon.proto.v1.GuardLimitBudget;
import dev.govcon.proto.v1.GuardMatchedControl;
import dev.govcon.proto.v1.GuardOutcome;
import dev.govcon.proto.v1.LimitKind;
import dev.govcon.server.activity.ingest.RunIngestor;
import dev.govcon.server.activity.pricing.PriceBook;
import dev.govcon.server.activity.pricing.Priced;
import dev.govcon.server.activity.pricing.TokenCounts;
import dev.govcon.server.auth.Principal;
import dev.govcon.server.db.ChangeListener;
import dev.govcon.server.db.Database;
import dev.govcon.server.policies.LimitWindow;
import dev.govcon.server.wire.Times;

/**
 * The guard: decides a prospective LLM call from the tenant's cached rules and limits, and
 * reserves its maximum cost, tokens and a request slot against every applicable limit. See
 * {@link BudgetLedger} for why budgets hold exactly across replicas, {@link Settlements} for
 * how completions reconcile reservations, and {@link ControlsCache} for invalidation.
 *
 * <p>A DENY reserves nothing. A call that fits every BLOCK limit but not a WARN or LOG limit
 * is admitted, with no hold on that limit. Every admitted call reserves at least one unit of
 * each spend and token limit, so an exhausted limit denies even a call of unknown cost.
 */
public final class Guard implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Guard.class);
    /** A replica whose heartbeat is older than this (database time) loses its slices. */
    static final Duration REPLICA_TTL = Duration.ofSeconds(30);
    private static final Duration HEARTBEAT = Duration.ofSeconds(5);

    private final Database database;
    private final Clock clock;
    private final PriceBook prices;
    private final Duration reservationTtl;
    private final UUID replicaId = UUID.randomUUID();
    private volatile boolean beaten;
    private final ControlsCache controls;
    private final BudgetLedger ledger;
    private final Reservations reservations;
    private final ViolationWriter violations;
    private final Settlements settlements;
    private final CheckCounter checks;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "govcon-guard-timer");
        t.setDaemon(true);
        return t;
    });

    /** @param reservationTtl how long a reservation waits for its run to complete */
    public Guard(Database database, Clock clock, PriceBook prices, Duration reservationTtl) {
        this.database = database;
        this.clock = clock;
        this.prices = prices;
        this.reservationTtl = reservationTtl;
        this.controls = new ControlsCache(database);
        this.ledger = new BudgetLedger(database, replicaId);
        this.reservations = new Reservations(replicaId);
        this.violations = new ViolationWriter(database);
        this.settlements = new Settlements(database, controls, ledger, reservations, violations, replicaId);
        this.checks = new CheckCounter(database, clock);
    }

    /** Subscribes to control changes and forwarded settlements, hears completions, starts timers. */
    public Guard start(ChangeListener changes, RunIngestor ingestor) {
        changes.subscribe(controls::onChange);
        changes.subscribe(settlements::onChange);
        ingestor.addCommitListener(settlements::onCommitted);
        heartbeat();
        timer.scheduleWithFixedDelay(() -> quietly("heartbeat", this::heartbeat),
                                     HEARTBEAT.toMillis(), HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(() -> quietly("expiry", () -> {
            expireReservations();
            ledger.returnIdle(clock.instant());
        }), 1000, 500, TimeUnit.MILLISECONDS);
        checks.start();
        return this;
    }

    public CheckGuardResponse check(Principal caller, CheckGuardRequest request) {
        long started = System.nanoTime();
        GuardCall call = GuardRequests.call(caller, request);
        TenantControls tc = controls.of(call.tenantId());
        Instant now = clock.instant();
        Reservation reservation = null;
        Evaluation eval = new Evaluation();

        for (GuardRule rule : tc.rules()) {
            if (rule.scope().matches(call.scope())) {
                RuleCheck.Result r = RuleCheck.evaluate(rule, call);
                eval.rule(rule, r.outcome(), r.reason());
            }
        }
        Priced estimate = estimate(call);
        List<BudgetLedger.Hold> holds = new ArrayList<>();
        for (GuardLimit limit : tc.limits()) {
            if (limit.scope().matches(call.scope())) {
                checkLimit(limit, call, tc, now, estimate, eval, holds);
            }
        }
        GuardDecision decision = Outcomes.decide(eval.outcomes());
        if (decision == GuardDecision.GUARD_DECISION_DENY) {
            holds.forEach(ledger::undo);
        } else if (!holds.isEmpty()) {
            reservation = new Reservation(reservations.newId(), call.tenantId(), call.runId(),
                                          now.plus(reservationTtl), List.copyOf(holds));
            reservations.add(reservation);
        }
        String reservationId = reservation == null ? "" : reservation.id();
        if (!call.dryRun()) {
            eval.violations(call, reservationId, estimate.costMicros(), now).forEach(violations::add);
            checks.count(call.tenantId(), now, call.scope(), eval.controlIds());
        }
        CheckGuardResponse.Builder out = CheckGuardResponse.newBuilder()
                .setDecision(decision)
                .addAllMatchedControls(eval.matched())
                .addAllBudgets(eval.budgets())
                .setReservationId(reservationId)
                .setReason(eval.reason(decision));
        if (reservation != null) {
            out.setReservedCostMicros(estimate.costMicros()).setReservationExpiresAt(Times.ts(reservation.expiresAt()));
        }
        if (decision == GuardDecision.GUARD_DECISION_DENY && eval.retryAfter() != null) {
            out.setRetryAfter(Durations.fromMillis(eval.retryAfter().toMillis()));
        }
        return out.setEvaluationTime(Durations.fromNanos(System.nanoTime() - started)).build();
    }

    private void checkLimit(GuardLimit limit, GuardCall call, TenantControls tc, Instant now, Priced estimate,
                            Evaluation eval, List<BudgetLedger.Hold> holds) {
        LimitWindow window = LimitWindow.of(limit.kind(), now, tc.zone());
        long need = Math.max(1, limit.usageOf(estimate.costMicros(), call.maxTokens()));
        BudgetLedger.View view;
        boolean fits;
        if (call.dryRun() || eval.denied()) {
            view = ledger.peek(call.tenantId(), limit, window);
            fits = view.remaining() >= need;
        } else {
            BudgetLedger.Hold hold = ledger.take(call.tenantId(), limit, window, need);
            fits = hold != null;
            if (fits) {
                holds.add(hold);
                view = ledger.view(hold);
            } else {
                view = ledger.peek(call.tenantId(), limit, window);
            }
        }
        GuardOutcome outcome;
        String reason;
        long usedAfter = limit.amount() - view.remaining();
        if (!fits) {
            outcome = Outcomes.violated(limit.action());
            reason = limit.type() + ": " + describe(limit, view.committed() + view.reserved())
                     + " used or reserved; this call needs " + need;
        } else if (limit.warnAtRatio() > 0 && usedAfter > limit.warnAtRatio() * limit.amount()) {
            outcome = limit.action() == ControlAction.LOG ? GuardOutcome.GUARD_OUTCOME_LOGGED
                                                          : GuardOutcome.GUARD_OUTCOME_WARNED;
            reason = limit.type() + ": " + describe(limit, usedAfter) + " with this call, past the warning share of "
                     + Math.round(limit.warnAtRatio() * 100) + "%";
        } else {
            outcome = GuardOutcome.GUARD_OUTCOME_PASSED;
            reason = limit.type() + ": " + describe(limit, usedAfter) + " with this call";
        }
        Duration retryAfter = null;
        if (!fits && limit.kind() == LimitKind.LIMIT_KIND_REQUESTS_PER_MINUTE) {
            retryAfter = Duration.between(now, window.end());
        } else if (!fits && limit.kind() == LimitKind.LIMIT_KIND_CONCURRENT_RUNS) {
            retryAfter = Duration.ofSeconds(1);
        }
        eval.limit(limit, outcome, reason, usedAfter + (fits ? 0 : need), retryAfter,
                   GuardLimitBudget.newBuilder().setLimitId(limit.id().toString()).setName(limit.name())
                           .setType(limit.type()).setUnit(limit.unit()).setLimit(limit.amount())
                           .setCommitted(view.committed()).setReserved(view.reserved())
                           .setRemaining(view.remaining()).setWindowEnd(Times.ts(window.end())).build());
    }

    private static String describe(GuardLimit limit, long used) {
        return used + " of " + limit.amount() + " " + switch (limit.unit()) {
            case BUDGET_UNIT_MICROS -> "micro-dollars";
            case BUDGET_UNIT_TOKENS -> "tokens";
            case BUDGET_UNIT_REQUESTS -> "requests this minute";
            default -> "runs in flight";
        };
    }

    /** The call's maximum cost: the caller's estimate, else its token maximum at the model's price. */
    private Priced estimate(GuardCall call) {
        if (call.estimatedCostMicros() != null) {
            return new Priced(call.estimatedCostMicros(), CostSource.COST_SOURCE_CALLER);
        }
        return prices.price(call.tenantId(), call.scope().provider(), call.scope().model(),
                            new TokenCounts(call.estimatedInputTokens(), call.maxOutputTokens(), 0, 0, 0));
    }

    /** Releases reservations past their expiry (also runs every half second). */
    public int expireReservations() {
        return settlements.expire(clock.instant());
    }

    /** Writes queued violations now (they are otherwise written within 200 ms). */
    public void flushViolations() {
        violations.flush();
    }

    /** Adds the checks counted so far to the hourly table now (otherwise done every 5 seconds). */
    public void flushCheckCounts() {
        checks.flush();
    }

    /** Returns unused slices now (they are otherwise returned after a second idle). */
    public void returnIdleBudget() {
        ledger.returnIdle(clock.instant());
    }

    public int openReservations() {
        return reservations.size();
    }

    private void heartbeat() {
        boolean created = database.inTransaction(s -> s.getMapper(GuardMapper.class).heartbeat(replicaId));
        if (created && beaten) {
            // Another replica took us for dead (a long pause) and returned our slices: what we
            // hold in memory is no longer backed by the ledger.
            log.warn("Guard replica {} was reclaimed while alive; dropping its budget slices", replicaId);
            ledger.forgetAll();
        }
        beaten = true;
        database.inTransaction(s -> s.getMapper(GuardMapper.class).reclaimDeadReplicas(REPLICA_TTL.toSeconds()));
    }

    private static void quietly(String what, Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            log.warn("Guard {} failed", what, e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        ledger.close();
        settlements.close();
        violations.close();
        checks.close();
        try {
            database.inTransaction(s -> s.getMapper(GuardMapper.class).forgetReplica(replicaId));
        } catch (RuntimeException e) {
            log.warn("Could not return this replica's budget slices; they are reclaimed after {}", REPLICA_TTL, e);
        }
    }
}
