package dev.govcon.server.connectivity;

import java.time.Duration;

import dev.govcon.proto.v1.ProviderStatus;

/**
 * A provider's status from its runs. Errors are FAILED and TIMED_OUT runs.
 * <ul>
 * <li><b>DOWN</b>: in the last {@link #RECENT} (15 min), at least {@link #MIN_RECENT_RUNS} runs
 * and an error rate of at least {@link #DOWN_ERROR_RATE} (50%).</li>
 * <li><b>DEGRADED</b>: in the last 15 min, at least {@link #MIN_RECENT_RUNS} runs and an error
 * rate of at least {@link #DEGRADED_ERROR_RATE} (10%); or over the last 24 h, at least
 * {@link #MIN_DAY_RUNS} runs and an error rate of at least 10% or a p95 latency of at least
 * {@link #DEGRADED_P95_MS} (10 s).</li>
 * <li><b>OK</b>: runs in the last 24 h, and none of the above.</li>
 * <li>No runs in the last 24 h (a provider listed because it was used within the week):
 * {@code PROVIDER_STATUS_UNSPECIFIED}, there is nothing to judge it by.</li>
 * </ul>
 * The minimum run counts keep one failed call of a rarely used provider from flagging it.
 */
final class ProviderHealth {
    static final Duration RECENT = Duration.ofMinutes(15);
    static final long MIN_RECENT_RUNS = 5;
    static final long MIN_DAY_RUNS = 20;
    static final double DOWN_ERROR_RATE = 0.50;
    static final double DEGRADED_ERROR_RATE = 0.10;
    static final long DEGRADED_P95_MS = 10_000;

    private ProviderHealth() {
    }

    static ProviderStatus status(long recentRuns, long recentErrors, long dayRuns, long dayErrors, long dayP95Ms) {
        boolean recentEvidence = recentRuns >= MIN_RECENT_RUNS;
        double recentRate = rate(recentErrors, recentRuns);
        if (recentEvidence && recentRate >= DOWN_ERROR_RATE) {
            return ProviderStatus.PROVIDER_DOWN;
        }
        if (recentEvidence && recentRate >= DEGRADED_ERROR_RATE) {
            return ProviderStatus.PROVIDER_DEGRADED;
        }
        if (dayRuns >= MIN_DAY_RUNS
            && (rate(dayErrors, dayRuns) >= DEGRADED_ERROR_RATE || dayP95Ms >= DEGRADED_P95_MS)) {
            return ProviderStatus.PROVIDER_DEGRADED;
        }
        return dayRuns > 0 ? ProviderStatus.PROVIDER_OK : ProviderStatus.PROVIDER_STATUS_UNSPECIFIED;
    }

    static double rate(long errors, long runs) {
        return runs == 0 ? 0 : (double) errors / runs;
    }
}
