package dev.govcon.server.activity.pricing;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.govcon.proto.v1.CostSource;
import dev.govcon.proto.v1.ModelPrice;

/**
 * One immutable price table (the shipped one, or one tenant's overrides) indexed for lookups
 * that allocate nothing: provider and model are already trimmed and lower-cased.
 */
final class PriceTable {
    static final PriceTable EMPTY = new PriceTable(List.of(), CostSource.COST_SOURCE_TENANT_PRICE);

    /** Resolved per-million-token rates: absent classes already fallen back. */
    static final class Rates {
        final long input;
        final long output;
        final long cachedInput;
        final long cacheWrite;
        final long reasoning;
        final CostSource source;

        Rates(ModelPrice p, CostSource source) {
            this.input = p.getInputMicrosPerMtok();
            this.output = p.getOutputMicrosPerMtok();
            this.cachedInput = p.hasCachedInputMicrosPerMtok() ? p.getCachedInputMicrosPerMtok() : input;
            this.cacheWrite = p.hasCacheWriteMicrosPerMtok() ? p.getCacheWriteMicrosPerMtok() : input;
            this.reasoning = p.hasReasoningMicrosPerMtok() ? p.getReasoningMicrosPerMtok() : output;
            this.source = source;
        }
    }

    /** In list order (provider, then model). */
    final List<ModelPrice> entries;
    private final Map<String, Map<String, Rates>> byProvider = new HashMap<>();
    /** Model alone: the first provider in (provider, model) order wins. */
    private final Map<String, Rates> byModel = new HashMap<>();
    private final Set<String> keys = new HashSet<>();

    /** {@code entries} must be sorted by provider, then model, with normalized names. */
    PriceTable(List<ModelPrice> entries, CostSource source) {
        this.entries = List.copyOf(entries);
        for (ModelPrice p : this.entries) {
            Rates r = new Rates(p, source);
            byProvider.computeIfAbsent(p.getProvider(), k -> new HashMap<>()).put(p.getModel(), r);
            byModel.putIfAbsent(p.getModel(), r);
            keys.add(key(p.getProvider(), p.getModel()));
        }
    }

    boolean contains(String provider, String model) {
        return keys.contains(key(provider, model));
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    /**
     * @param provider normalized, may be empty
     * @param model    normalized, not empty
     * @param prefix   the part of the model before its first '/', or null
     * @param bare     the part of the model after its last '/', or null
     */
    Rates find(String provider, String model, String prefix, String bare) {
        Rates r;
        if (!provider.isEmpty()) {
            Map<String, Rates> models = byProvider.get(provider);
            if (models != null) {
                if ((r = models.get(model)) != null) {
                    return r;
                }
                if (bare != null && (r = models.get(bare)) != null) {
                    return r;
                }
            }
        }
        if (prefix != null && !prefix.equals(provider)) {
            Map<String, Rates> models = byProvider.get(prefix);
            if (models != null && (r = models.get(bare)) != null) {
                return r;
            }
        }
        if ((r = byModel.get(model)) != null) {
            return r;
        }
        return bare == null ? null : byModel.get(bare);
    }

    private static String key(String provider, String model) {
        return provider + '\u0000' + model;
    }
}
