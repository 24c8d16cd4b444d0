package dev.govcon.server.activity;

import java.time.Instant;

/** Live runs of one group (or all of them: value null): how many, and the oldest start. */
public record LiveBucketRow(String value, long runs, Instant oldestStart) {
}
