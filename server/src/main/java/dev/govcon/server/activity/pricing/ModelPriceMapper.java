package dev.govcon.server.activity.pricing;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.apache.ibatis.annotations.Param;

import dev.govcon.server.db.Mapper;

public interface ModelPriceMapper extends Mapper {

    /** All of a tenant's prices, by provider then model. */
    List<ModelPriceRow> listForTenant(@Param("tenantId") UUID tenantId);

    /** Locks the row for the rest of the transaction; null when there is none. */
    ModelPriceRow lock(@Param("tenantId") UUID tenantId, @Param("provider") String provider,
                       @Param("model") String model);

    /** 0 when the row already exists (nothing is changed then). A null effectiveAt means now. */
    int insertIfAbsent(@Param("tenantId") UUID tenantId, @Param("provider") String provider,
                       @Param("model") String model, @Param("input") long input,
                       @Param("output") long output, @Param("cachedInput") Long cachedInput,
                       @Param("cacheWrite") Long cacheWrite, @Param("reasoning") Long reasoning,
                       @Param("effectiveAt") Instant effectiveAt);

    /** A null effectiveAt means now. */
    int update(@Param("tenantId") UUID tenantId, @Param("provider") String provider,
               @Param("model") String model, @Param("input") long input,
               @Param("output") long output, @Param("cachedInput") Long cachedInput,
               @Param("cacheWrite") Long cacheWrite, @Param("reasoning") Long reasoning,
               @Param("effectiveAt") Instant effectiveAt);
}
