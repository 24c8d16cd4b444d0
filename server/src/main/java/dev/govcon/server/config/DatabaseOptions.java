package dev.govcon.server.config;

import java.nio.file.Path;

import dev.govcon.server.db.DatabaseSettings;
import picocli.CommandLine.Option;

/** Database flags, shared by serving and by the tenant command. */
public final class DatabaseOptions {
    @Option(names = "--db-url", defaultValue = "${env:GOVCON_DB_URL}",
            description = "JDBC URL of an external PostgreSQL (env GOVCON_DB_URL). "
                          + "Without it an embedded PostgreSQL is started.")
    String dbUrl;

    @Option(names = "--db-user", defaultValue = "${env:GOVCON_DB_USER:-postgres}",
            description = "Database user (env GOVCON_DB_USER, default ${DEFAULT-VALUE}).")
    String dbUser;

    @Option(names = "--db-password", defaultValue = "${env:GOVCON_DB_PASSWORD}",
            description = "Database password (env GOVCON_DB_PASSWORD).")
    String dbPassword;

    @Option(names = "--data-dir", defaultValue = "${env:GOVCON_DATA_DIR:-${sys:user.home}/.govcon/data}",
            description = "Folder of the embedded PostgreSQL's data; kept across restarts "
                          + "(env GOVCON_DATA_DIR, default ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--db-pool-size", defaultValue = "${env:GOVCON_DB_POOL_SIZE:-16}",
            description = "Largest number of pooled connections (default ${DEFAULT-VALUE}).")
    int poolSize;

    public DatabaseSettings settings() {
        return new DatabaseSettings(dbUrl, dbUser, dbPassword == null ? "" : dbPassword, dataDir, poolSize);
    }
}
