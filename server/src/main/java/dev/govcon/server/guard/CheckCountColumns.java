package dev.govcon.server.guard;

import java.util.List;

import dev.govcon.server.db.SqlArray;

/** A batch of {@link CheckCountRow}s as one array per column, unnested by PostgreSQL: one statement. */
record CheckCountColumns(SqlArray tenantIds, SqlArray hourSeconds, SqlArray controlIds, SqlArray models,
                         SqlArray providers, SqlArray features, SqlArray environments, SqlArray checks) {

    static CheckCountColumns of(List<CheckCountRow> rows) {
        int n = rows.size();
        String[] tenantIds = new String[n];
        long[] hourSeconds = new long[n];
        String[] controlIds = new String[n];
        String[] models = new String[n];
        String[] providers = new String[n];
        String[] features = new String[n];
        String[] environments = new String[n];
        long[] checks = new long[n];
        for (int i = 0; i < n; i++) {
            CheckCountRow r = rows.get(i);
            tenantIds[i] = r.tenantId().toString();
            hourSeconds[i] = r.hour().getEpochSecond();
            controlIds[i] = r.controlId().toString();
            models[i] = r.model();
            providers[i] = r.provider();
            features[i] = r.feature();
            environments[i] = r.environment();
            checks[i] = r.checks();
        }
        return new CheckCountColumns(SqlArray.of(tenantIds), SqlArray.of(hourSeconds), SqlArray.of(controlIds),
                                     SqlArray.of(models), SqlArray.of(providers), SqlArray.of(features),
                                     SqlArray.of(environments), SqlArray.of(checks));
    }
}
