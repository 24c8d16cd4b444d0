package dev.govcon.server.signals;

import java.util.List;

/**
 * What a signal or anomaly is about: the whole tenant (dimension and key empty) or one value
 * of MODEL, PROVIDER or FEATURE.
 */
record Watched(String dimension, String key) {
    static final Watched TENANT = new Watched("", "");

    /** The tenant and the row's model, provider and feature (empty values are not watched). */
    static List<Watched> of(HourRow r) {
        java.util.ArrayList<Watched> out = new java.util.ArrayList<>(4);
        out.add(TENANT);
        if (!r.model().isEmpty()) {
            out.add(new Watched("MODEL", r.model()));
        }
        if (!r.provider().isEmpty()) {
            out.add(new Watched("PROVIDER", r.provider()));
        }
        if (!r.feature().isEmpty()) {
            out.add(new Watched("FEATURE", r.feature()));
        }
        return out;
    }

    String describe() {
        return dimension.isEmpty() ? "the tenant" : dimension.toLowerCase() + " " + key;
    }
}
