package dev.govcon.server.policies;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.apache.ibatis.annotations.Param;

import dev.govcon.server.db.Mapper;

/** The statements of {@link RunMarksJob}: copying recorded runs into run_marks and marking them. */
interface RunMarksMapper extends Mapper {

    /** Takes the watermark row for this transaction (one copier at a time) and returns it. */
    Instant lockWatermark();

    /**
     * How far runs may be copied now: no run recorded before it can still be uncommitted
     * (see the XML). Never before {@code from}.
     */
    Instant safeWatermark(@Param("from") Instant from);

    /**
     * The bound of a round that copies at most about {@code cap} runs recorded in [from, to):
     * {@code to}, or the recorded_at of the cap-th run (all runs of one transaction go together).
     */
    Instant cappedWatermark(@Param("from") Instant from, @Param("to") Instant to, @Param("cap") int cap);

    /** Per tenant, the runs recorded in [from, to) to copy and the start times whose marks they change. */
    List<MarkRegion> regions(@Param("from") Instant from, @Param("to") Instant to);

    /**
     * Copies the tenant's runs recorded in [recordedFrom, recordedTo) with their marks and marks
     * again its copied runs that started in [from, to]; answers the runs copied.
     */
    long copyAndMark(@Param("tenantId") UUID tenantId, @Param("recordedFrom") Instant recordedFrom,
                     @Param("recordedTo") Instant recordedTo, @Param("from") Instant from, @Param("to") Instant to);

    void moveWatermark(@Param("to") Instant to);
}
