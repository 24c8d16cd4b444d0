package dev.govcon.server.signals;

import java.util.UUID;

/** An ACTIVE spend limit and the parts of its scope the rollups can follow. */
public record SpendLimitRow(UUID limitId, String name, String limitKind, long amount, String scopeFeature,
                            String scopeModel, String scopeProvider, String scopeEnvironment,
                            String scopeEndUser, String scopeApiKeyId) {
    /** Rollups keep no end user or API key, so a limit scoped on either cannot be projected. */
    boolean followable() {
        return scopeEndUser.isEmpty() && scopeApiKeyId.isEmpty();
    }

    boolean matches(HourRow r) {
        return matches(r.model(), r.provider(), r.feature(), r.environment());
    }

    boolean matches(DayRow r) {
        return matches(r.model(), r.provider(), r.feature(), r.environment());
    }

    private boolean matches(String model, String provider, String feature, String environment) {
        return (scopeFeature.isEmpty() || scopeFeature.equals(feature))
               && (scopeModel.isEmpty() || scopeModel.equals(model))
               && (scopeProvider.isEmpty() || scopeProvider.equals(provider))
               && (scopeEnvironment.isEmpty() || scopeEnvironment.equals(environment));
    }

    /** The whole tenant's spend, as a scope. */
    static SpendLimitRow everything() {
        return new SpendLimitRow(null, "", "SPEND_PER_MONTH", 0, "", "", "", "", "", "");
    }
}
