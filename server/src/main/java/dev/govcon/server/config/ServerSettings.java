package dev.govcon.server.config;

import java.time.Duration;
import java.util.List;

/**
 * How the server listens and who may call its admin service.
 *
 * @param port              0 picks a free port (tests)
 * @param serverAdminToken  bearer token of the gRPC admin service; empty disables it
 * @param corsOrigins       origins a browser console may call from; empty or "*" for any
 * @param lastUsedFlushSeconds how often API key last-used times are written
 * @param runTimeout        how long a run may stay RUNNING before the reaper times it out
 */
public record ServerSettings(int port, String serverAdminToken, List<String> corsOrigins,
                             long lastUsedFlushSeconds, Duration runTimeout) {
    public static final Duration DEFAULT_RUN_TIMEOUT = Duration.ofMinutes(15);

    public ServerSettings(int port, String serverAdminToken, List<String> corsOrigins, long lastUsedFlushSeconds) {
        this(port, serverAdminToken, corsOrigins, lastUsedFlushSeconds, DEFAULT_RUN_TIMEOUT);
    }
}
