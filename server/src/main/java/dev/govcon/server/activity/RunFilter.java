package dev.govcon.server.activity;

import java.time.Instant;

/**
 * The filters of a run query; empty strings and nulls match everything. {@code afterAt} /
 * {@code afterKey} is the keyset cursor (sort time, run id) of the last row served.
 */
public record RunFilter(Instant start, Instant end, String model, String provider, String feature,
                        String status, String endUser, String environment, String integrationId,
                        String runId, Instant afterAt, String afterKey, int limit) {
}
