package dev.govcon.server.guard;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open reservations this replica made. Each is claimed exactly once — by its run's
 * completion or by expiry — which is what makes its settlement happen exactly once.
 * Reservation ids name the replica that owns them ({@code res_<replica>_<random>}), so a
 * completion that reaches another replica can be forwarded to the owner.
 *
 * <p>Besides the index by id, reservations are filed by the second they expire in, so an
 * expiry sweep visits only the seconds that are due and the reservations in them. (It used to
 * walk every open reservation twice a second: with checks that are never completed, hundreds
 * of thousands of them, a fifth of a busy replica's CPU.) A bucket is changed only inside
 * {@link ConcurrentHashMap#compute}, atomically per second, so a reservation filed while its
 * second is being swept is either seen by the sweep or left in a bucket the next sweep visits.
 */
final class Reservations {
    private static final SecureRandom RANDOM = new SecureRandom();

    private record RunKey(UUID tenantId, String runId) {
    }

    private final String idPrefix;
    private final Map<String, Reservation> byId = new ConcurrentHashMap<>();
    private final Map<RunKey, String> byRun = new ConcurrentHashMap<>();
    /** Open reservations by the epoch second they expire in; a bucket is guarded by its compute. */
    private final ConcurrentHashMap<Long, Map<String, Reservation>> byExpirySecond = new ConcurrentHashMap<>();

    Reservations(UUID replicaId) {
        this.idPrefix = "res_" + replicaId.toString().replace("-", "") + "_";
    }

    String newId() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return idPrefix + HexFormat.of().formatHex(bytes);
    }

    boolean isOwn(String reservationId) {
        return reservationId.startsWith(idPrefix);
    }

    /** The owning replica's id, or null for an id that is not a reservation id. */
    static UUID owner(String reservationId) {
        String[] parts = reservationId.split("_");
        if (parts.length != 3 || !parts[0].equals("res") || parts[1].length() != 32) {
            return null;
        }
        String h = parts[1];
        try {
            return UUID.fromString(h.substring(0, 8) + "-" + h.substring(8, 12) + "-" + h.substring(12, 16) + "-"
                                   + h.substring(16, 20) + "-" + h.substring(20));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    void add(Reservation r) {
        byId.put(r.id(), r);
        if (!r.runId().isEmpty()) {
            byRun.put(new RunKey(r.tenantId(), r.runId()), r.id());
        }
        byExpirySecond.compute(r.expiresAt().getEpochSecond(), (second, bucket) -> {
            Map<String, Reservation> b = bucket == null ? new HashMap<>() : bucket;
            b.put(r.id(), r);
            return b;
        });
    }

    /** Removes and returns the tenant's reservation with this id, or else of this run. */
    Reservation claim(UUID tenantId, String reservationId, String runId) {
        String id = reservationId;
        if (id.isEmpty() && !runId.isEmpty()) {
            id = byRun.get(new RunKey(tenantId, runId));
        }
        if (id == null || id.isEmpty()) {
            return null;
        }
        Reservation r = byId.get(id);
        if (r == null || !r.tenantId().equals(tenantId) || !byId.remove(id, r)) {
            return null;
        }
        forgetRun(r);
        byExpirySecond.computeIfPresent(r.expiresAt().getEpochSecond(), (second, bucket) -> {
            bucket.remove(r.id());
            return bucket.isEmpty() ? null : bucket;
        });
        return r;
    }

    /** Removes and returns every reservation that expired at or before {@code now}. */
    List<Reservation> claimExpired(Instant now) {
        long nowSecond = now.getEpochSecond();
        List<Reservation> expired = new ArrayList<>();
        // The key set is one entry per second of the reservation lifetime (a run timeout's worth).
        for (Long second : byExpirySecond.keySet()) {
            if (second > nowSecond) {
                continue;
            }
            byExpirySecond.computeIfPresent(second, (s, bucket) -> {
                bucket.values().removeIf(r -> {
                    if (r.expiresAt().isAfter(now)) {
                        return false;
                    }
                    if (byId.remove(r.id(), r)) {
                        forgetRun(r);
                        expired.add(r);
                    }
                    return true;
                });
                return bucket.isEmpty() ? null : bucket;
            });
        }
        return expired;
    }

    private void forgetRun(Reservation r) {
        if (!r.runId().isEmpty()) {
            byRun.remove(new RunKey(r.tenantId(), r.runId()), r.id());
        }
    }

    int size() {
        return byId.size();
    }
}
