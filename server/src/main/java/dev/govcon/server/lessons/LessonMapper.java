package dev.govcon.server.lessons;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.apache.ibatis.annotations.Param;

import dev.govcon.server.db.Mapper;

/** Lessons, proposals and the queries lessons are mined from; tenant_id first in every query. */
public interface LessonMapper extends Mapper {

    // ---- mining ----

    List<UUID> tenantIds();

    String tenantZone(@Param("tenantId") UUID tenantId);

    List<MiningRows.Breach> breaches(@Param("tenantId") UUID tenantId, @Param("start") Instant start,
                                     @Param("end") Instant end, @Param("zone") String zone,
                                     @Param("minDays") long minDays);

    List<String> incidentIdsOf(@Param("tenantId") UUID tenantId, @Param("sourceRefId") String sourceRefId,
                               @Param("start") Instant start, @Param("end") Instant end);

    List<MiningRows.Failures> failures(@Param("tenantId") UUID tenantId, @Param("start") Instant start,
                                       @Param("end") Instant end);

    List<MiningRows.Ungoverned> ungoverned(@Param("tenantId") UUID tenantId, @Param("start") Instant start,
                                           @Param("end") Instant end, @Param("zone") String zone);

    /** Controls with WARN violations on at least {@code minDays} days, unchanged since {@code start}. */
    List<MiningRows.Warned> repeatedWarnings(@Param("tenantId") UUID tenantId, @Param("start") Instant start,
                                             @Param("end") Instant end, @Param("zone") String zone,
                                             @Param("minDays") long minDays);

    List<MiningRows.Recurring> recurring(@Param("tenantId") UUID tenantId, @Param("start") Instant start,
                                         @Param("end") Instant end, @Param("minIncidents") long minIncidents);

    /** Inserts the lesson, or refreshes the one with its key; answers its id. */
    UUID upsert(LessonRow row);

    /** Does nothing when the lesson already has a proposal; answers rows written. */
    int insertProposal(ProposalRow row);

    // ---- reads ----

    List<LessonRow> list(@Param("tenantId") UUID tenantId, @Param("f") LessonFilter filter, @Param("now") Instant now);

    long count(@Param("tenantId") UUID tenantId, @Param("f") LessonFilter filter);

    LessonRow find(@Param("tenantId") UUID tenantId, @Param("lessonId") UUID lessonId, @Param("now") Instant now);

    List<KindCountRow> countByKind(@Param("tenantId") UUID tenantId, @Param("start") Instant start,
                                   @Param("end") Instant end);

    List<KindCountRow> proposalStates(@Param("tenantId") UUID tenantId, @Param("start") Instant start,
                                      @Param("end") Instant end, @Param("now") Instant now);

    List<ProposalRow> proposals(@Param("tenantId") UUID tenantId, @Param("state") String state,
                                @Param("lessonId") UUID lessonId, @Param("afterAt") Instant afterAt,
                                @Param("afterId") UUID afterId, @Param("limit") int limit, @Param("now") Instant now);

    long countProposals(@Param("tenantId") UUID tenantId, @Param("state") String state,
                        @Param("lessonId") UUID lessonId, @Param("now") Instant now);

    ProposalRow lockProposal(@Param("tenantId") UUID tenantId, @Param("proposalId") UUID proposalId,
                             @Param("now") Instant now);

    void updateProposal(ProposalRow row);
}
