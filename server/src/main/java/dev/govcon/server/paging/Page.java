package dev.govcon.server.paging;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

import dev.govcon.server.errors.Errors;

/**
 * Page size and keyset cursors (AIP-158). A cursor names the last row served by its sort key
 * and id, so pages stay stable while rows are inserted. Tokens are opaque to callers.
 */
public final class Page {
    public static final int DEFAULT_SIZE = 50;
    public static final int MAX_SIZE = 1000;

    private Page() {
    }

    /** 0 means the default; out of range is INVALID_ARGUMENT. */
    public static int size(int requested) {
        if (requested == 0) {
            return DEFAULT_SIZE;
        }
        if (requested < 0 || requested > MAX_SIZE) {
            throw Errors.invalid("page_size", "must be between 1 and " + MAX_SIZE + " (0 for the default, "
                                              + DEFAULT_SIZE + ")");
        }
        return requested;
    }

    /**
     * The token of the page after this one, or "" when there is none. Lists fetch one row more
     * than {@code size}: that extra row is how they know another page exists.
     */
    public static <T> String nextToken(java.util.List<T> fetched, int size, java.util.function.Function<T, String> tokenAfter) {
        return fetched.size() > size ? tokenAfter.apply(fetched.get(size - 1)) : "";
    }

    /** A position after a row sorted by (time, id). */
    public record Cursor(Instant at, UUID id) {
        public String encode() {
            String raw = "v1|" + at.getEpochSecond() + "|" + at.getNano() + "|" + id;
            return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Null for the first page. */
    public static Cursor cursor(String pageToken) {
        if (pageToken == null || pageToken.isEmpty()) {
            return null;
        }
        try {
            String raw = new String(Base64.getUrlDecoder().decode(pageToken), StandardCharsets.UTF_8);
            String[] p = raw.split("\\|");
            if (p.length != 4 || !p[0].equals("v1")) {
                throw new IllegalArgumentException();
            }
            return new Cursor(Instant.ofEpochSecond(Long.parseLong(p[1]), Long.parseLong(p[2])),
                              UUID.fromString(p[3]));
        } catch (RuntimeException e) {
            throw Errors.invalid("page_token", "is not a token this list returned");
        }
    }
}
