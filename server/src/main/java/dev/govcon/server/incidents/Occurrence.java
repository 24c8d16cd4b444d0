package dev.govcon.server.incidents;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

import dev.govcon.proto.v1.Scope;

/**
 * One thing that happened and needs attention: a BLOCK violation, a repeated WARN, a signal, a
 * failed job run. {@code cause} + {@code scope} make the fingerprint; {@code refId} and
 * {@code runId} say which row produced this occurrence.
 *
 * @param source     VIOLATION, SIGNAL or JOB
 * @param sourceRef  the control, signal or job behind the cause
 */
record Occurrence(String cause, String title, String description, String source, String sourceRef, Scope scope,
                  String severity, Instant at, String refId, String runId) {

    /** Stable over releases: the first 32 hex digits of SHA-256 over cause and scope. */
    String fingerprint() {
        String key = String.join("\u001f", cause, scope.getFeature(), scope.getModel(), scope.getEndUser(),
                                 scope.getApiKeyId(), scope.getProvider(), scope.getEnvironment());
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
