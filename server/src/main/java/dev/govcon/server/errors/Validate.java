package dev.govcon.server.errors;

import java.time.ZoneId;
import java.util.UUID;
import java.util.regex.Pattern;

import com.google.protobuf.ProtocolMessageEnum;

/** Checks of request fields; each failure is INVALID_ARGUMENT naming the field. */
public final class Validate {
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
    private static final java.util.Set<String> COUNTRIES = java.util.Set.of(java.util.Locale.getISOCountries());
    public static final int MAX_NAME = 200;
    public static final int MAX_EMAIL = 254;

    private Validate() {
    }

    public static String required(String field, String value, int maxLength) {
        if (value == null || value.isBlank()) {
            throw Errors.invalid(field, "is required");
        }
        return optional(field, value, maxLength);
    }

    public static String optional(String field, String value, int maxLength) {
        String v = value == null ? "" : value.strip();
        if (v.length() > maxLength) {
            throw Errors.invalid(field, "is longer than " + maxLength + " characters");
        }
        return v;
    }

    public static String email(String field, String value, boolean required) {
        String v = required ? required(field, value, MAX_EMAIL) : optional(field, value, MAX_EMAIL);
        if (!v.isEmpty() && !EMAIL.matcher(v).matches()) {
            throw Errors.invalid(field, "is not an e-mail address");
        }
        return v;
    }

    public static UUID id(String field, String value) {
        if (value == null || value.isBlank()) {
            throw Errors.invalid(field, "is required");
        }
        try {
            UUID id = UUID.fromString(value.strip());
            if (!id.toString().equalsIgnoreCase(value.strip())) {
                throw new IllegalArgumentException();
            }
            return id;
        } catch (IllegalArgumentException e) {
            throw Errors.invalid(field, "is not a valid id (a UUID)");
        }
    }

    public static UUID optionalId(String field, String value) {
        return value == null || value.isBlank() ? null : id(field, value);
    }

    public static String timeZone(String field, String value) {
        String v = optional(field, value, 64);
        if (v.isEmpty()) {
            return v;
        }
        // Region ids only: a fixed offset such as +02:00 ignores daylight saving time.
        if (!v.equals("UTC") && !ZoneId.getAvailableZoneIds().contains(v)) {
            throw Errors.invalid(field, "is not an IANA time zone such as Europe/Paris");
        }
        return v;
    }

    /** An ISO 3166-1 alpha-2 code, upper-cased; empty stays empty. */
    public static String country(String field, String value) {
        String v = optional(field, value, 2).toUpperCase(java.util.Locale.ROOT);
        if (!v.isEmpty() && !COUNTRIES.contains(v)) {
            throw Errors.invalid(field, "must be an ISO 3166-1 alpha-2 code such as FR");
        }
        return v;
    }

    /** Rejects the UNSPECIFIED value (unless allowed) and numbers no enum value has. */
    public static <E extends Enum<E> & ProtocolMessageEnum> E enumValue(String field, E value,
                                                                        boolean required) {
        if (value.name().equals("UNRECOGNIZED")) {
            throw Errors.invalid(field, "is not a known value");
        }
        if (required && value.getNumber() == 0) {
            throw Errors.invalid(field, "is required");
        }
        return value;
    }
}
