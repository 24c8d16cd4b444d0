package dev.govcon.sdk;

/** The SDK's version, sent as the user agent and, later, in integration heartbeats. */
public final class SdkVersion {
    public static final String CURRENT = "0.1.0";

    private SdkVersion() {
    }
}
