package dev.govcon.server.connectivity;

/** One provider's finished runs of the last few minutes, from the run records. */
public record ProviderRecentRow(String provider, long runs, long errorRuns) {
}
