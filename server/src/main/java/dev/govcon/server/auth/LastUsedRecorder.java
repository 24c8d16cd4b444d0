package dev.govcon.server.auth;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.govcon.server.db.Database;

/**
 * Remembers when each key was last used and writes all of them in one statement every few
 * seconds, so authentication never writes per request. A crash loses at most one interval.
 */
public final class LastUsedRecorder implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LastUsedRecorder.class);

    private final Database database;
    private final Map<KeyRef, Instant> pending = new ConcurrentHashMap<>();
    private final ScheduledExecutorService flusher;

    private record KeyRef(UUID tenantId, UUID keyId) {
    }

    public LastUsedRecorder(Database database, long flushSeconds) {
        this.database = database;
        this.flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "govcon-key-last-used");
            t.setDaemon(true);
            return t;
        });
        flusher.scheduleWithFixedDelay(this::flushQuietly, flushSeconds, flushSeconds, TimeUnit.SECONDS);
    }

    void record(UUID tenantId, UUID keyId, Instant at) {
        pending.merge(new KeyRef(tenantId, keyId), at, (a, b) -> a.isAfter(b) ? a : b);
    }

    /** Writes what has been recorded so far. */
    public void flush() {
        if (pending.isEmpty()) {
            return;
        }
        List<ApiKeyMapper.KeyUse> uses = new ArrayList<>();
        for (KeyRef ref : List.copyOf(pending.keySet())) {
            Instant at = pending.remove(ref);
            if (at != null) {
                uses.add(new ApiKeyMapper.KeyUse(ref.tenantId(), ref.keyId(), at));
            }
        }
        if (!uses.isEmpty()) {
            database.inTransaction(s -> s.getMapper(ApiKeyMapper.class).touchLastUsed(uses));
        }
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            log.warn("Could not record API key last-used times", e);
        }
    }

    @Override
    public void close() {
        flusher.shutdown();
        flushQuietly();
    }
}
