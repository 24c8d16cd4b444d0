package dev.govcon.server.activity.pricing;

/**
 * The tokens of one run, by price class. The classes are disjoint, as in {@code LlmRun}:
 * {@code input} excludes the cached-input and cache-write tokens, and {@code output} excludes
 * the reasoning tokens, so each token is priced exactly once. All counts are non-negative.
 */
public record TokenCounts(long input, long output, long cachedInput, long cacheWrite, long reasoning) {
}
