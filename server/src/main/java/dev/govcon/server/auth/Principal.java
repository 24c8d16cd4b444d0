package dev.govcon.server.auth;

import java.util.UUID;

import dev.govcon.proto.v1.Actor;
import dev.govcon.proto.v1.Role;

/**
 * Who is calling: a tenant's API key, with its role and, for a personal key, its member.
 * {@code tenantId} scopes every query the call makes.
 */
public record Principal(UUID tenantId, UUID keyId, String keyName, Role role, UUID userId,
                        String userEmail) {

    /** How this caller appears in the audit ledger and timelines. */
    public Actor actor() {
        if (userId != null) {
            return Actor.newBuilder().setType(Actor.Type.USER).setId(userId.toString())
                    .setLabel(userEmail == null ? "" : userEmail).build();
        }
        return Actor.newBuilder().setType(Actor.Type.API_KEY).setId(keyId.toString())
                .setLabel(keyName).build();
    }
}
