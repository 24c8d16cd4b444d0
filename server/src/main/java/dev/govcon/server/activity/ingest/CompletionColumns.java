package dev.govcon.server.activity.ingest;

import java.util.List;

import dev.govcon.server.db.SqlArray;

/**
 * A group of completions as columns: one array per column, handed to PostgreSQL as array
 * parameters and unnested into rows, so a whole group is one statement with one parse.
 * Times are microseconds since the epoch (exact, and independent of the session's time zone).
 */
record CompletionColumns(SqlArray tenantIds, SqlArray runIds, SqlArray recordIds, SqlArray models,
                         SqlArray providers, SqlArray features, SqlArray endUsers, SqlArray integrationIds,
                         SqlArray environments, SqlArray statuses, SqlArray startMicros, SqlArray endMicros,
                         SqlArray inputTokens, SqlArray outputTokens, SqlArray cachedInputTokens,
                         SqlArray cacheWriteTokens, SqlArray reasoningTokens, SqlArray costMicros,
                         SqlArray costSources, SqlArray costUnknown, SqlArray latencyMs, SqlArray errors,
                         SqlArray metadata, SqlArray reservationIds, SqlArray apiKeyIds,
                         SqlArray receivedMicros, SqlArray contentHashes) {

    static CompletionColumns of(List<CompletedRun> runs) {
        int n = runs.size();
        String[] tenantIds = new String[n];
        String[] runIds = new String[n];
        String[] recordIds = new String[n];
        String[] models = new String[n];
        String[] providers = new String[n];
        String[] features = new String[n];
        String[] endUsers = new String[n];
        String[] integrationIds = new String[n];
        String[] environments = new String[n];
        String[] statuses = new String[n];
        Long[] startMicros = new Long[n];
        long[] endMicros = new long[n];
        long[] inputTokens = new long[n];
        long[] outputTokens = new long[n];
        long[] cachedInputTokens = new long[n];
        long[] cacheWriteTokens = new long[n];
        long[] reasoningTokens = new long[n];
        long[] costMicros = new long[n];
        String[] costSources = new String[n];
        boolean[] costUnknown = new boolean[n];
        Long[] latencyMs = new Long[n];
        String[] errors = new String[n];
        String[] metadata = new String[n];
        String[] reservationIds = new String[n];
        String[] apiKeyIds = new String[n];
        long[] receivedMicros = new long[n];
        byte[][] contentHashes = new byte[n][];
        for (int i = 0; i < n; i++) {
            CompletedRun r = runs.get(i);
            tenantIds[i] = r.tenantId().toString();
            runIds[i] = r.runId();
            recordIds[i] = r.recordId().toString();
            models[i] = r.model();
            providers[i] = r.provider();
            features[i] = r.feature();
            endUsers[i] = r.endUser();
            integrationIds[i] = r.integrationId();
            environments[i] = r.environment();
            statuses[i] = r.status();
            startMicros[i] = r.startTime() == null ? null : micros(r.startTime());
            endMicros[i] = micros(r.endTime());
            inputTokens[i] = r.inputTokens();
            outputTokens[i] = r.outputTokens();
            cachedInputTokens[i] = r.cachedInputTokens();
            cacheWriteTokens[i] = r.cacheWriteTokens();
            reasoningTokens[i] = r.reasoningTokens();
            costMicros[i] = r.costMicros();
            costSources[i] = r.costSource().name();
            costUnknown[i] = r.costUnknown();
            latencyMs[i] = r.latencyMs();
            errors[i] = r.error();
            metadata[i] = r.metadataJson();
            reservationIds[i] = r.reservationId();
            apiKeyIds[i] = r.apiKeyId() == null ? null : r.apiKeyId().toString();
            receivedMicros[i] = micros(r.receivedAt());
            contentHashes[i] = r.contentHash();
        }
        return new CompletionColumns(SqlArray.of(tenantIds), SqlArray.of(runIds), SqlArray.of(recordIds),
                SqlArray.of(models), SqlArray.of(providers), SqlArray.of(features), SqlArray.of(endUsers),
                SqlArray.of(integrationIds), SqlArray.of(environments), SqlArray.of(statuses),
                SqlArray.of(startMicros), SqlArray.of(endMicros), SqlArray.of(inputTokens),
                SqlArray.of(outputTokens), SqlArray.of(cachedInputTokens), SqlArray.of(cacheWriteTokens),
                SqlArray.of(reasoningTokens), SqlArray.of(costMicros), SqlArray.of(costSources),
                SqlArray.of(costUnknown), SqlArray.of(latencyMs), SqlArray.of(errors), SqlArray.of(metadata),
                SqlArray.of(reservationIds), SqlArray.of(apiKeyIds), SqlArray.of(receivedMicros),
                SqlArray.of(contentHashes));
    }

    static long micros(java.time.Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
    }
}
