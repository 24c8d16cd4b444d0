package dev.govcon.server.activity.ingest;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * A group of completions encoded in PostgreSQL's binary COPY format, one tuple per run, for
 * the staging table ({@code copyStaging} in IngestMapper.xml names the columns, in the order
 * written here). Binary, because numbers, times and ids then need no formatting here and no
 * parsing in the database, and text needs no escaping. One instance per writer thread: the
 * buffer is reused from group to group.
 */
final class StagingRows {
    private static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0,
                                          0, 0, 0, 0, 0, 0, 0, 0};
    private static final short COLUMNS = 28;
    /** timestamptz counts microseconds from 2000-01-01T00:00:00Z. */
    private static final long POSTGRES_EPOCH_SECONDS = 946_684_800L;

    private byte[] buf = new byte[1 << 16];
    private int len;

    /** Encodes {@code runs}; the tuple of {@code runs.get(i)} carries seq = i. */
    StagingRows encode(List<CompletedRun> runs) {
        len = 0;
        bytes(HEADER);
        for (int i = 0; i < runs.size(); i++) {
            CompletedRun r = runs.get(i);
            short16(COLUMNS);
            int32Field(i);
            uuidField(r.tenantId());
            textField(r.runId());
            textField(r.model());
            textField(r.provider());
            textField(r.feature());
            textField(r.endUser());
            textField(r.integrationId());
            textField(r.environment());
            textField(r.status());
            timeField(r.startTime());
            timeField(r.endTime());
            int64Field(r.inputTokens());
            int64Field(r.outputTokens());
            int64Field(r.cachedInputTokens());
            int64Field(r.cacheWriteTokens());
            int64Field(r.reasoningTokens());
            int64Field(r.costMicros());
            textField(r.costSource().name());
            boolField(r.costUnknown());
            if (r.latencyMs() == null) {
                nullField();
            } else {
                int64Field(r.latencyMs());
            }
            textField(r.error());
            textField(r.metadataJson());
            textField(r.reservationId());
            uuidField(r.apiKeyId());
            timeField(r.receivedAt());
            bytesField(r.contentHash());
            textField(r.retryOfRunId());
        }
        short16((short) -1);
        return this;
    }

    byte[] buffer() {
        return buf;
    }

    int length() {
        return len;
    }

    private void nullField() {
        int32(-1);
    }

    private void int32Field(int v) {
        int32(4);
        int32(v);
    }

    private void int64Field(long v) {
        int32(8);
        int64(v);
    }

    private void boolField(boolean v) {
        int32(1);
        room(1);
        buf[len++] = (byte) (v ? 1 : 0);
    }

    private void uuidField(UUID v) {
        if (v == null) {
            nullField();
            return;
        }
        int32(16);
        int64(v.getMostSignificantBits());
        int64(v.getLeastSignificantBits());
    }

    private void timeField(Instant t) {
        if (t == null) {
            nullField();
            return;
        }
        int32(8);
        int64(Math.addExact(Math.multiplyExact(t.getEpochSecond() - POSTGRES_EPOCH_SECONDS, 1_000_000L),
                            t.getNano() / 1000));
    }

    private void bytesField(byte[] v) {
        int32(v.length);
        bytes(v);
    }

    /** UTF-8; ASCII (nearly every label) is copied char by char without a temporary array. */
    private void textField(String s) {
        int n = s.length();
        room(4 + n);
        int start = len + 4;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
                bytesField(utf8);
                return;
            }
            buf[start + i] = (byte) c;
        }
        int32(n);
        len += n;
    }

    private void short16(short v) {
        room(2);
        buf[len++] = (byte) (v >> 8);
        buf[len++] = (byte) v;
    }

    private void int32(int v) {
        room(4);
        buf[len++] = (byte) (v >> 24);
        buf[len++] = (byte) (v >> 16);
        buf[len++] = (byte) (v >> 8);
        buf[len++] = (byte) v;
    }

    private void int64(long v) {
        int32((int) (v >> 32));
        int32((int) v);
    }

    private void bytes(byte[] v) {
        room(v.length);
        System.arraycopy(v, 0, buf, len, v.length);
        len += v.length;
    }

    private void room(int more) {
        if (len + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
        }
    }
}
