package dev.govcon.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.govcon.server.db.Database;
import dev.govcon.server.db.DatabaseSettings;

/**
 * One real PostgreSQL for the whole test run: an external one when GOVCON_TEST_DB_URL is set
 * (with GOVCON_TEST_DB_USER / GOVCON_TEST_DB_PASSWORD), otherwise the embedded one in a
 * temporary folder. Tests never clean up: each makes its own tenants, so they cannot see
 * each other's rows.
 */
public final class TestDatabase {
    private static Database shared;

    private TestDatabase() {
    }

    public static synchronized Database shared() {
        if (shared == null) {
            DatabaseSettings settings = settings();
            shared = Database.open(settings, null);
            closeAtExit(shared, settings);
        }
        return shared;
    }

    /**
     * A database of its own, for a test that counts server-wide rows (which other tests also
     * write): a second embedded PostgreSQL, or a fresh database on the external server.
     */
    public static synchronized Database isolated() {
        DatabaseSettings base = settings();
        DatabaseSettings own = base;
        if (base.external()) {
            String name = "govcon_test_" + java.util.UUID.randomUUID().toString().replace("-", "");
            try (var c = java.sql.DriverManager.getConnection(base.jdbcUrl(), base.user(), base.password());
                 var st = c.createStatement()) {
                st.execute("CREATE DATABASE " + name);
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException("could not create an isolated test database", e);
            }
            String url = base.jdbcUrl().replaceFirst("/[^/?]*(\\?|$)", "/" + name + "$1");
            own = new DatabaseSettings(url, base.user(), base.password(), null, base.maxPoolSize());
        }
        Database db = Database.open(own, null);
        closeAtExit(db, own);
        return db;
    }

    /** Stops the database when the JVM ends and deletes an embedded one's folder (hundreds of MB each). */
    private static void closeAtExit(Database db, DatabaseSettings settings) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            db.close();
            if (settings.embeddedDataDir() != null) {
                deleteTree(settings.embeddedDataDir());
            }
        }));
    }

    private static void deleteTree(Path root) {
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // Best effort: a leftover temp folder is not worth failing the run for.
        }
    }

    public static DatabaseSettings settings() {
        String url = System.getenv("GOVCON_TEST_DB_URL");
        if (url != null && !url.isBlank()) {
            return new DatabaseSettings(url, envOr("GOVCON_TEST_DB_USER", "postgres"),
                                        envOr("GOVCON_TEST_DB_PASSWORD", ""), null, 16);
        }
        return new DatabaseSettings(null, null, null, tempDir("govcon-test-pg"), 16);
    }

    public static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String envOr(String name, String fallback) {
        String v = System.getenv(name);
        return v == null ? fallback : v;
    }
}
