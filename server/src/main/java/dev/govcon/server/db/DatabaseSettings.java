package dev.govcon.server.db;

import java.nio.file.Path;

/**
 * Where the database is: an external PostgreSQL when {@code jdbcUrl} is set, otherwise an
 * embedded one whose files live in {@code embeddedDataDir}.
 */
public record DatabaseSettings(String jdbcUrl, String user, String password, Path embeddedDataDir,
                               int maxPoolSize) {

    public boolean external() {
        return jdbcUrl != null && !jdbcUrl.isBlank();
    }
}
