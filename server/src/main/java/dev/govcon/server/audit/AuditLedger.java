package dev.govcon.server.audit;

import java.util.UUID;

import org.apache.ibatis.session.SqlSession;

import com.google.protobuf.MessageOrBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;

import dev.govcon.proto.v1.Actor;
import dev.govcon.server.wire.Json;

/**
 * Writes governance actions to {@code audit_ledger} inside the transaction that makes the
 * change, so a change and its audit row commit together or not at all.
 */
public final class AuditLedger {
    private AuditLedger() {
    }

    /**
     * @param action   verb in the past tense with its domain, e.g. {@code "api_key.revoked"}
     * @param before   the resource before the change, or null when it was created
     * @param after    the resource after the change, or null when it was deleted
     */
    public static void record(SqlSession session, UUID tenantId, Actor actor, String action,
                              String resourceType, String resourceId, MessageOrBuilder before,
                              MessageOrBuilder after) {
        session.getMapper(AuditMapper.class).append(
                tenantId, UUID.randomUUID(), actor.getType().name(), actor.getId(), actor.getLabel(),
                action, resourceType, resourceId == null ? "" : resourceId, Json.of(before),
                Json.of(after), currentRequestId());
    }

    public static AuditMapper.ChainCheck verify(SqlSession session, UUID tenantId) {
        return session.getMapper(AuditMapper.class).verify(tenantId);
    }

    private static String currentRequestId() {
        ServiceRequestContext ctx = ServiceRequestContext.currentOrNull();
        return ctx == null ? "" : ctx.id().text();
    }
}
