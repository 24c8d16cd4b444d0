package dev.govcon.server.activity.ingest;

import java.time.Duration;

/** What a run may carry; anything beyond is INVALID_ARGUMENT naming the field. */
public final class RunLimits {
    /** The same rule as RunValidation.runId, for callers outside ingestion (the guard). */
    public static final java.util.regex.Pattern RUN_ID = java.util.regex.Pattern.compile("^[A-Za-z0-9._:-]{1,128}$");
    public static final int MAX_RUN_ID = 128;
    public static final int MAX_LABEL = 200;          // model, provider, feature, end_user, ...
    public static final int MAX_ERROR = 4096;
    public static final int MAX_METADATA_KEYS = 64;
    public static final int MAX_METADATA_KEY = 128;
    public static final int MAX_METADATA_VALUE = 1024;
    /** Per token class; far above any real call, low enough that costs cannot overflow. */
    public static final long MAX_TOKENS = 10_000_000_000L;
    public static final long MAX_COST_MICROS = 1_000_000_000_000_000L; // one billion dollars
    public static final long MAX_LATENCY_MS = Duration.ofDays(7).toMillis();
    /** Clocks drift: a run may end a little in the future of the server's clock. */
    public static final Duration MAX_CLOCK_SKEW = Duration.ofHours(1);
    public static final int MAX_BATCH = 1000;
    public static final int MAX_TRACE_STEPS = 1000;
    public static final int MAX_SUMMARY = 4096;

    private RunLimits() {
    }

    /** 1-128 characters of A-Z a-z 0-9 . _ : - (checked for every run; a loop beats a regex). */
    static boolean validRunId(String id) {
        int n = id.length();
        if (n < 1 || n > MAX_RUN_ID) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                         || c == '.' || c == '_' || c == ':' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
