package dev.govcon.server.overview;

import java.time.Duration;

/** Durations for people: "3 days", "5 hours", "12 minutes". */
final class Durations {
    private Durations() {
    }

    static String human(Duration d) {
        long minutes = Math.max(0, d.toMinutes());
        if (minutes >= 2 * 24 * 60) {
            return minutes / (24 * 60) + " days";
        }
        if (minutes >= 2 * 60) {
            return minutes / 60 + " hours";
        }
        return minutes == 1 ? "1 minute" : minutes + " minutes";
    }
}
