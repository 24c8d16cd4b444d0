package dev.govcon.server.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL 17 run from the zonky binaries, its files kept in a data folder so data
 * survives restarts. Started as root, zonky runs PostgreSQL in a user namespace
 * ({@code unshare -U}), since PostgreSQL itself refuses to run as root.
 */
public final class EmbeddedDatabase implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);

    private final EmbeddedPostgres postgres;

    private EmbeddedDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    public static EmbeddedDatabase start(Path dataDir) {
        return start(dataDir, Map.of());
    }

    /**
     * As {@link #start(Path)}, with extra PostgreSQL settings (the benchmark raises WAL and
     * buffer sizes for the server and its COPY baseline alike).
     */
    public static EmbeddedDatabase start(Path dataDir, Map<String, String> settings) {
        try {
            Files.createDirectories(dataDir);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("max_connections", "200")
                    // zonky turns it off by default; an acknowledged run must survive a crash.
                    .setServerConfig("synchronous_commit", "on");
            settings.forEach(builder::setServerConfig);
            EmbeddedPostgres pg = builder.start();
            log.info("Embedded PostgreSQL on port {} with data in {}", pg.getPort(), dataDir);
            return new EmbeddedDatabase(pg);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL in " + dataDir, e);
        }
    }

    public String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            log.warn("Embedded PostgreSQL did not stop cleanly", e);
        }
    }
}
