package dev.govcon.server.overview;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Everything the pulse rules look at, read once per request: open incidents, ACTIVE limits
 * with their usage, unhealthy jobs, and OPEN signals of severity HIGH or above.
 */
record PulseFacts(Instant now, List<OpenIncident> openIncidents, List<LimitState> limits,
                  List<UnhealthyJob> unhealthyJobs, List<OverviewMapper.SignalRef> highSignals) {

    /** An incident not yet resolved; {@code state} is ACTIVE or ACKNOWLEDGED. */
    record OpenIncident(UUID incidentId, String title, String severity, String state, Instant openedAt) {
        boolean critical() {
            return severity.equals("CRITICAL");
        }

        boolean acknowledged() {
            return state.equals("ACKNOWLEDGED");
        }
    }

    /** An ACTIVE limit and the share of it used (and reserved) in its current window. */
    record LimitState(UUID limitId, String name, String kind, double usedRatio, boolean exhausted) {
        boolean spend() {
            return kind.equals("SPEND_PER_DAY") || kind.equals("SPEND_PER_MONTH");
        }
    }

    record UnhealthyJob(String name, Instant unhealthySince, String reason) {
    }
}
