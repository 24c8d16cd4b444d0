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

    /** Copies the runs recorded in [from, to) and answers, per tenant, the start times to mark again. */
    List<MarkRegion> copyRecorded(@Param("from") Instant from, @Param("to") Instant to);

    /** Recomputes both marks of the tenant's copied runs that started in [from, to]; answers how many changed. */
    int mark(@Param("tenantId") UUID tenantId, @Param("from") Instant from, @Param("to") Instant to);

    void moveWatermark(@Param("to") Instant to);
}
