package dev.govcon.server.incidents;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.apache.ibatis.annotations.Param;

import dev.govcon.server.db.Mapper;

/** Writes and reads of {@code incidents} and {@code incident_events}; tenant_id first in every query. */
public interface IncidentMapper extends Mapper {

    void insert(IncidentRow row);

    /** The open incident with this fingerprint, locked; null when none is open. */
    IncidentRow lockOpen(@Param("tenantId") UUID tenantId, @Param("fingerprint") String fingerprint);

    IncidentRow find(@Param("tenantId") UUID tenantId, @Param("incidentId") UUID incidentId);

    IncidentRow lock(@Param("tenantId") UUID tenantId, @Param("incidentId") UUID incidentId);

    /** Writes every mutable column of the row (severity, state, counts, lifecycle). */
    void update(IncidentRow row);

    void insertEvent(IncidentEventRow row);

    List<IncidentRow> list(@Param("tenantId") UUID tenantId, @Param("f") IncidentFilter filter);

    long count(@Param("tenantId") UUID tenantId, @Param("f") IncidentFilter filter);

    List<SeverityCountRow> openBySeverity(@Param("tenantId") UUID tenantId);

    /** Oldest first, after the event of sequence {@code afterSeq} when given. */
    List<IncidentEventRow> timeline(@Param("tenantId") UUID tenantId, @Param("incidentId") UUID incidentId,
                                    @Param("afterSeq") Long afterSeq, @Param("limit") int limit,
                                    @Param("lifecycleOnly") boolean lifecycleOnly);

    /** MTTA/MTTR figures of incidents resolved in [start, end), per final severity. */
    List<ResolutionStatsRow> resolutionStats(@Param("tenantId") UUID tenantId, @Param("start") Instant start,
                                             @Param("end") Instant end);

    /** The same over all severities (severity column empty). */
    ResolutionStatsRow resolutionStatsOverall(@Param("tenantId") UUID tenantId, @Param("start") Instant start,
                                              @Param("end") Instant end);

    long openAt(@Param("tenantId") UUID tenantId, @Param("at") Instant at);

    /** Counts per (bucket start, severity) of openings, resolutions and occurrences. */
    List<TrendRow> trends(@Param("tenantId") UUID tenantId, @Param("start") Instant start,
                          @Param("end") Instant end, @Param("unit") String unit, @Param("zone") String zone);

    List<PatternRow> patterns(@Param("tenantId") UUID tenantId, @Param("start") Instant start,
                              @Param("end") Instant end, @Param("minOccurrences") long minOccurrences,
                              @Param("offset") long offset, @Param("limit") int limit);

    // ---- the engine ----

    List<UUID> tenantIds();

    Instant watermark(@Param("tenantId") UUID tenantId, @Param("source") String source);

    void setWatermark(@Param("tenantId") UUID tenantId, @Param("source") String source, @Param("at") Instant at);

    /** BLOCK and WARN violations not yet linked to an incident, from {@code since}, oldest first. */
    List<ViolationCause> unlinkedViolations(@Param("tenantId") UUID tenantId, @Param("since") Instant since,
                                            @Param("limit") int limit);

    void linkViolation(@Param("tenantId") UUID tenantId, @Param("violationId") UUID violationId,
                       @Param("incidentId") UUID incidentId);

    /** Signals of severity HIGH or above that no incident holds yet, oldest first. */
    List<SignalCause> unlinkedSignals(@Param("tenantId") UUID tenantId, @Param("limit") int limit);

    void linkSignal(@Param("tenantId") UUID tenantId, @Param("signalId") UUID signalId,
                    @Param("incidentId") UUID incidentId);

    /** FAILED job runs finished after {@code since} (server-wide table), oldest first. */
    List<JobFailure> failedJobRuns(@Param("since") Instant since, @Param("limit") int limit);

    /** Open incidents quiet since before {@code now - tenant's auto-resolve period}. */
    List<IncidentRow> quietOpen(@Param("tenantId") UUID tenantId, @Param("now") Instant now);

    String tenantZone(@Param("tenantId") UUID tenantId);

    Instant tenantCreatedAt(@Param("tenantId") UUID tenantId);
}
