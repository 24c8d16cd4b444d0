package dev.govcon.server.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hears the database's change notifications (LISTEN on {@value #CHANNEL}), which triggers
 * send on commit, so that every replica drops cached state within a poll interval of a
 * change. On a lost connection every subscriber is told to drop everything ({@code "*"}),
 * since notifications may have been missed.
 */
public final class ChangeListener implements AutoCloseable {
    public static final String CHANNEL = "govcon_changes";
    private static final Logger log = LoggerFactory.getLogger(ChangeListener.class);
    private static final int POLL_MILLIS = 250;

    private final Database database;
    private final List<Consumer<String>> subscribers = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    public ChangeListener(Database database) {
        this.database = database;
        this.thread = new Thread(this::run, "govcon-change-listener");
        thread.setDaemon(true);
    }

    /** Payloads look like {@code "api_keys:<tenant id>:<prefix>"}, or {@code "*"} for all. */
    public void subscribe(Consumer<String> subscriber) {
        subscribers.add(subscriber);
    }

    public ChangeListener start() {
        thread.start();
        return this;
    }

    private void run() {
        while (running) {
            try (Connection conn = DriverManager.getConnection(
                    database.jdbcUrl(), database.user(), database.password())) {
                conn.setAutoCommit(true);
                try (Statement st = conn.createStatement()) {
                    st.execute("LISTEN " + CHANNEL);
                }
                // Anything may have changed while we were not listening.
                publish("*");
                PGConnection pg = conn.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notes = pg.getNotifications(POLL_MILLIS);
                    if (notes != null) {
                        for (PGNotification note : notes) {
                            publish(note.getParameter());
                        }
                    }
                }
            } catch (SQLException e) {
                if (running) {
                    log.warn("Change listener lost its connection; reconnecting", e);
                    sleepQuietly(1000);
                }
            }
        }
    }

    private void publish(String payload) {
        for (Consumer<String> s : subscribers) {
            try {
                s.accept(payload);
            } catch (RuntimeException e) {
                log.warn("Change subscriber failed on {}", payload, e);
            }
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
