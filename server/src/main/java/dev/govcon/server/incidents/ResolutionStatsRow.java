package dev.govcon.server.incidents;

/** Durations in milliseconds; null when no incident counts towards them. */
public record ResolutionStatsRow(String severity, long resolvedCount, long autoResolvedCount, Double meanAckMs,
                          Double meanResolveMs, Double medianResolveMs, Double p90ResolveMs) {
}
