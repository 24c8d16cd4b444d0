package dev.govcon.server.analytics;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import org.apache.ibatis.annotations.Param;

import dev.govcon.server.db.Mapper;
import dev.govcon.server.jobs.DailyRollupState;

/** Analytics reads. Every query starts with tenant_id; run figures come from rollups only. */
interface AnalyticsMapper extends Mapper {

    String timeZone(@Param("tenantId") UUID tenantId);

    /** The tenant's oldest rollup hour; null before its first run. */
    Instant firstHour(@Param("tenantId") UUID tenantId);

    /** The tenant's daily rollup state; null before the daily job first folded it. */
    DailyRollupState dailyState(@Param("tenantId") UUID tenantId);

    /** UTC days that late runs marked dirty since the daily job last refolded them. */
    List<LocalDate> dirtyDays(@Param("tenantId") UUID tenantId);

    /**
     * Totals of the rollups of {@code plan} matching {@code f}, grouped by the
     * {@code date_trunc(unit, hour, zone)} bucket when {@code unit} is set and by each column
     * of {@code keys} (model, provider, feature, environment).
     */
    List<RollupRow> rollups(@Param("tenantId") UUID tenantId, @Param("plan") RollupPlan plan,
                            @Param("f") RollupFilter f, @Param("zone") String zone,
                            @Param("unit") String unit, @Param("keys") List<String> keys);

    /** Violations of [start, end) on the filtered scope, per control, bucket and action/origin. */
    List<UsageRow> usage(@Param("tenantId") UUID tenantId, @Param("start") Instant start,
                         @Param("end") Instant end, @Param("f") RollupFilter f, @Param("zone") String zone,
                         @Param("unit") String unit, @Param("controlId") UUID controlId);

    /**
     * Guard checks of [start, end) on the filtered scope per control and bucket; the rows of
     * {@link CheckRow#EVERY_CHECK} count every check. {@code controlId} keeps that control's rows
     * and every-check rows.
     */
    List<CheckRow> checks(@Param("tenantId") UUID tenantId, @Param("start") Instant start,
                          @Param("end") Instant end, @Param("f") RollupFilter f, @Param("zone") String zone,
                          @Param("unit") String unit, @Param("controlId") UUID controlId);

    /** When the guard began counting checks, and when the tenant was created. */
    CheckCounting checkCounting(@Param("tenantId") UUID tenantId);

    /** Every rule and limit of the tenant (any status), with its scope and creation time. */
    List<ControlRow> controls(@Param("tenantId") UUID tenantId, @Param("controlId") UUID controlId);

    /** Violations (of any control) in [start, end) whose call falls in {@code scope}'s scope. */
    long violationsInScope(@Param("tenantId") UUID tenantId, @Param("start") Instant start,
                           @Param("end") Instant end, @Param("s") ControlRow scope, @Param("f") RollupFilter f);

    /** Denials of each control in [start, end) with their prevented spend and overridden count. */
    List<DenialRow> denials(@Param("tenantId") UUID tenantId, @Param("start") Instant start,
                            @Param("end") Instant end, @Param("f") RollupFilter f,
                            @Param("controlId") UUID controlId);

    /** Audit entries that relaxed each control (amount or max tokens raised, action softened, ...). */
    List<CountRow> relaxations(@Param("tenantId") UUID tenantId, @Param("start") Instant start,
                               @Param("end") Instant end, @Param("controlId") UUID controlId);

    List<ProductivitySettingRow> settings(@Param("tenantId") UUID tenantId, @Param("after") String after,
                                          @Param("limit") int limit);

    ProductivitySettingRow lockSetting(@Param("tenantId") UUID tenantId, @Param("feature") String feature);

    void upsertSetting(@Param("tenantId") UUID tenantId, @Param("feature") String feature,
                       @Param("seconds") long seconds, @Param("rationale") String rationale,
                       @Param("at") Instant at, @Param("updatedBy") String updatedByJson);
}
