package dev.govcon.server.overview;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import dev.govcon.proto.v1.PulseReason;
import dev.govcon.proto.v1.PulseRule;
import dev.govcon.proto.v1.PulseState;

/**
 * The rules of the pulse. Each is a check over {@link PulseFacts} that returns at most one
 * reason (naming how many things fired it and linking to the most pressing one). The state is
 * the highest any reason calls for; PROTECTED when none fires.
 *
 * <p>ACTION, something needs acting on now:
 * <ul>
 * <li>{@link #criticalIncidentActive}: an incident of severity CRITICAL is not resolved
 *     (ACTIVE or ACKNOWLEDGED);</li>
 * <li>{@link #spendLimitExhausted}: an ACTIVE spend limit (per day or per month) is exhausted
 *     in its current window (no room left, as the limit's own usage reports it);</li>
 * <li>{@link #jobUnhealthy}: a job has been UNHEALTHY (see {@code jobs.JobsReads}) for more
 *     than {@link #JOB_UNHEALTHY_FOR} minutes.</li>
 * </ul>
 * ATTENTION, something needs a look:
 * <ul>
 * <li>{@link #incidentUnacknowledged}: an incident below CRITICAL is ACTIVE, i.e. nobody has
 *     acknowledged it;</li>
 * <li>{@link #incidentActive}: an incident below CRITICAL is acknowledged but not resolved;</li>
 * <li>{@link #limitAbove80Percent}: an ACTIVE limit of any kind has used (with reservations)
 *     more than {@link #LIMIT_ATTENTION_RATIO} of its amount, and is not an exhausted spend
 *     limit (that one is ACTION);</li>
 * <li>{@link #highSignalOpen}: a risk signal of severity HIGH or CRITICAL is OPEN.</li>
 * </ul>
 * Each open incident and each limit is reported by one rule only (the highest that applies),
 * so one cause never appears twice.
 */
final class PulseRules {
    static final Duration JOB_UNHEALTHY_FOR = Duration.ofMinutes(15);
    static final double LIMIT_ATTENTION_RATIO = 0.8;

    /** In the order reasons are listed: ACTION rules first. */
    static final List<Function<PulseFacts, Optional<PulseReason>>> ALL = List.of(
            PulseRules::criticalIncidentActive,
            PulseRules::spendLimitExhausted,
            PulseRules::jobUnhealthy,
            PulseRules::incidentActive,
            PulseRules::incidentUnacknowledged,
            PulseRules::limitAbove80Percent,
            PulseRules::highSignalOpen);

    private PulseRules() {
    }

    static List<PulseReason> reasons(PulseFacts facts) {
        return ALL.stream().map(rule -> rule.apply(facts)).flatMap(Optional::stream)
                .sorted(Comparator.comparing((PulseReason r) -> -r.getStateValue())
                                .thenComparing(PulseReason::getRuleValue))
                .toList();
    }

    /** The highest state the reasons call for; PROTECTED when there are none. */
    static PulseState state(List<PulseReason> reasons) {
        return reasons.stream().map(PulseReason::getState).max(Comparator.comparingInt(PulseState::getNumber))
                .orElse(PulseState.PULSE_STATE_PROTECTED);
    }

    static Optional<PulseReason> criticalIncidentActive(PulseFacts f) {
        List<PulseFacts.OpenIncident> hits = f.openIncidents().stream().filter(PulseFacts.OpenIncident::critical).toList();
        return incidents(hits, PulseRule.PULSE_RULE_CRITICAL_INCIDENT_ACTIVE, PulseState.PULSE_STATE_ACTION,
                         "critical incident is open", "critical incidents are open");
    }

    static Optional<PulseReason> spendLimitExhausted(PulseFacts f) {
        List<PulseFacts.LimitState> hits = f.limits().stream()
                .filter(l -> l.spend() && l.exhausted()).toList();
        return limits(hits, PulseRule.PULSE_RULE_SPEND_LIMIT_EXHAUSTED, PulseState.PULSE_STATE_ACTION,
                      "is exhausted");
    }

    static Optional<PulseReason> jobUnhealthy(PulseFacts f) {
        List<PulseFacts.UnhealthyJob> hits = f.unhealthyJobs().stream()
                .filter(j -> j.unhealthySince().plus(JOB_UNHEALTHY_FOR).isBefore(f.now()))
                .sorted(Comparator.comparing(PulseFacts.UnhealthyJob::unhealthySince)
                                .thenComparing(PulseFacts.UnhealthyJob::name))
                .toList();
        if (hits.isEmpty()) {
            return Optional.empty();
        }
        PulseFacts.UnhealthyJob first = hits.get(0);
        long minutes = Duration.between(first.unhealthySince(), f.now()).toMinutes();
        String message = "Job '" + first.name() + "' has been unhealthy for " + minutes + " minutes ("
                         + first.reason() + ")" + more(hits.size(), "job");
        return Optional.of(reason(PulseRule.PULSE_RULE_JOB_UNHEALTHY_15M, PulseState.PULSE_STATE_ACTION, message,
                                  "job", first.name()).build());
    }

    static Optional<PulseReason> incidentUnacknowledged(PulseFacts f) {
        List<PulseFacts.OpenIncident> hits = f.openIncidents().stream()
                .filter(i -> !i.critical() && !i.acknowledged()).toList();
        return incidents(hits, PulseRule.PULSE_RULE_INCIDENT_UNACKNOWLEDGED, PulseState.PULSE_STATE_ATTENTION,
                         "incident waits to be acknowledged", "incidents wait to be acknowledged");
    }

    static Optional<PulseReason> incidentActive(PulseFacts f) {
        List<PulseFacts.OpenIncident> hits = f.openIncidents().stream()
                .filter(i -> !i.critical() && i.acknowledged()).toList();
        return incidents(hits, PulseRule.PULSE_RULE_INCIDENT_ACTIVE, PulseState.PULSE_STATE_ATTENTION,
                         "acknowledged incident is not resolved", "acknowledged incidents are not resolved");
    }

    static Optional<PulseReason> limitAbove80Percent(PulseFacts f) {
        List<PulseFacts.LimitState> hits = f.limits().stream()
                .filter(l -> l.usedRatio() > LIMIT_ATTENTION_RATIO && !(l.spend() && l.exhausted())).toList();
        return limits(hits, PulseRule.PULSE_RULE_LIMIT_ABOVE_80_PERCENT, PulseState.PULSE_STATE_ATTENTION,
                      "is above " + Math.round(LIMIT_ATTENTION_RATIO * 100) + "%");
    }

    static Optional<PulseReason> highSignalOpen(PulseFacts f) {
        List<OverviewMapper.SignalRef> hits = f.highSignals();
        if (hits.isEmpty()) {
            return Optional.empty();
        }
        OverviewMapper.SignalRef first = hits.get(0);
        String what = first.message().isEmpty()
                ? first.signalType() + (first.dimensionKey().isEmpty() ? "" : " on " + first.dimensionKey())
                : first.message();
        String message = "Open " + first.severity() + " signal: " + what + more(hits.size(), "signal");
        return Optional.of(reason(PulseRule.PULSE_RULE_HIGH_SIGNAL_OPEN, PulseState.PULSE_STATE_ATTENTION, message,
                                  "signal", first.signalId().toString()).build());
    }

    /** Links to the most severe, then oldest, incident. */
    private static Optional<PulseReason> incidents(List<PulseFacts.OpenIncident> hits, PulseRule rule,
                                                   PulseState state, String one, String many) {
        if (hits.isEmpty()) {
            return Optional.empty();
        }
        PulseFacts.OpenIncident first = hits.stream()
                .min(Comparator.comparingInt((PulseFacts.OpenIncident i) -> -Severities.rank(i.severity()))
                             .thenComparing(PulseFacts.OpenIncident::openedAt)
                             .thenComparing(PulseFacts.OpenIncident::incidentId))
                .orElseThrow();
        String message = (hits.size() == 1 ? "1 " + one : hits.size() + " " + many)
                         + ": '" + first.title() + "' (" + first.severity() + ")";
        return Optional.of(reason(rule, state, message, "incident", first.incidentId().toString()).build());
    }

    /** Links to the limit with the highest share used. */
    private static Optional<PulseReason> limits(List<PulseFacts.LimitState> hits, PulseRule rule, PulseState state,
                                                String condition) {
        if (hits.isEmpty()) {
            return Optional.empty();
        }
        PulseFacts.LimitState first = hits.stream()
                .min(Comparator.comparingDouble((PulseFacts.LimitState l) -> -l.usedRatio())
                             .thenComparing(PulseFacts.LimitState::limitId))
                .orElseThrow();
        String message = Limits.label(first.kind()) + " limit '" + first.name() + "' " + condition + " ("
                         + Math.round(first.usedRatio() * 100) + "% used)" + more(hits.size(), "limit");
        return Optional.of(reason(rule, state, message, "policy_limit", first.limitId().toString())
                                   .setUsedRatio(first.usedRatio()).build());
    }

    private static String more(int count, String noun) {
        return count <= 1 ? "" : " and " + (count - 1) + " more " + noun + (count == 2 ? "" : "s");
    }

    private static PulseReason.Builder reason(PulseRule rule, PulseState state, String message, String type,
                                              String id) {
        return PulseReason.newBuilder().setRule(rule).setState(state).setMessage(message)
                .setResourceType(type).setResourceId(id);
    }

    /** Words for limit kinds in messages. */
    static final class Limits {
        private Limits() {
        }

        static String label(String kind) {
            return switch (kind) {
                case "SPEND_PER_DAY" -> "Daily spend";
                case "SPEND_PER_MONTH" -> "Monthly spend";
                case "TOKENS_PER_DAY" -> "Daily tokens";
                case "REQUESTS_PER_MINUTE" -> "Requests per minute";
                case "CONCURRENT_RUNS" -> "Concurrent runs";
                default -> kind;
            };
        }
    }
}
