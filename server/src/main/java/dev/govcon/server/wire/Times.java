package dev.govcon.server.wire;

import java.time.Duration;
import java.time.Instant;

import com.google.protobuf.Timestamp;
import com.google.protobuf.util.Timestamps;

/** Conversions between java.time and protobuf well-known types; null maps to unset. */
public final class Times {
    private Times() {
    }

    public static Timestamp ts(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    /** Sets nothing when the instant is null (the field stays unset). */
    public static void setIfPresent(Instant instant, java.util.function.Consumer<Timestamp> setter) {
        if (instant != null) {
            setter.accept(ts(instant));
        }
    }

    public static Instant instant(Timestamp ts) {
        return Instant.ofEpochSecond(ts.getSeconds(), ts.getNanos());
    }

    public static boolean valid(Timestamp ts) {
        return Timestamps.isValid(ts);
    }

    public static Duration duration(com.google.protobuf.Duration d) {
        return Duration.ofSeconds(d.getSeconds(), d.getNanos());
    }
}
