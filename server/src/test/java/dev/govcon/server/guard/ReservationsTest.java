package dev.govcon.server.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/**
 * The open reservations of one replica: each is claimed exactly once, by its completion or by
 * the expiry sweep, and the sweep finds exactly the expired ones (it visits only the seconds
 * that are due, so these tests pin down what it must still find).
 */
class ReservationsTest {
    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    private final UUID tenant = UUID.randomUUID();
    private final Reservations reservations = new Reservations(UUID.randomUUID());

    private Reservation open(String runId, Instant expiresAt) {
        Reservation r = new Reservation(reservations.newId(), tenant, runId, expiresAt, List.of());
        reservations.add(r);
        return r;
    }

    @Test
    void theSweepClaimsExactlyTheReservationsExpiredByThenAndLeavesTheRest() {
        Reservation early = open("r-1", T0.plusMillis(200));
        Reservation sameSecondLater = open("r-2", T0.plusMillis(900));
        Reservation nextSecond = open("r-3", T0.plusSeconds(1));
        Reservation muchLater = open("", T0.plusSeconds(600));

        assertThat(reservations.claimExpired(T0.plusMillis(199))).isEmpty();
        assertThat(reservations.claimExpired(T0.plusMillis(500))).containsExactly(early);
        assertThat(reservations.size()).isEqualTo(3);
        // Expiring exactly at now counts as expired, as before.
        assertThat(reservations.claimExpired(T0.plusSeconds(1))).containsExactlyInAnyOrder(sameSecondLater, nextSecond);
        assertThat(reservations.claimExpired(T0.plusSeconds(599))).isEmpty();
        assertThat(reservations.claimExpired(T0.plusSeconds(3600))).containsExactly(muchLater);
        assertThat(reservations.size()).isZero();
        // Claimed by expiry, so a late completion finds nothing to settle.
        assertThat(reservations.claim(tenant, "", "r-1")).isNull();
        assertThat(reservations.claim(tenant, nextSecond.id(), "")).isNull();
    }

    @Test
    void aCompletedReservationIsNotExpiredAgainAndAnExpiredOneCannotBeCompleted() {
        Reservation completed = open("r-done", T0.plusSeconds(5));
        Reservation forgotten = open("r-forgotten", T0.plusSeconds(5));

        assertThat(reservations.claim(tenant, "", "r-done")).isEqualTo(completed);
        assertThat(reservations.claimExpired(T0.plusSeconds(10))).containsExactly(forgotten);
        assertThat(reservations.claim(tenant, forgotten.id(), "")).isNull();
        assertThat(reservations.claim(UUID.randomUUID(), completed.id(), "")).isNull();
        assertThat(reservations.size()).isZero();
    }

    @Test
    void concurrentChecksCompletionsAndSweepsClaimEveryReservationExactlyOnce() throws Exception {
        int threads = 4;
        int perThread = 20_000;
        Set<String> claimedByCompletion = ConcurrentHashMap.newKeySet();
        List<Reservation> claimedByExpiry = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                writers.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        // Expiries spread over 20 seconds, as checks arriving over time would be.
                        Reservation r = open("run-" + thread + "-" + i, T0.plusMillis(i));
                        if (i % 3 == 0) {
                            Reservation own = reservations.claim(tenant, r.id(), "");
                            if (own != null) {
                                claimedByCompletion.add(own.id());
                            }
                        }
                    }
                }));
            }
            Future<?> sweeper = pool.submit(() -> {
                for (int ms = 0; ms <= perThread + 1000; ms += 7) {
                    List<Reservation> expired = reservations.claimExpired(T0.plusMillis(ms));
                    synchronized (claimedByExpiry) {
                        claimedByExpiry.addAll(expired);
                    }
                }
            });
            for (Future<?> w : writers) {
                w.get(60, TimeUnit.SECONDS);
            }
            sweeper.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        // Whatever the sweeper's pace missed (reservations filed after it passed) goes now.
        claimedByExpiry.addAll(reservations.claimExpired(T0.plusSeconds(3600)));

        Set<String> expiredIds = claimedByExpiry.stream().map(Reservation::id).collect(Collectors.toSet());
        assertThat(expiredIds).as("no reservation is expired twice").hasSize(claimedByExpiry.size());
        Set<String> both = new HashSet<>(expiredIds);
        both.retainAll(claimedByCompletion);
        assertThat(both).as("no completed reservation is also expired").isEmpty();
        assertThat(claimedByCompletion.size() + expiredIds.size()).as("every reservation is claimed once")
                .isEqualTo(threads * perThread);
        assertThat(reservations.size()).isZero();
    }
}
