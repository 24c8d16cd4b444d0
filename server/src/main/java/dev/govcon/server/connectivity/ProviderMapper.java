package dev.govcon.server.connectivity;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.apache.ibatis.annotations.Param;

import dev.govcon.server.db.Mapper;

public interface ProviderMapper extends Mapper {

    /** Providers with a run in hours [seenFrom, to); totals over hours [statsFrom, to). */
    List<ProviderRow> providers(@Param("tenantId") UUID tenantId, @Param("seenFrom") Instant seenFrom,
                                @Param("statsFrom") Instant statsFrom, @Param("to") Instant to);

    /** Distinct (provider, model) with a run in hours [from, to). */
    List<ProviderModelRow> models(@Param("tenantId") UUID tenantId, @Param("from") Instant from,
                                  @Param("to") Instant to);

    /** Per provider, finished runs that ended at or after {@code since}. */
    List<ProviderRecentRow> recent(@Param("tenantId") UUID tenantId, @Param("since") Instant since);

    /** The end of the provider's newest run within one hour [hour, hour + 1 h). */
    Instant lastSeen(@Param("tenantId") UUID tenantId, @Param("provider") String provider,
                     @Param("hour") Instant hour, @Param("hourEnd") Instant hourEnd);
}
