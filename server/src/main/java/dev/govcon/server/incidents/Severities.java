package dev.govcon.server.incidents;

import java.util.List;

/**
 * Severity names as stored (LOW, MEDIUM, HIGH, CRITICAL) and the engine's escalation rule: an
 * open incident rises one level above its initial severity when its occurrences reach
 * {@link #FIRST_ESCALATION} and two levels at {@link #SECOND_ESCALATION}, never above
 * CRITICAL; an occurrence whose own severity is higher lifts it to that.
 */
final class Severities {
    static final List<String> ORDER = List.of("LOW", "MEDIUM", "HIGH", "CRITICAL");
    static final long FIRST_ESCALATION = 5;
    static final long SECOND_ESCALATION = 20;

    private Severities() {
    }

    static int rank(String severity) {
        return ORDER.indexOf(severity) + 1;
    }

    static String max(String a, String b) {
        return rank(a) >= rank(b) ? a : b;
    }

    /** The severity an incident should have after {@code occurrences}, from its initial severity. */
    static String byOccurrences(String initial, long occurrences) {
        int steps = occurrences >= SECOND_ESCALATION ? 2 : occurrences >= FIRST_ESCALATION ? 1 : 0;
        return ORDER.get(Math.min(ORDER.size() - 1, rank(initial) - 1 + steps));
    }
}
