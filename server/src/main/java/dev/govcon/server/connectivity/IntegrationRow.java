package dev.govcon.server.connectivity;

import java.time.Instant;
import java.util.UUID;

/**
 * An integration with its newest run: {@code lastRecordAt} the end of its newest finished
 * run, {@code lastLiveAt} the start of its newest run still RUNNING.
 */
public record IntegrationRow(UUID tenantId, UUID integrationId, String name, String environment,
                             String sdkLanguage, String sdkVersion, String host, Instant registeredAt,
                             Instant updatedAt, Instant firstHeartbeatAt, Instant lastHeartbeatAt,
                             Instant firstGuardCheckAt, Instant lastGuardCheckAt, Instant lastRecordAt,
                             Instant lastLiveAt) {

    Instant lastRunAt() {
        if (lastRecordAt == null) {
            return lastLiveAt;
        }
        return lastLiveAt == null || lastRecordAt.isAfter(lastLiveAt) ? lastRecordAt : lastLiveAt;
    }
}
