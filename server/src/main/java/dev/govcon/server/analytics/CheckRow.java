package dev.govcon.server.analytics;

import java.time.Instant;
import java.util.UUID;

/** Guard checks a control applied to in one bucket; or every check, for {@link #EVERY_CHECK}. */
record CheckRow(UUID controlId, Instant bucket, long checks) {
    /** The control id the guard counts every check under (guard.CheckCounter). */
    static final UUID EVERY_CHECK = new UUID(0, 0);

    boolean everyCheck() {
        return EVERY_CHECK.equals(controlId);
    }
}
