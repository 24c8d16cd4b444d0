package dev.govcon.server.errors;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.UUID;
import java.util.regex.Pattern;

import com.google.protobuf.ProtocolMessageEnum;

/** Checks of request fields; each failure is INVALID_ARGUMENT naming the field. */
public final class Validate {
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
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
        try {
            return ZoneId.of(v).getId();
        } catch (DateTimeException e) {
            throw Errors.invalid(field, "is not an IANA time zone such as Europe/Paris");
        }
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
