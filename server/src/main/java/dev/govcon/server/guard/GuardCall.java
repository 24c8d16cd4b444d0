package dev.govcon.server.guard;

import java.util.Map;
import java.util.UUID;

import dev.govcon.server.policies.ControlScope;

/** A validated guard check: who asks, for what call, and how big the call may get. */
record GuardCall(UUID tenantId, ControlScope scope, long estimatedInputTokens, long maxOutputTokens,
                 Long estimatedCostMicros, Map<String, String> metadata, String runId, boolean dryRun) {

    long maxTokens() {
        return estimatedInputTokens + maxOutputTokens;
    }
}
