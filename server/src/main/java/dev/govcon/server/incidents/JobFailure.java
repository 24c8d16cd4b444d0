package dev.govcon.server.incidents;

import java.time.Instant;
import java.util.UUID;

record JobFailure(String jobName, UUID runId, Instant finishedAt, String error) {
}
