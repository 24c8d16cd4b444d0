package dev.govcon.sdk;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * grpc-java service config that retries transient failures (UNAVAILABLE: the server could
 * not be reached or was shutting down) with exponential backoff. Only UNAVAILABLE is retried:
 * it means the call was not processed, so even non-idempotent calls are safe to repeat.
 * Ingestion is idempotent on run ids in any case.
 */
final class RetryPolicy {
    private static final List<String> SERVICES = List.of(
            "govcon.v1.OverviewService", "govcon.v1.ActivityService", "govcon.v1.RuntimeService",
            "govcon.v1.IncidentsService", "govcon.v1.PoliciesService", "govcon.v1.LogsService",
            "govcon.v1.AnalyticsService", "govcon.v1.ConnectivityService",
            "govcon.v1.AccountsService", "govcon.v1.AdminService");

    private RetryPolicy() {
    }

    static Map<String, Object> serviceConfig(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
        Map<String, Object> retry = Map.of(
                "maxAttempts", (double) maxAttempts,
                "initialBackoff", seconds(initialBackoff),
                "maxBackoff", seconds(maxBackoff),
                "backoffMultiplier", 2.0,
                "retryableStatusCodes", List.of("UNAVAILABLE"));
        List<Map<String, Object>> names = SERVICES.stream()
                .map(s -> Map.<String, Object>of("service", s)).toList();
        return Map.of("methodConfig", List.of(Map.of("name", names, "retryPolicy", retry)));
    }

    private static String seconds(Duration d) {
        return (d.toMillis() / 1000.0) + "s";
    }
}
