package dev.govcon.server.activity.ingest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import com.google.protobuf.CodedOutputStream;

import dev.govcon.proto.v1.Run;

/**
 * The identity of a completion as the caller sent it: SHA-256 of its deterministic protobuf
 * encoding, with the fields the server fills in left out. A retry hashes the same; a
 * completion that says something else about the same run does not.
 */
final class ContentHash {
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
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(canonical.getSerializedSize());
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            out.useDeterministicSerialization();
            canonical.writeTo(out);
            out.flush();
            return MessageDigest.getInstance("SHA-256").digest(bytes.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
