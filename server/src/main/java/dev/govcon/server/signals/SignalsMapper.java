package dev.govcon.server.signals;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.apache.ibatis.annotations.Param;

import dev.govcon.server.analytics.RollupPlan;
import dev.govcon.server.db.Mapper;

/** Detection's reads of the rollups and limits, and the signals, predictions and anomalies it keeps. */
public interface SignalsMapper extends Mapper {
    List<UUID> tenantIds();

    List<HourRow> hours(@Param("tenantId") UUID tenantId, @Param("from") Instant from, @Param("to") Instant to);

    List<DayRow> days(@Param("tenantId") UUID tenantId, @Param("zone") String zone, @Param("from") Instant from,
                      @Param("to") Instant to);

    List<SpendLimitRow> spendLimits(@Param("tenantId") UUID tenantId);

    boolean limitExists(@Param("tenantId") UUID tenantId, @Param("limitId") UUID limitId);

    // ---- signals

    List<SignalRow> openSignals(@Param("tenantId") UUID tenantId);

    void upsertSignal(@Param("tenantId") UUID tenantId, @Param("signalId") UUID signalId, @Param("d") Detected d,
                      @Param("dimension") String dimension, @Param("key") String key, @Param("now") Instant now);

    void clearSignal(@Param("tenantId") UUID tenantId, @Param("signalId") UUID signalId, @Param("now") Instant now);

    List<SignalRow> listSignals(@Param("tenantId") UUID tenantId, @Param("f") SignalFilter f);

    // ---- predictions

    Instant lastPredictionAt(@Param("tenantId") UUID tenantId, @Param("kind") String kind,
                             @Param("limitId") UUID limitId);

    void insertPrediction(@Param("p") PredictionRow p);

    int fillActuals(@Param("tenantId") UUID tenantId, @Param("now") Instant now);

    List<PredictionRow> listPredictions(@Param("tenantId") UUID tenantId, @Param("f") PredictionFilter f);

    // ---- anomalies

    void upsertAnomaly(@Param("a") AnomalyRow a);

    int deleteAnomaliesExcept(@Param("tenantId") UUID tenantId, @Param("from") Instant from, @Param("to") Instant to,
                              @Param("keep") String[] keep);

    List<AnomalyRow> listAnomalies(@Param("tenantId") UUID tenantId, @Param("f") AnomalyFilter f);

    long monthToDate(@Param("tenantId") UUID tenantId, @Param("plan") RollupPlan plan);
}
