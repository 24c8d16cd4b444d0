package dev.govcon.server.activity.pricing;

import dev.govcon.proto.v1.CostSource;

/**
 * A run's computed cost in integer micro-dollars and where its price came from:
 * {@code COST_SOURCE_TENANT_PRICE}, {@code COST_SOURCE_DEFAULT_PRICE}, or
 * {@code COST_SOURCE_UNKNOWN} (with cost 0) when no price is known for the model.
 */
public record Priced(long costMicros, CostSource source) {
}
