package dev.govcon.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.UUID;

/**
 * Bearer secrets that name their tenant: {@code <kind>_<tenant id, 32 hex>_<random>}. The
 * tenant part lets a lookup start with tenant_id like every other query; the first
 * {@value #PREFIX_CHARS} random characters are the stored, displayable prefix; only a
 * SHA-256 of the whole secret is stored.
 */
public final class Secrets {
    public static final String API_KEY_KIND = "gck";
    public static final String INVITATION_KIND = "gci";
    static final int PREFIX_CHARS = 12;
    private static final int RANDOM_CHARS = 40; // ~238 bits of base62
    private static final char[] ALPHABET =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {
    }

    public record Issued(String secret, String prefix, byte[] hash) {
    }

    public record Parsed(UUID tenantId, String prefix, byte[] hash) {
    }

    public static Issued issue(String kind, UUID tenantId) {
        char[] random = new char[RANDOM_CHARS];
        for (int i = 0; i < random.length; i++) {
            random[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        String randomPart = new String(random);
        String secret = kind + "_" + tenantId.toString().replace("-", "") + "_" + randomPart;
        return new Issued(secret, displayPrefix(kind, randomPart), sha256(secret));
    }

    /** Empty when the text is not shaped like a secret of this kind. */
    public static Optional<Parsed> parse(String kind, String secret) {
        if (secret == null) {
            return Optional.empty();
        }
        String[] parts = secret.split("_", -1);
        if (parts.length != 3 || !parts[0].equals(kind) || parts[1].length() != 32
            || parts[2].length() != RANDOM_CHARS) {
            return Optional.empty();
        }
        UUID tenant;
        try {
            String h = parts[1];
            tenant = UUID.fromString(h.substring(0, 8) + "-" + h.substring(8, 12) + "-"
                                     + h.substring(12, 16) + "-" + h.substring(16, 20) + "-"
                                     + h.substring(20));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return Optional.of(new Parsed(tenant, displayPrefix(kind, parts[2]), sha256(secret)));
    }

    private static String displayPrefix(String kind, String randomPart) {
        return kind + "_" + randomPart.substring(0, PREFIX_CHARS);
    }

    public static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Constant-time, so timing does not reveal how much of a guess was right. */
    public static boolean sameHash(byte[] a, byte[] b) {
        return MessageDigest.isEqual(a, b);
    }
}
