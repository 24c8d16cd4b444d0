package dev.govcon.server.activity.pricing;

import java.time.Instant;
import java.util.UUID;

/** A row of {@code model_prices}: one tenant's price for (provider, model), per million tokens. */
public record ModelPriceRow(UUID tenantId, String provider, String model, long inputMicrosPerMtok,
                            long outputMicrosPerMtok, Long cachedInputMicrosPerMtok,
                            Long cacheWriteMicrosPerMtok, Long reasoningMicrosPerMtok,
                            Instant effectiveAt, Instant updatedAt) {
}
