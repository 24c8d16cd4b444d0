package dev.govcon.server.policies;

import java.time.Instant;
import java.util.List;

import dev.govcon.server.db.SqlArray;

/**
 * A batch of violations as columns, one array per column, unnested by PostgreSQL into rows:
 * a batch of any size is one statement with one parse. Times are microseconds since the
 * epoch (exact, and independent of the session's time zone); nulls become the column default.
 */
record ViolationColumns(SqlArray tenantIds, SqlArray violationIds, SqlArray controlKinds, SqlArray controlIds,
                        SqlArray controlNames, SqlArray controlTypes, SqlArray actions, SqlArray origins,
                        SqlArray features, SqlArray models, SqlArray endUsers, SqlArray apiKeyIds,
                        SqlArray providers, SqlArray environments, SqlArray occurredMicros, SqlArray runIds,
                        SqlArray reservationIds, SqlArray messages, SqlArray observedValues,
                        SqlArray limitAmounts, SqlArray costMicros, SqlArray incidentIds, SqlArray metadata) {

    static ViolationColumns of(List<ViolationRow> rows) {
        int n = rows.size();
        String[] tenantIds = new String[n];
        String[] violationIds = new String[n];
        String[] controlKinds = new String[n];
        String[] controlIds = new String[n];
        String[] controlNames = new String[n];
        String[] controlTypes = new String[n];
        String[] actions = new String[n];
        String[] origins = new String[n];
        String[] features = new String[n];
        String[] models = new String[n];
        String[] endUsers = new String[n];
        String[] apiKeyIds = new String[n];
        String[] providers = new String[n];
        String[] environments = new String[n];
        long[] occurredMicros = new long[n];
        String[] runIds = new String[n];
        String[] reservationIds = new String[n];
        String[] messages = new String[n];
        long[] observedValues = new long[n];
        long[] limitAmounts = new long[n];
        long[] costMicros = new long[n];
        String[] incidentIds = new String[n];
        String[] metadata = new String[n];
        for (int i = 0; i < n; i++) {
            ViolationRow r = rows.get(i);
            tenantIds[i] = r.tenantId().toString();
            violationIds[i] = r.violationId().toString();
            controlKinds[i] = r.controlKind();
            controlIds[i] = r.controlId().toString();
            controlNames[i] = text(r.controlName());
            controlTypes[i] = r.controlType();
            actions[i] = r.action();
            origins[i] = r.origin();
            features[i] = text(r.feature());
            models[i] = text(r.model());
            endUsers[i] = text(r.endUser());
            apiKeyIds[i] = text(r.apiKeyId());
            providers[i] = text(r.provider());
            environments[i] = text(r.environment());
            occurredMicros[i] = micros(r.occurredAt());
            runIds[i] = text(r.runId());
            reservationIds[i] = text(r.reservationId());
            messages[i] = text(r.message());
            observedValues[i] = r.observedValue();
            limitAmounts[i] = r.limitAmount();
            costMicros[i] = r.costMicros();
            incidentIds[i] = text(r.incidentId());
            metadata[i] = r.metadataJson() == null || r.metadataJson().isEmpty() ? "{}" : r.metadataJson();
        }
        return new ViolationColumns(SqlArray.of(tenantIds), SqlArray.of(violationIds), SqlArray.of(controlKinds),
                SqlArray.of(controlIds), SqlArray.of(controlNames), SqlArray.of(controlTypes), SqlArray.of(actions),
                SqlArray.of(origins), SqlArray.of(features), SqlArray.of(models), SqlArray.of(endUsers),
                SqlArray.of(apiKeyIds), SqlArray.of(providers), SqlArray.of(environments),
                SqlArray.of(occurredMicros), SqlArray.of(runIds), SqlArray.of(reservationIds),
                SqlArray.of(messages), SqlArray.of(observedValues), SqlArray.of(limitAmounts),
                SqlArray.of(costMicros), SqlArray.of(incidentIds), SqlArray.of(metadata));
    }

    private static String text(String s) {
        return s == null ? "" : s;
    }

    private static long micros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
    }
}
