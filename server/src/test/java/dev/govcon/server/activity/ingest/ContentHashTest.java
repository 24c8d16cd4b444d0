package dev.govcon.server.activity.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Timestamp;

import dev.govcon.proto.v1.CostSource;
import dev.govcon.proto.v1.Run;
import dev.govcon.proto.v1.RunStatus;

/**
 * Records keep the content hash, so a retry sent after an upgrade must still hash as it did
 * when its run was recorded: the hash is pinned to known values.
 */
class ContentHashTest {
    /** Computed by the first version of ContentHash (through a stream and a fresh digest). */
    private static final String PINNED = "6bcbfa0a93d37e9a4795499774734cb2fbced05123484c468a0a33bff8762449";
    private static final Run SENT = Run.newBuilder()
            .setRunId("r-1").setModel("gpt-4o").setProvider("openai").setFeature("search")
            .setEndUser("u-7").setEnvironment("production").setStatus(RunStatus.SUCCEEDED)
            .setStartTime(Timestamp.newBuilder().setSeconds(1_764_000_000L).setNanos(123_000))
            .setEndTime(Timestamp.newBuilder().setSeconds(1_764_000_002L))
            .setInputTokens(1200).setOutputTokens(300).setCachedInputTokens(600).setLatencyMs(2000)
            .putMetadata("zeta", "last").putMetadata("alpha", "first").putMetadata("mid", "dle")
            .build();

    @Test
    void aRunHashesAsItAlwaysHas() {
        assertThat(HexFormat.of().formatHex(ContentHash.of(SENT, "r-1"))).isEqualTo(PINNED);
        assertThat(ContentHash.of(SENT, "r-1")).isEqualTo(reference(SENT));
    }

    @Test
    void fieldsTheServerFillsInDoNotCount() {
        Run withServerFields = SENT.toBuilder().setCostUnknown(true).setCostSource(CostSource.COST_SOURCE_CALLER)
                .setApiKeyId("k").setReceivedAt(Timestamp.newBuilder().setSeconds(5)).setTraceStepCount(3).build();
        assertThat(ContentHash.of(withServerFields, "r-1")).isEqualTo(ContentHash.of(SENT, "r-1"));
        assertThat(ContentHash.of(SENT.toBuilder().clearRunId().build(), "r-1")).isEqualTo(ContentHash.of(SENT, "r-1"));
    }

    @Test
    void anyFigureThatDiffersChangesTheHash() {
        assertThat(ContentHash.of(SENT.toBuilder().setOutputTokens(301).build(), "r-1"))
                .isNotEqualTo(ContentHash.of(SENT, "r-1"));
        assertThat(ContentHash.of(SENT.toBuilder().putMetadata("alpha", "other").build(), "r-1"))
                .isNotEqualTo(ContentHash.of(SENT, "r-1"));
    }

    /** The hash as first written: SHA-256 of the deterministic encoding through a stream. */
    private static byte[] reference(Run run) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            out.useDeterministicSerialization();
            run.writeTo(out);
            out.flush();
            return MessageDigest.getInstance("SHA-256").digest(bytes.toByteArray());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
