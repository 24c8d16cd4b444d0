package dev.govcon.server.guard;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.ibatis.session.SqlSession;

import dev.govcon.server.db.Database;
import dev.govcon.server.policies.LimitWindow;

/**
 * This replica's share of every limit's budget: exact across replicas, in memory on the
 * common path.
 *
 * <p><b>Design.</b> For each limit and window, PostgreSQL holds {@code committed} (usage of
 * completed runs) and {@code leased} (the sum of the slices replicas hold), in
 * {@code guard_windows}. A replica grants reservations only out of its own slice, in memory;
 * when the slice has no room left it leases more with one call of {@code guard_lease}, which
 * grants only while {@code committed + leased + slice <= amount} under the window row's lock.
 * So at every moment the reservations admitted by all replicas together fit in the limit:
 * {@code sum(settled actual usage) + sum(open reservations) <= committed + leased <= amount}.
 * A settled reservation adds its actual usage to {@code committed} and gives its reserved
 * amount back in the same transaction ({@link #settle}); an expired one only gives back.
 *
 * <p><b>Slack.</b> The one way past a limit is a run whose actual usage exceeds what it
 * reserved (the caller under-estimated): the excess is counted when the run completes, and
 * recorded as a RUN_COMPLETION violation. In the other direction, room another replica has
 * leased but not used is unavailable here until that replica returns it (after
 * {@value #IDLE_RETURN_MILLIS} ms without use) — under-admission, never over-admission.
 *
 * <p><b>Leasing ahead.</b> A check that has to lease waits for PostgreSQL, and so does every
 * other check of that limit on this replica (they queue on the slice's lock): that is the
 * guard's latency tail. So when a check leaves less than half a slice of free room, the next
 * slice is leased in the background, and the checks that follow find room in memory. A check
 * still leases itself when the room runs out before the background lease returns (a burst
 * bigger than half a slice) and for the first check of each window.
 */
final class BudgetLedger implements AutoCloseable {
    /** A slice is 1/{@value #SLICES_PER_LIMIT} of the limit (or what the call needs, if more). */
    static final int SLICES_PER_LIMIT = 20;
    static final long IDLE_RETURN_MILLIS = 1000;
    /** After a refused lease, the window counts as full for this long (no database call). */
    private static final long FULL_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    record Key(UUID tenantId, UUID limitId, Instant windowStart) {
    }

    /** What one reservation holds of one limit. */
    record Hold(Key key, GuardLimit limit, LimitWindow window, long amount) {
    }

    /** A limit's state as this replica last saw it, for the check's answer. */
    record View(long committed, long reserved, long remaining) {
    }

    private static final class Slice {
        /** Shared by every hold on the slice: an open reservation keeps no key or window of its own. */
        final Key key;
        final LimitWindow window;
        long leased;           // held by this replica, in guard_leases
        long held;             // reserved by this replica's open reservations
        long committedSeen;    // guard_windows.committed at the last lease call
        long leasedSeen;       // guard_windows.leased at the last lease call (all replicas)
        long fullUntilNanos;
        long lastUseNanos = System.nanoTime();
        boolean leasingAhead;

        Slice(Key key, LimitWindow window) {
            this.key = key;
            this.window = window;
        }
    }

    private final Database database;
    private final UUID replicaId;
    private final Map<Key, Slice> slices = new ConcurrentHashMap<>();
    private final ExecutorService leaseAhead = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "govcon-guard-lease-ahead");
        t.setDaemon(true);
        return t;
    });

    BudgetLedger(Database database, UUID replicaId) {
        this.database = database;
        this.replicaId = replicaId;
    }

    /** Reserves {@code amount} of the limit in the window; null when the limit has no room. */
    Hold take(UUID tenantId, GuardLimit limit, LimitWindow window, long amount) {
        Key key = new Key(tenantId, limit.id(), window.start());
        Slice slice = slices.computeIfAbsent(key, k -> new Slice(k, window));
        synchronized (slice) {
            slice.lastUseNanos = System.nanoTime();
            awaitLeaseAhead(slice, amount);
            long free = slice.leased - slice.held;
            if (free < amount) {
                long needed = amount - free;
                long roomSeen = limit.amount() - slice.committedSeen - slice.leasedSeen;
                if (slice.lastUseNanos < slice.fullUntilNanos && needed > roomSeen) {
                    return null;
                }
                GuardMapper.LeaseResult r = lease(key, limit, window, needed, Math.max(needed, sliceOf(limit)));
                slice.committedSeen = r.committed();
                slice.leasedSeen = r.leased();
                if (r.granted() < needed) {
                    slice.fullUntilNanos = slice.lastUseNanos + FULL_BACKOFF_NANOS;
                    return null;
                }
                slice.leased += r.granted();
            }
            slice.held += amount;
            if (!slice.leasingAhead && slice.leased - slice.held < sliceOf(limit) / 2
                && slice.lastUseNanos >= slice.fullUntilNanos) {
                slice.leasingAhead = true;
                leaseAhead(key, limit, slice);
            }
            return new Hold(slice.key, limit, slice.window, amount);
        }
    }

    /**
     * A check that needs more room than the slice has waits for a background lease in flight
     * rather than leasing beside it: one lease at a time keeps {@code leased} and
     * {@code leasedSeen} describing the same leases.
     */
    private static void awaitLeaseAhead(Slice slice, long amount) {
        while (slice.leasingAhead && slice.leased - slice.held < amount) {
            try {
                slice.wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static long sliceOf(GuardLimit limit) {
        return Math.max(1, limit.amount() / SLICES_PER_LIMIT);
    }

    private GuardMapper.LeaseResult lease(Key key, GuardLimit limit, LimitWindow window, long needed, long wanted) {
        return database.inTransaction(s -> s.getMapper(GuardMapper.class)
                .lease(key.tenantId(), limit.id(), window.start(), window.end(), replicaId, limit.amount(),
                       needed, wanted));
    }

    /** Leases one more slice off the check's path; a refusal only marks the window full. */
    private void leaseAhead(Key key, GuardLimit limit, Slice slice) {
        try {
            leaseAhead.execute(() -> {
                GuardMapper.LeaseResult r = null;
                try {
                    r = lease(key, limit, slice.window, 1, sliceOf(limit));
                } finally {
                    synchronized (slice) {
                        slice.leasingAhead = false;
                        slice.notifyAll();
                        if (r != null) {
                            // Only our own grant is added to what we saw of the window: its other
                            // figures may predate a settlement this replica has already counted.
                            slice.leased += r.granted();
                            slice.leasedSeen += r.granted();
                            if (r.granted() == 0) {
                                slice.fullUntilNanos = System.nanoTime() + FULL_BACKOFF_NANOS;
                            }
                        }
                    }
                }
            });
        } catch (RejectedExecutionException closing) {
            slice.leasingAhead = false;
            slice.notifyAll();
        }
    }

    /** Undoes a hold whose check was denied by another control: the room stays in the slice. */
    void undo(Hold hold) {
        Slice slice = slices.get(hold.key());
        if (slice != null) {
            synchronized (slice) {
                slice.held -= hold.amount();
            }
        }
    }

    /**
     * Gives settled or expired holds' amounts back to one window, inside the caller's
     * transaction (which adds the actual usage to {@code committed} alongside): one call for
     * all the holds of a window that a batch closes. Request-rate holds are never given back
     * (the request was made); see {@link GuardLimit#releasedOnSettle()}.
     */
    void releaseInDb(Key key, long amount, SqlSession session) {
        if (amount > 0) {
            session.getMapper(GuardMapper.class).release(key.tenantId(), key.limitId(), key.windowStart(), replicaId,
                                                         amount);
        }
    }

    /** After {@link #releaseInDb} committed: the hold leaves this replica's slice. */
    void settled(Hold hold) {
        Slice slice = slices.get(hold.key());
        if (slice == null) {
            return;
        }
        synchronized (slice) {
            // Used request slots leave the slice too; only their database lease stays.
            slice.held -= hold.amount();
            slice.leased -= hold.amount();
            if (hold.limit().releasedOnSettle()) {
                // The window's lease total went down with ours; without this, the room just
                // given back would show as another replica's until the next lease call.
                slice.leasedSeen = Math.max(0, slice.leasedSeen - hold.amount());
            }
            slice.fullUntilNanos = 0;
        }
    }

    /** After usage was added to a window: its committed total as that transaction left it. */
    void committed(Key key, long committedAfter) {
        Slice slice = slices.get(key);
        if (slice == null) {
            return;
        }
        synchronized (slice) {
            slice.committedSeen = Math.max(slice.committedSeen, committedAfter);
        }
    }

    /** Reads the window without reserving (dry runs, and the first look at a window). */
    View peek(UUID tenantId, GuardLimit limit, LimitWindow window) {
        Key key = new Key(tenantId, limit.id(), window.start());
        Slice slice = slices.computeIfAbsent(key, k -> new Slice(k, window));
        synchronized (slice) {
            if (slice.leasedSeen == 0 && slice.committedSeen == 0 && slice.leased == 0 && !slice.leasingAhead) {
                GuardMapper.LeaseResult r = lease(key, limit, window, 0, 0);
                slice.committedSeen = r.committed();
                slice.leasedSeen = r.leased();
            }
            return view(limit, slice);
        }
    }

    View view(Hold hold) {
        Slice slice = slices.get(hold.key());
        synchronized (slice) {
            return view(hold.limit(), slice);
        }
    }

    /**
     * Others' slices count as reserved (we cannot use them); our own unused room counts as
     * remaining.
     */
    private static View view(GuardLimit limit, Slice slice) {
        long othersLeased = Math.max(0, slice.leasedSeen - slice.leased);
        long reserved = othersLeased + slice.held;
        return new View(slice.committedSeen, reserved,
                        Math.max(0, limit.amount() - slice.committedSeen - reserved));
    }

    /**
     * Gives back room unused for {@value #IDLE_RETURN_MILLIS} ms so other replicas can use it,
     * and forgets slices of windows that have ended.
     */
    void returnIdle(Instant now) {
        long idleBefore = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(IDLE_RETURN_MILLIS);
        List<Map.Entry<Key, Long>> returns = new ArrayList<>();
        for (Map.Entry<Key, Slice> e : slices.entrySet()) {
            Slice slice = e.getValue();
            synchronized (slice) {
                if (!slice.window.end().isAfter(now) && slice.held == 0) {
                    slices.remove(e.getKey());
                    continue;
                }
                long free = slice.leased - slice.held;
                if (free > 0 && slice.lastUseNanos < idleBefore) {
                    slice.leased -= free;
                    returns.add(Map.entry(e.getKey(), free));
                }
            }
        }
        if (!returns.isEmpty()) {
            database.inTransaction(s -> {
                GuardMapper mapper = s.getMapper(GuardMapper.class);
                returns.stream().sorted(BudgetLedger::byKey).forEach(r -> mapper.release(
                        r.getKey().tenantId(), r.getKey().limitId(), r.getKey().windowStart(), replicaId,
                        r.getValue()));
                return null;
            });
        }
    }

    /**
     * Drops every slice, after this replica's leases were reclaimed. Open reservations then
     * settle against nothing: their runs' usage is still counted when they complete.
     */
    void forgetAll() {
        slices.clear();
    }

    @Override
    public void close() {
        leaseAhead.shutdownNow();
    }

    /** Lock order for multi-window transactions, so concurrent writers cannot deadlock. */
    static int byKey(Map.Entry<Key, Long> a, Map.Entry<Key, Long> b) {
        return compare(a.getKey(), b.getKey());
    }

    static int compare(Key a, Key b) {
        int c = a.tenantId().compareTo(b.tenantId());
        if (c == 0) {
            c = a.limitId().compareTo(b.limitId());
        }
        return c != 0 ? c : a.windowStart().compareTo(b.windowStart());
    }
}
