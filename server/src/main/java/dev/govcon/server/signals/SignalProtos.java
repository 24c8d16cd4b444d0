package dev.govcon.server.signals;

import dev.govcon.proto.v1.Anomaly;
import dev.govcon.proto.v1.AnomalyMetric;
import dev.govcon.proto.v1.Dimension;
import dev.govcon.proto.v1.Prediction;
import dev.govcon.proto.v1.PredictionKind;
import dev.govcon.proto.v1.Severity;
import dev.govcon.proto.v1.Signal;
import dev.govcon.proto.v1.SignalState;
import dev.govcon.proto.v1.SignalType;
import dev.govcon.server.wire.Times;

/** Rows to messages, and the enums' table texts (proto names without their prefix). */
final class SignalProtos {
    private SignalProtos() {
    }

    static Signal signal(SignalRow r) {
        Signal.Builder b = Signal.newBuilder()
                .setId(r.signalId().toString())
                .setType(SignalType.valueOf("SIGNAL_TYPE_" + r.signalType()))
                .setDimension(dimension(r.dimension()))
                .setDimensionKey(r.dimensionKey())
                .setValue(r.value())
                .setBaseline(r.baseline())
                .setUnit(r.unit())
                .setSeverity(Severity.valueOf(r.severity()))
                .setState(SignalState.valueOf("SIGNAL_STATE_" + r.state()))
                .setFirstSeenAt(Times.ts(r.firstSeenAt()))
                .setLastSeenAt(Times.ts(r.lastSeenAt()))
                .setMessage(r.message());
        if (r.limitId() != null) {
            b.setLimitId(r.limitId().toString());
        }
        Times.setIfPresent(r.clearedAt(), b::setClearedAt);
        if (r.incidentId() != null) {
            b.setIncidentId(r.incidentId().toString());
        }
        return b.build();
    }

    static Prediction prediction(PredictionRow r) {
        Prediction.Builder b = Prediction.newBuilder()
                .setId(r.predictionId().toString())
                .setKind(PredictionKind.valueOf("PREDICTION_KIND_" + r.kind()))
                .setLimitName(r.limitName())
                .setMadeAt(Times.ts(r.madeAt()))
                .setTargetTime(Times.ts(r.targetTime()))
                .setPredictedMicros(r.predictedMicros())
                .setLowerMicros(r.lowerMicros())
                .setUpperMicros(r.upperMicros())
                .setIntervalConfidenceRatio(r.confidence())
                .setCurrentMicros(r.currentMicros())
                .setLimitMicros(r.limitMicros())
                .setMethod(r.method());
        if (r.limitId() != null) {
            b.setLimitId(r.limitId().toString());
        }
        Times.setIfPresent(r.exhaustionTime(), b::setExhaustionTime);
        if (r.actualMicros() != null) {
            b.setActualMicros(r.actualMicros());
        }
        return b.build();
    }

    static Anomaly anomaly(AnomalyRow r) {
        return Anomaly.newBuilder()
                .setId(r.anomalyId().toString())
                .setMetric(AnomalyMetric.valueOf("ANOMALY_METRIC_" + r.metric()))
                .setDimension(dimension(r.dimension()))
                .setDimensionKey(r.dimensionKey())
                .setHourStart(Times.ts(r.hourStart()))
                .setObserved(r.observed())
                .setExpected(r.expected())
                .setMad(r.mad())
                .setScore(r.score())
                .setSeverity(Severity.valueOf(r.severity()))
                .setBaselineDays(r.baselineDays())
                .setDetectedAt(Times.ts(r.detectedAt()))
                .build();
    }

    static Dimension dimension(String text) {
        return text.isEmpty() ? Dimension.DIMENSION_UNSPECIFIED : Dimension.valueOf(text);
    }
}
