package dev.govcon.server.connectivity;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.govcon.server.db.Database;

/**
 * Remembers guard checks per integration and writes them in one statement every few seconds,
 * so the guard never writes per check (like {@code auth.LastUsedRecorder}). Each integration
 * gets its first and last guard check ({@code integrations.first_guard_check_at},
 * {@code last_guard_check_at}); each tenant its first guard check at all
 * ({@code tenants.first_guard_check_at}, for the setup checklist), also from checks that name
 * no integration. A crash loses at most one interval.
 *
 * <p>The guard calls {@link #guardChecked} with the value of the gRPC metadata header
 * {@value #HEADER} (HTTP header of the same name over REST), which the Java SDK sends on every
 * call once it has registered. A missing, blank or malformed id counts for the tenant only; an
 * id of another tenant's integration updates nothing (every write is filtered by tenant).
 */
public final class IntegrationTouches implements AutoCloseable {
    /** The header naming the calling integration. */
    public static final String HEADER = "govcon-integration-id";
    private static final Logger log = LoggerFactory.getLogger(IntegrationTouches.class);

    private final Database database;
    private final Map<IntegrationRef, Span> pending = new ConcurrentHashMap<>();
    private final Map<UUID, Instant> pendingFirsts = new ConcurrentHashMap<>();
    /** Tenants whose first guard check is already stored: nothing more to write for them. */
    private final Set<UUID> tenantsWithFirst = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService flusher;

    private record IntegrationRef(UUID tenantId, UUID integrationId) {
    }

    private record Span(Instant first, Instant last) {
        Span plus(Span o) {
            return new Span(first.isBefore(o.first) ? first : o.first, last.isAfter(o.last) ? last : o.last);
        }
    }

    public IntegrationTouches(Database database, long flushSeconds) {
        this.database = database;
        this.flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "govcon-integration-touches");
            t.setDaemon(true);
            return t;
        });
        flusher.scheduleWithFixedDelay(this::flushQuietly, flushSeconds, flushSeconds, TimeUnit.SECONDS);
    }

    /**
     * A guard check of {@code tenantId} at {@code at}, from integration {@code integrationId}
     * (the {@value #HEADER} header; null or blank when the caller sent none). Cheap: a map update.
     */
    public void guardChecked(UUID tenantId, String integrationId, Instant at) {
        if (!tenantsWithFirst.contains(tenantId)) {
            pendingFirsts.merge(tenantId, at, (a, b) -> a.isBefore(b) ? a : b);
        }
        UUID id = parse(integrationId);
        if (id != null) {
            pending.merge(new IntegrationRef(tenantId, id), new Span(at, at), Span::plus);
        }
    }

    private static UUID parse(String integrationId) {
        if (integrationId == null || integrationId.isBlank() || integrationId.length() != 36) {
            return null;
        }
        try {
            return UUID.fromString(integrationId);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Writes what has been recorded so far. */
    public void flush() {
        List<IntegrationMapper.GuardTouch> touches = new ArrayList<>();
        for (IntegrationRef ref : List.copyOf(pending.keySet())) {
            Span span = pending.remove(ref);
            if (span != null) {
                touches.add(new IntegrationMapper.GuardTouch(ref.tenantId(), ref.integrationId(), span.first(),
                                                             span.last()));
            }
        }
        List<IntegrationMapper.TenantFirstCheck> firsts = new ArrayList<>();
        for (UUID tenantId : List.copyOf(pendingFirsts.keySet())) {
            Instant at = pendingFirsts.remove(tenantId);
            if (at != null) {
                firsts.add(new IntegrationMapper.TenantFirstCheck(tenantId, at));
            }
        }
        if (touches.isEmpty() && firsts.isEmpty()) {
            return;
        }
        database.inTransaction(s -> {
            IntegrationMapper m = s.getMapper(IntegrationMapper.class);
            if (!touches.isEmpty()) {
                m.touchGuardChecks(touches);
            }
            if (!firsts.isEmpty()) {
                m.recordFirstGuardChecks(firsts);
            }
            return null;
        });
        firsts.forEach(f -> tenantsWithFirst.add(f.tenantId()));
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            log.warn("Could not record integration guard checks", e);
        }
    }

    @Override
    public void close() {
        flusher.shutdown();
        flushQuietly();
    }
}
