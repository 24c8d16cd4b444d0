package dev.govcon.server.accounts;

/** Finished runs of a period from the hourly rollups: tokens of all five classes, tracked LLM spend. */
public record UsageRow(long runs, long totalTokens, long costMicros) {
}
