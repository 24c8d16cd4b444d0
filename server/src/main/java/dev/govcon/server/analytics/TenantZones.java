package dev.govcon.server.analytics;

import java.time.DateTimeException;
import java.time.ZoneId;

import java.util.UUID;

import org.apache.ibatis.session.SqlSession;

/** The tenant's time zone (tenants.time_zone), which places day and week boundaries; UTC if unset. */
final class TenantZones {
    static final ZoneId UTC = ZoneId.of("UTC");

    private TenantZones() {
    }

    static ZoneId of(SqlSession s, UUID tenantId) {
        String zone = s.getMapper(AnalyticsMapper.class).timeZone(tenantId);
        if (zone == null || zone.isBlank()) {
            return UTC;
        }
        try {
            return ZoneId.of(zone);
        } catch (DateTimeException e) {
            return UTC;
        }
    }
}
