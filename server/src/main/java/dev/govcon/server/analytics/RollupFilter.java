package dev.govcon.server.analytics;

import dev.govcon.server.activity.ActivityReads;

/**
 * The filters every analytics request may carry: exact matches on dimensions that
 * {@code run_rollups_hourly} keeps, so every filter is answered from rollups. Empty matches
 * all; a value longer than 256 characters is INVALID_ARGUMENT naming the field.
 */
record RollupFilter(String model, String provider, String feature, String environment) {
    static final RollupFilter NONE = new RollupFilter("", "", "", "");

    static RollupFilter of(String model, String provider, String feature, String environment) {
        return new RollupFilter(ActivityReads.filter("model", model), ActivityReads.filter("provider", provider),
                                ActivityReads.filter("feature", feature),
                                ActivityReads.filter("environment", environment));
    }

    RollupFilter withFeature(String f) {
        return new RollupFilter(model, provider, f, environment);
    }
}
