package dev.govcon.server.jobs;

import java.time.Instant;
import java.time.LocalDate;

import org.apache.ibatis.annotations.Param;

import dev.govcon.server.db.Mapper;

/** Folds run_rollups_hourly into run_rollups_daily, one UTC day per statement. */
public interface DailyRollupMapper extends Mapper {

    /** The earliest hour in run_rollups_hourly, or null when it is empty. */
    Instant oldestHour();

    /** Upserts the day's groups from its 24 hours; returns the rows written. */
    int foldDay(@Param("day") LocalDate day, @Param("from") Instant from, @Param("to") Instant to);

    /** Removes daily groups that no longer have any hourly row that day. */
    int deleteVanished(@Param("day") LocalDate day, @Param("from") Instant from, @Param("to") Instant to);
}
