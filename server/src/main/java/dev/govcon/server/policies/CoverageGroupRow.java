package dev.govcon.server.policies;

/** Runs of the window for one (model, provider, feature, environment): count, tokens (all classes), spend. */
record CoverageGroupRow(String model, String provider, String feature, String environment, long runs,
                        long totalTokens, long costMicros) {

    ControlScope scope() {
        return new ControlScope(feature, model, "", "", provider, environment);
    }
}
