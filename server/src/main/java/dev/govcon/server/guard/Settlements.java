package dev.govcon.server.guard;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.apache.ibatis.session.SqlSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.govcon.server.activity.ingest.CommittedRun;
import dev.govcon.server.db.Database;
import dev.govcon.server.policies.ControlScope;
import dev.govcon.server.policies.LimitWindow;

/**
 * Turns completed runs into budget usage, and closes reservations exactly once.
 *
 * <p>When a group of completions commits, this replica (1) adds each run's cost or tokens to
 * the {@code committed} usage of every active spend/token limit whose scope matches the run,
 * in the window of the run's end time, and (2) settles the reservations it owns: the run's
 * actual usage is counted for held limits the run's own scope did not match, and the reserved
 * amounts go back — in the same transaction, so usage is never uncounted in between. A
 * completion carrying another replica's reservation id is forwarded to that replica with a
 * notification sent on commit (after its usage is counted); the owner settles it. Work is done
 * before the completion is acknowledged, so a caller that completes a run and checks again
 * sees its budget reconciled on this replica.
 */
final class Settlements implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Settlements.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String NOTIFY_PREFIX = "guard_settle:";

    /** Forwarded completion: the owner counts what the sender did not, then gives back. */
    record Forwarded(UUID owner, UUID tenantId, String reservationId, long costMicros, long tokens, long endMicros,
                     List<UUID> counted) {
    }

    /** One write to the ledger, ordered by window so concurrent transactions lock alike. */
    private record Op(BudgetLedger.Key key, GuardLimit limit, LimitWindow window, long delta,
                      BudgetLedger.Hold release, CommittedRun run) {
    }

    private final Database database;
    private final ControlsCache controls;
    private final BudgetLedger ledger;
    private final Reservations reservations;
    private final ViolationWriter violations;
    private final UUID replicaId;
    private final ExecutorService background = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "govcon-guard-settle");
        t.setDaemon(true);
        return t;
    });

    Settlements(Database database, ControlsCache controls, BudgetLedger ledger, Reservations reservations,
                ViolationWriter violations, UUID replicaId) {
        this.database = database;
        this.controls = controls;
        this.ledger = ledger;
        this.reservations = reservations;
        this.violations = violations;
        this.replicaId = replicaId;
    }

    /** RunIngestor commit listener. */
    void onCommitted(List<CommittedRun> runs) {
        List<Op> ops = new ArrayList<>();
        List<String> forwards = new ArrayList<>();
        for (CommittedRun run : runs) {
            TenantControls tc = controls.of(run.tenantId());
            ControlScope scope = new ControlScope(run.feature(), run.model(), run.endUser(),
                    run.apiKeyId() == null ? "" : run.apiKeyId().toString(), run.provider(), run.environment());
            Set<UUID> counted = new HashSet<>();
            for (GuardLimit limit : tc.limits()) {
                if (limit.countsUsage() && limit.scope().matches(scope)) {
                    counted.add(limit.id());
                    count(ops, run.tenantId(), limit, tc, run.endTime(), run.costMicros(), run.totalTokens(), run);
                }
            }
            Reservation own = reservations.claim(run.tenantId(), run.reservationId(), run.runId());
            if (own != null) {
                settle(ops, own, tc, counted, run.costMicros(), run.totalTokens(), run.endTime());
            } else if (!run.reservationId().isEmpty() && !reservations.isOwn(run.reservationId())) {
                UUID owner = Reservations.owner(run.reservationId());
                if (owner != null) {
                    forwards.add(payload(new Forwarded(owner, run.tenantId(), run.reservationId(), run.costMicros(),
                            run.totalTokens(), micros(run.endTime()), List.copyOf(counted))));
                }
            }
        }
        apply(ops, forwards);
    }

    /** ChangeListener: completions forwarded to this replica by others. */
    void onChange(String payload) {
        if (!payload.startsWith(NOTIFY_PREFIX)) {
            return;
        }
        Forwarded f;
        try {
            f = JSON.readValue(payload.substring(NOTIFY_PREFIX.length()), Forwarded.class);
        } catch (JsonProcessingException e) {
            log.warn("Unreadable settlement notification {}", payload);
            return;
        }
        if (!replicaId.equals(f.owner())) {
            return;
        }
        background.execute(() -> {
            Reservation own = reservations.claim(f.tenantId(), f.reservationId(), "");
            if (own == null) {
                return; // already expired here
            }
            List<Op> ops = new ArrayList<>();
            settle(ops, own, controls.of(f.tenantId()), new HashSet<>(f.counted()), f.costMicros(), f.tokens(),
                   Instant.EPOCH.plusNanos(f.endMicros() * 1000));
            apply(ops, List.of());
        });
    }

    /** Gives back the budget of reservations whose run never completed. */
    int expire(Instant now) {
        List<Reservation> expired = reservations.claimExpired(now);
        List<Op> ops = new ArrayList<>();
        for (Reservation r : expired) {
            for (BudgetLedger.Hold hold : r.holds()) {
                ops.add(new Op(hold.key(), hold.limit(), hold.window(), 0, hold, null));
            }
        }
        apply(ops, List.of());
        return expired.size();
    }

    private void settle(List<Op> ops, Reservation own, TenantControls tc, Set<UUID> counted, long cost, long tokens,
                        Instant end) {
        for (BudgetLedger.Hold hold : own.holds()) {
            GuardLimit limit = hold.limit();
            if (limit.countsUsage() && !counted.contains(limit.id())) {
                count(ops, own.tenantId(), limit, tc, end, cost, tokens, null);
            }
            ops.add(new Op(hold.key(), limit, hold.window(), 0, hold, null));
        }
    }

    private static void count(List<Op> ops, UUID tenantId, GuardLimit limit, TenantControls tc, Instant end,
                              long cost, long tokens, CommittedRun run) {
        long delta = limit.usageOf(cost, tokens);
        if (delta > 0) {
            LimitWindow window = LimitWindow.of(limit.kind(), end, tc.zone());
            ops.add(new Op(new BudgetLedger.Key(tenantId, limit.id(), window.start()), limit, window, delta, null, run));
        }
    }

    private void apply(List<Op> ops, List<String> forwards) {
        if (ops.isEmpty() && forwards.isEmpty()) {
            return;
        }
        ops.sort(Comparator.comparing(Op::key, BudgetLedger::compare));
        Map<BudgetLedger.Key, Long> committed = new HashMap<>();
        try {
            database.inTransaction(s -> {
                committed.clear();
                write(s, ops, committed);
                forwards.forEach(p -> s.getMapper(GuardMapper.class).notifySettle(p));
                return null;
            });
        } catch (RuntimeException e) {
            // The runs are recorded either way; what is lost is budget bookkeeping, on the
            // conservative side (held room stays leased until this replica stops).
            log.error("Settling {} budget operations failed", ops.size(), e);
            return;
        }
        committed.forEach(ledger::committed);
        for (Op op : ops) {
            if (op.release() != null) {
                ledger.settled(op.release());
            }
        }
    }

    /**
     * Ops arrive sorted by window, so each window's releases are summed and given back in one
     * call when the next window begins: an expiry sweep of thousands of reservations costs a
     * call per window, not per reservation.
     */
    private void write(SqlSession s, List<Op> ops, Map<BudgetLedger.Key, Long> committed) {
        GuardMapper mapper = s.getMapper(GuardMapper.class);
        BudgetLedger.Key releasing = null;
        long released = 0;
        for (Op op : ops) {
            if (!op.key().equals(releasing)) {
                if (releasing != null) {
                    ledger.releaseInDb(releasing, released, s);
                }
                releasing = op.key();
                released = 0;
            }
            if (op.release() != null) {
                if (op.limit().releasedOnSettle()) {
                    released += op.release().amount();
                }
                continue;
            }
            long after = mapper.addCommitted(op.key().tenantId(), op.limit().id(), op.window().start(),
                                             op.window().end(), op.delta());
            committed.merge(op.key(), after, Math::max);
            long before = after - op.delta();
            long amount = op.limit().amount();
            if (before <= amount && after > amount && op.run() != null) {
                violations.add(GuardViolations.crossedOnCompletion(op.limit(), op.run(), after));
            }
        }
        if (releasing != null) {
            ledger.releaseInDb(releasing, released, s);
        }
    }

    private static String payload(Forwarded f) {
        try {
            return NOTIFY_PREFIX + JSON.writeValueAsString(f);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000 + t.getNano() / 1000;
    }

    @Override
    public void close() {
        background.shutdown();
    }
}
