package dev.govcon.server.jobs;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import org.apache.ibatis.annotations.Param;

import dev.govcon.server.db.Mapper;

/**
 * Folds run_rollups_hourly into run_rollups_daily by the tenant's local day, and both into their
 * narrow (model, provider, status) tables (see DailyRollupJob).
 */
public interface DailyRollupMapper extends Mapper {

    /** Every tenant with its zone and the state of its daily rows. */
    List<TenantToFold> tenants();

    /** The tenant's earliest rollup hour, or null before its first run. */
    Instant oldestHour(@Param("tenantId") UUID tenantId);

    List<DirtyMark> dirtyMarks(@Param("tenantId") UUID tenantId);

    void deleteMarks(@Param("tenantId") UUID tenantId, @Param("ids") List<Long> markIds);

    /** Removes the tenant's daily rows of [from, to) (all of them when both are null). */
    int deleteDays(@Param("tenantId") UUID tenantId, @Param("from") LocalDate from, @Param("to") LocalDate to);

    /** Inserts the daily rows of the hours [fromHour, toHour), each under the local day of its start. */
    int foldDays(@Param("tenantId") UUID tenantId, @Param("zone") String zone, @Param("fromHour") Instant fromHour,
                 @Param("toHour") Instant toHour);

    /** Removes the tenant's narrow daily rows of [from, to) (all of them when both are null). */
    int deleteModelDays(@Param("tenantId") UUID tenantId, @Param("from") LocalDate from, @Param("to") LocalDate to);

    /** Inserts the narrow daily rows of the days [from, to) (all days when both are null) from the daily rows. */
    int foldModelDays(@Param("tenantId") UUID tenantId, @Param("from") LocalDate from, @Param("to") LocalDate to);

    /** Removes the tenant's narrow hourly rows of [fromHour, toHour) (a null bound: unbounded). */
    int deleteModelHours(@Param("tenantId") UUID tenantId, @Param("fromHour") Instant fromHour,
                         @Param("toHour") Instant toHour);

    /** Inserts the narrow hourly rows of the hours [fromHour, toHour) (null: from the first) from the hourly rows. */
    int foldModelHours(@Param("tenantId") UUID tenantId, @Param("fromHour") Instant fromHour,
                       @Param("toHour") Instant toHour);

    void saveModelsHourlyUntil(@Param("tenantId") UUID tenantId, @Param("until") Instant until);

    void saveState(@Param("tenantId") UUID tenantId, @Param("zone") String zone, @Param("until") LocalDate until);
}
