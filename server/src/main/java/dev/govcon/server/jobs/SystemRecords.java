package dev.govcon.server.jobs;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.ibatis.session.SqlSession;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.server.ServiceRequestContext;

import dev.govcon.server.db.Database;

/**
 * Writes events of the server's own workers to {@code system_records}, which the database
 * keeps append-only ({@code trg_system_records_immutable}). Server-wide events (a job's run)
 * use {@link #SERVER_WIDE}, the nil tenant id, and are shown to every tenant, so they must
 * hold nothing tenant-specific; an event about one tenant uses that tenant's id.
 *
 * <p>{@link #write(SqlSession, UUID, Level, String, String, String, Map)} writes inside the
 * caller's transaction (the event commits with the change it describes);
 * {@link #write(UUID, Level, String, String, String, Map)} in a transaction of its own.
 */
public final class SystemRecords {
    /** The nil tenant id: events of the server as a whole. */
    public static final UUID SERVER_WIDE = new UUID(0L, 0L);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_MESSAGE = 4000;

    public enum Level { DEBUG, INFO, WARN, ERROR }

    private final Database database;
    private final Clock clock;
    private final String instance;

    /** @param instance the replica writing (host/pid), stored with every event */
    public SystemRecords(Database database, Clock clock, String instance) {
        this.database = database;
        this.clock = clock;
        this.instance = instance == null ? "" : instance;
    }

    /**
     * Appends an event in the caller's transaction and returns its record id.
     *
     * @param component what wrote it, e.g. {@code "jobs"}
     * @param event     dotted name, e.g. {@code "job.failed"}
     * @param details   JSON-serialisable values (strings, numbers, booleans, lists, maps); may be null
     */
    public UUID write(SqlSession session, UUID tenantId, Level level, String component, String event,
                      String message, Map<String, ?> details) {
        UUID id = UUID.randomUUID();
        session.getMapper(SystemRecordMapper.class).insert(
                tenantId, id, clock.instant(), level.name(), component, event, truncate(message),
                json(details), instance, currentRequestId());
        return id;
    }

    /** Appends an event in a transaction of its own and returns its record id. */
    public UUID write(UUID tenantId, Level level, String component, String event, String message,
                      Map<String, ?> details) {
        return database.inTransaction(s -> write(s, tenantId, level, component, event, message, details));
    }

    /** Newest first; {@code component} null for any. */
    public List<SystemRecordRow> latest(UUID tenantId, String component, int limit) {
        return database.read(s -> s.getMapper(SystemRecordMapper.class).latest(tenantId, component, limit));
    }

    public String instance() {
        return instance;
    }

    private static String json(Map<String, ?> details) {
        if (details == null || details.isEmpty()) {
            return "{}";
        }
        try {
            return JSON.writeValueAsString(details);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("details are not JSON-serialisable: " + e.getMessage(), e);
        }
    }

    private static String truncate(String s) {
        if (s == null) {
            return "";
        }
        return s.length() <= MAX_MESSAGE ? s : s.substring(0, MAX_MESSAGE - 1) + "…";
    }

    private static String currentRequestId() {
        ServiceRequestContext ctx = ServiceRequestContext.currentOrNull();
        return ctx == null ? "" : ctx.id().text();
    }
}
