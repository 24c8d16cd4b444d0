package dev.govcon.server.activity.ingest;

import java.util.List;

/**
 * A group of completions as columns: one array per column, handed to PostgreSQL as array
 * parameters and unnested into rows, so a whole group is one statement with one parse.
 * Times are microseconds since the epoch (exact, and independent of the session's time zone).
 */
record CompletionColumns(String[] tenantIds, String[] runIds, String[] recordIds, String[] models,
                         String[] providers, String[] features, String[] endUsers,
                         String[] integrationIds, String[] environments, String[] statuses,
                         Long[] startMicros, long[] endMicros, long[] inputTokens, long[] outputTokens,
                         long[] cachedInputTokens, long[] cacheWriteTokens, long[] reasoningTokens,
                         long[] costMicros, String[] costSources, boolean[] costUnknown,
                         Long[] latencyMs, String[] errors, String[] metadata, String[] reservationIds,
                         String[] apiKeyIds, long[] receivedMicros, byte[][] contentHashes) {

    static CompletionColumns of(List<CompletedRun> runs) {
        int n = runs.size();
        CompletionColumns c = new CompletionColumns(new String[n], new String[n], new String[n],
                new String[n], new String[n], new String[n], new String[n], new String[n], new String[n],
                new String[n], new Long[n], new long[n], new long[n], new long[n], new long[n], new long[n],
                new long[n], new long[n], new String[n], new boolean[n], new Long[n], new String[n],
                new String[n], new String[n], new String[n], new long[n], new byte[n][]);
        for (int i = 0; i < n; i++) {
            CompletedRun r = runs.get(i);
            c.tenantIds[i] = r.tenantId().toString();
            c.runIds[i] = r.runId();
            c.recordIds[i] = r.recordId().toString();
            c.models[i] = r.model();
            c.providers[i] = r.provider();
            c.features[i] = r.feature();
            c.endUsers[i] = r.endUser();
            c.integrationIds[i] = r.integrationId();
            c.environments[i] = r.environment();
            c.statuses[i] = r.status();
            c.startMicros[i] = r.startTime() == null ? null : micros(r.startTime());
            c.endMicros[i] = micros(r.endTime());
            c.inputTokens[i] = r.inputTokens();
            c.outputTokens[i] = r.outputTokens();
            c.cachedInputTokens[i] = r.cachedInputTokens();
            c.cacheWriteTokens[i] = r.cacheWriteTokens();
            c.reasoningTokens[i] = r.reasoningTokens();
            c.costMicros[i] = r.costMicros();
            c.costSources[i] = r.costSource().name();
            c.costUnknown[i] = r.costUnknown();
            c.latencyMs[i] = r.latencyMs();
            c.errors[i] = r.error();
            c.metadata[i] = r.metadataJson();
            c.reservationIds[i] = r.reservationId();
            c.apiKeyIds[i] = r.apiKeyId() == null ? null : r.apiKeyId().toString();
            c.receivedMicros[i] = micros(r.receivedAt());
            c.contentHashes[i] = r.contentHash();
        }
        return c;
    }

    static long micros(java.time.Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
    }
}
