package dev.govcon.server.tenancy;

import java.util.UUID;

import org.apache.ibatis.annotations.Param;

import dev.govcon.server.db.Mapper;

public interface TenantMapper extends Mapper {

    void insert(@Param("tenantId") UUID tenantId, @Param("name") String name,
                @Param("timeZone") String timeZone, @Param("isDemo") boolean isDemo);

    TenantRow find(@Param("tenantId") UUID tenantId);

    TenantRow findDemo();

    /** Locks the tenant row; used to serialise changes that must see all of a tenant's members. */
    TenantRow lock(@Param("tenantId") UUID tenantId);

    void updateProfile(TenantRow row);
}
