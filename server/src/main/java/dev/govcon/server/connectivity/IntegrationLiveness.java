package dev.govcon.server.connectivity;

import java.time.Duration;
import java.time.Instant;

import dev.govcon.proto.v1.IntegrationStatus;

/**
 * CONNECTED when the newest heartbeat or run is at most {@link #WINDOW} before now (server
 * clock); STALE when older; NEVER_SEEN when there has been neither. A run counts by its end
 * time (finished runs) or start time (runs still RUNNING). A guard check alone does not make
 * an integration CONNECTED: the contract counts heartbeats and runs only.
 */
final class IntegrationLiveness {
    static final Duration WINDOW = Duration.ofMinutes(5);
    /** What a heartbeat answers as next_heartbeat_in; the SDK's default interval. */
    static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(60);

    private IntegrationLiveness() {
    }

    static Instant lastSeen(Instant lastHeartbeat, Instant lastRun) {
        if (lastHeartbeat == null) {
            return lastRun;
        }
        return lastRun == null || lastHeartbeat.isAfter(lastRun) ? lastHeartbeat : lastRun;
    }

    static IntegrationStatus status(Instant lastHeartbeat, Instant lastRun, Instant now) {
        Instant seen = lastSeen(lastHeartbeat, lastRun);
        if (seen == null) {
            return IntegrationStatus.NEVER_SEEN;
        }
        return seen.isBefore(now.minus(WINDOW)) ? IntegrationStatus.STALE : IntegrationStatus.CONNECTED;
    }
}
