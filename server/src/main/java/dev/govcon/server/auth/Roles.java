package dev.govcon.server.auth;

import dev.govcon.proto.v1.Access;
import dev.govcon.proto.v1.Role;

/**
 * The role hierarchy: OWNER > ADMIN > MEMBER > VIEWER. INGEST stands apart: it may only call
 * the SDK hot path, which MEMBER and above may call too (a VIEWER key is read-only).
 */
public final class Roles {
    private Roles() {
    }

    /** 4 for OWNER down to 1 for VIEWER; 0 for INGEST, which outranks nobody. */
    public static int rank(Role role) {
        return switch (role) {
            case OWNER -> 4;
            case ADMIN -> 3;
            case MEMBER -> 2;
            case VIEWER -> 1;
            default -> 0;
        };
    }

    public static boolean atLeast(Role role, Role required) {
        return rank(role) >= rank(required) && rank(role) > 0;
    }

    /** Whether a key of {@code role} may call an RPC marked {@code access}. */
    public static boolean permits(Access access, Role role) {
        return switch (access) {
            case PUBLIC -> true;
            case INGEST_OR_MEMBER -> role == Role.INGEST || atLeast(role, Role.MEMBER);
            case VIEWER_OR_HIGHER -> atLeast(role, Role.VIEWER);
            case MEMBER_OR_HIGHER -> atLeast(role, Role.MEMBER);
            case ADMIN_OR_HIGHER -> atLeast(role, Role.ADMIN);
            case OWNER_ONLY -> role == Role.OWNER;
            default -> false;
        };
    }

    /** Roles a person can hold (INGEST is for keys only). */
    public static boolean isMemberRole(Role role) {
        return rank(role) > 0;
    }
}
