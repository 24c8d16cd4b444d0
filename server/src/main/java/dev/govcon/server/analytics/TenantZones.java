package dev.govcon.server.analytics;

import java.time.ZoneId;

import java.util.UUID;

import org.apache.ibatis.session.SqlSession;

import dev.govcon.server.jobs.LocalDays;

/** The tenant's time zone (tenants.time_zone), which places day and week boundaries; UTC if unset. */
final class TenantZones {
    static final ZoneId UTC = ZoneId.of("UTC");

    private TenantZones() {
    }

    static ZoneId of(SqlSession s, UUID tenantId) {
        return LocalDays.zone(s.getMapper(AnalyticsMapper.class).timeZone(tenantId));
    }
}
