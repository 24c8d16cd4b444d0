package dev.govcon.server.activity.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import com.google.protobuf.CodedOutputStream;

import dev.govcon.proto.v1.Run;

/**
 * The identity of a completion as the caller sent it: SHA-256 of its deterministic protobuf
 * encoding, with the fields the server fills in left out. A retry hashes the same; a
 * completion that says something else about the same run does not. Records keep the hash,
 * so it must not change from one version of the server to the next.
 */
final class ContentHash {
    /** A digest per thread: looking one up costs more than hashing a run. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    private ContentHash() {
    }

    static byte[] of(Run sent, String runId) {
        // Callers rarely send server-filled fields; copy the message only when they do.
        boolean clean = sent.getRunId().equals(runId) && !sent.getCostUnknown()
                        && sent.getCostSourceValue() == 0 && sent.getApiKeyId().isEmpty()
                        && !sent.hasReceivedAt() && sent.getTraceStepCount() == 0;
        Run canonical = clean ? sent : sent.toBuilder()
                .setRunId(runId)
                .clearCostUnknown()
                .clearCostSource()
                .clearApiKeyId()
                .clearReceivedAt()
                .clearTraceStepCount()
                .build();
        // Straight into an array of the exact size (the size is memoized by the message).
        byte[] bytes = new byte[canonical.getSerializedSize()];
        try {
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            out.useDeterministicSerialization();
            canonical.writeTo(out);
            out.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return SHA256.get().digest(bytes);
    }
}
