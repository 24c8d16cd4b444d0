package dev.govcon.server.tenancy;

import java.time.Instant;
import java.util.UUID;

public record TenantRow(UUID tenantId, String name, String displayName, String timeZone,
                        String billingEmail, String securityEmail, String website, String country,
                        String planId, boolean isDemo, Instant createdAt, Instant updatedAt,
                        Long incidentAutoResolveSeconds) {
}
