package dev.govcon.server.paging;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

import dev.govcon.server.errors.Errors;

/**
 * Keyset cursors whose sort key is not (time, UUID), the case {@link Page.Cursor} covers:
 * (time, text id), a plain number (a sequence or index), or any tuple of strings. Tokens are
 * opaque to callers; a token that does not decode is INVALID_ARGUMENT on {@code page_token}.
 */
public final class Cursors {
    private static final String VERSION = "k1";
    private static final Base64.Encoder ENC = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DEC = Base64.getUrlDecoder();

    private Cursors() {
    }

    /** A position after a row sorted by (time, text key), e.g. (end_time, run_id). */
    public record TimeKey(Instant at, String key) {
        public String encode() {
            return Cursors.encode(Long.toString(at.getEpochSecond()), Integer.toString(at.getNano()), key);
        }
    }

    /** Null for the first page. */
    public static TimeKey timeKey(String pageToken) {
        String[] p = decode(pageToken, 3);
        if (p == null) {
            return null;
        }
        try {
            return new TimeKey(Instant.ofEpochSecond(Long.parseLong(p[0]), Long.parseLong(p[1])), p[2]);
        } catch (RuntimeException e) {
            throw bad();
        }
    }

    public static String number(long n) {
        return encode(Long.toString(n));
    }

    /** Null for the first page. */
    public static Long number(String pageToken) {
        String[] p = decode(pageToken, 1);
        if (p == null) {
            return null;
        }
        try {
            return Long.parseLong(p[0]);
        } catch (NumberFormatException e) {
            throw bad();
        }
    }

    public static String encode(String... parts) {
        StringBuilder raw = new StringBuilder(VERSION);
        for (String part : parts) {
            raw.append('.').append(ENC.encodeToString(part.getBytes(StandardCharsets.UTF_8)));
        }
        return ENC.encodeToString(raw.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The parts of a token with exactly {@code count} parts; null for an empty token. */
    public static String[] decode(String pageToken, int count) {
        if (pageToken == null || pageToken.isEmpty()) {
            return null;
        }
        try {
            String raw = new String(DEC.decode(pageToken), StandardCharsets.UTF_8);
            String[] p = raw.split("\\.", -1);
            if (p.length != count + 1 || !p[0].equals(VERSION)) {
                throw bad();
            }
            String[] out = new String[count];
            for (int i = 0; i < count; i++) {
                out[i] = new String(DEC.decode(p[i + 1]), StandardCharsets.UTF_8);
            }
            return out;
        } catch (IllegalArgumentException e) {
            throw bad();
        }
    }

    private static RuntimeException bad() {
        return Errors.invalid("page_token", "is not a token this list returned");
    }
}
