package dev.govcon.server.overview;

import dev.govcon.proto.v1.Severity;

/** Severities as stored ("HIGH") and as the API spells them, ranked for sorting. */
final class Severities {
    private Severities() {
    }

    /** CRITICAL 4 … LOW 1; unknown or empty 0. */
    static int rank(String stored) {
        return proto(stored).getNumber();
    }

    static Severity proto(String stored) {
        if (stored == null || stored.isEmpty()) {
            return Severity.SEVERITY_UNSPECIFIED;
        }
        try {
            return Severity.valueOf(stored);
        } catch (IllegalArgumentException e) {
            return Severity.SEVERITY_UNSPECIFIED;
        }
    }
}
