package dev.govcon.server.db;

import java.util.function.Function;

import javax.sql.DataSource;

import org.apache.ibatis.mapping.Environment;
import org.apache.ibatis.session.Configuration;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;
import org.apache.ibatis.session.SqlSessionFactoryBuilder;
import org.apache.ibatis.transaction.jdbc.JdbcTransactionFactory;
import org.flywaydb.core.Flyway;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * The one home of database access: the pool, the migrations, MyBatis, and transactions.
 * Mapper interfaces are registered by the domains; their XML sits beside them on the
 * classpath (same package, same name).
 */
public final class Database implements AutoCloseable {
    private final EmbeddedDatabase embedded;
    private final HikariDataSource dataSource;
    private final SqlSessionFactory sessions;
    private final String jdbcUrl;
    private final String user;
    private final String password;

    private Database(EmbeddedDatabase embedded, HikariDataSource dataSource, String jdbcUrl,
                     String user, String password) {
        this.embedded = embedded;
        this.dataSource = dataSource;
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
        Configuration configuration = new Configuration(
                new Environment("govcon", new JdbcTransactionFactory(), dataSource));
        configuration.setMapUnderscoreToCamelCase(true);
        configuration.setArgNameBasedConstructorAutoMapping(true);
        // Many statements are <select>s that write (INSERT ... RETURNING, pg_notify, lease
        // functions). MyBatis's session cache would answer a repeated one from memory without
        // running it - e.g. the second identical budget increment in one transaction - so the
        // cache lives for one statement only. Second-level caches are off.
        configuration.setLocalCacheScope(org.apache.ibatis.session.LocalCacheScope.STATEMENT);
        configuration.setCacheEnabled(false);
        configuration.getTypeHandlerRegistry().register(java.util.UUID.class, UuidTypeHandler.class);
        configuration.getTypeHandlerRegistry().register(SqlArray.class, SqlArrayTypeHandler.class);
        configuration.getTypeHandlerRegistry().register(String[].class, TextArrayTypeHandler.class);
        // Every interface extending Mapper, in any domain package, with its XML beside it.
        configuration.addMappers("dev.govcon.server", Mapper.class);
        this.sessions = new SqlSessionFactoryBuilder().build(configuration);
    }

    /** Starts the embedded database if none is configured, pools connections, migrates. */
    public static Database open(DatabaseSettings settings, MeterRegistry meters) {
        EmbeddedDatabase embedded = null;
        String url = settings.jdbcUrl();
        String user = settings.user();
        String password = settings.password();
        if (!settings.external()) {
            embedded = EmbeddedDatabase.start(settings.embeddedDataDir());
            url = embedded.jdbcUrl();
            user = "postgres";
            password = "";
        }
        HikariConfig config = new HikariConfig();
        config.setPoolName("govcon");
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(settings.maxPoolSize());
        config.setAutoCommit(false);
        if (meters != null) {
            config.setMetricRegistry(meters);
        }
        HikariDataSource ds;
        try {
            ds = new HikariDataSource(config);
            migrate(ds);
        } catch (RuntimeException e) {
            if (embedded != null) {
                embedded.close();
            }
            throw e;
        }
        return new Database(embedded, ds, url, user, password);
    }

    static void migrate(DataSource ds) {
        Flyway.configure()
                .dataSource(ds)
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }

    /** Runs {@code work} in one transaction and commits it; any exception rolls it back. */
    public <T> T inTransaction(Function<SqlSession, T> work) {
        try (SqlSession session = sessions.openSession(false)) {
            T result = work.apply(session);
            session.commit(true);
            return result;
        }
    }

    /** Runs a read; the transaction is rolled back (there is nothing to commit). */
    public <T> T read(Function<SqlSession, T> work) {
        try (SqlSession session = sessions.openSession(false)) {
            return work.apply(session);
        }
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** Connection settings for a dedicated, unpooled connection (LISTEN needs one). */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    @Override
    public void close() {
        dataSource.close();
        if (embedded != null) {
            embedded.close();
        }
    }
}
