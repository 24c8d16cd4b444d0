package dev.govcon.server.policies;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.ibatis.session.SqlSession;

import dev.govcon.proto.v1.DeletePolicyLimitRequest;
import dev.govcon.proto.v1.LimitUsage;
import dev.govcon.proto.v1.ListPolicyLimitsRequest;
import dev.govcon.proto.v1.ListPolicyLimitsResponse;
import dev.govcon.proto.v1.PolicyLimit;
import dev.govcon.proto.v1.PolicySource;
import dev.govcon.proto.v1.PolicyStatus;
import dev.govcon.proto.v1.UpdatePolicyLimitRequest;
import dev.govcon.server.audit.AuditLedger;
import dev.govcon.server.auth.Principal;
import dev.govcon.server.db.Database;
import dev.govcon.server.errors.Errors;
import dev.govcon.server.errors.Validate;
import dev.govcon.server.paging.Page;

/**
 * Limits (`policy_limits`): list, read, create, optimistic update and soft delete, each limit
 * answered with its usage in the current window ({@link LimitUsages}). Every change bumps the
 * version and writes an audit row with before and after (the configuration, without usage) in
 * the same transaction; the table's trigger tells every replica's guard on commit.
 */
final class LimitsLogic {
    /** The fields a caller may change, by proto name; the rest are output only. */
    static final List<String> WRITABLE =
            List.of("name", "description", "kind", "amount", "scope", "action", "status", "warn_at_ratio");

    private final Database database;
    private final Clock clock;

    LimitsLogic(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    ListPolicyLimitsResponse list(Principal caller, ListPolicyLimitsRequest req) {
        int size = Page.size(req.getPageSize());
        Page.Cursor after = Page.cursor(req.getPageToken());
        ControlFilter filter = new ControlFilter(
                PolicyProtos.dbOrNull(Validate.enumValue("kind", req.getKind(), false), "LIMIT_KIND_"),
                PolicyProtos.dbOrNull(Validate.enumValue("status", req.getStatus(), false), "POLICY_STATUS_"),
                PolicyProtos.dbOrNull(Validate.enumValue("source", req.getSource(), false), "POLICY_SOURCE_"),
                null, null, RulesLogic.scopeFilter("feature", req.getFeature()),
                RulesLogic.scopeFilter("model", req.getModel()));
        Instant now = clock.instant();
        return database.read(s -> {
            PolicyLimitMapper limits = s.getMapper(PolicyLimitMapper.class);
            List<PolicyLimitRow> rows = limits.list(caller.tenantId(), filter, after == null ? null : after.at(),
                                                    after == null ? null : after.id(), size + 1);
            List<PolicyLimitRow> page = rows.stream().limit(size).toList();
            Map<UUID, LimitUsage> usage = LimitUsages.of(s, caller.tenantId(), page, now);
            ListPolicyLimitsResponse.Builder out = ListPolicyLimitsResponse.newBuilder();
            page.forEach(r -> out.addLimits(PolicyProtos.limit(r, usage.get(r.limitId()))));
            out.setNextPageToken(Page.nextToken(rows, size, last -> new Page.Cursor(last.createdAt(), last.limitId()).encode()));
            out.setTotalCount(limits.count(caller.tenantId(), filter));
            return out.build();
        });
    }

    PolicyLimit get(Principal caller, String idText) {
        UUID id = Validate.id("id", idText);
        Instant now = clock.instant();
        return database.read(s -> {
            PolicyLimitRow row = s.getMapper(PolicyLimitMapper.class).findById(caller.tenantId(), id);
            if (row == null) {
                throw Errors.notFound("policy limit", id);
            }
            return withUsage(s, caller.tenantId(), row, now);
        });
    }

    /**
     * Creates a limit from what a caller sent (field {@code limit}), checked like any other.
     *
     * @param auditAction e.g. "policy_limit.created", or "policy_template.applied"
     */
    PolicyLimit create(Principal caller, PolicyLimit input, PolicySource source, String sourceRefId,
                       String auditAction) {
        PolicyLimit limit = LimitChecks.check("limit", input, PolicyStatus.POLICY_STATUS_ACTIVE);
        return database.inTransaction(s -> insertChecked(s, caller, limit, source, sourceRefId, auditAction));
    }

    /** As {@link #create}, inside the caller's transaction (a proposal accepted with its limit). */
    PolicyLimit create(SqlSession s, Principal caller, PolicyLimit input, PolicySource source, String sourceRefId,
                       String auditAction) {
        return insertChecked(s, caller, LimitChecks.check("limit", input, PolicyStatus.POLICY_STATUS_ACTIVE), source,
                             sourceRefId, auditAction);
    }

    private PolicyLimit insertChecked(SqlSession s, Principal caller, PolicyLimit limit, PolicySource source,
                                      String sourceRefId, String auditAction) {
        UUID id = UUID.randomUUID();
        Instant now = clock.instant();
        PolicyLimitMapper limits = s.getMapper(PolicyLimitMapper.class);
        limits.insert(PolicyProtos.limitRow(caller.tenantId(), id, limit, source, sourceRefId, 1, now, now,
                                            caller.actor(), caller.actor()));
        PolicyLimitRow row = limits.findById(caller.tenantId(), id);
        AuditLedger.record(s, caller.tenantId(), caller.actor(), auditAction, "policy_limit", id.toString(),
                           null, PolicyProtos.limit(row, null));
        return withUsage(s, caller.tenantId(), row, now);
    }

    /**
     * Applies the request to the stored limit if the caller read its current version. A request
     * that changes nothing answers the limit as it is, with no new version and no audit row.
     */
    PolicyLimit update(Principal caller, UpdatePolicyLimitRequest req) {
        UUID id = Validate.id("id", req.getId());
        if (!req.hasLimit()) {
            throw Errors.invalid("limit", "is required");
        }
        PolicyLimit in = req.getLimit();
        if (!in.getId().isEmpty() && !in.getId().equalsIgnoreCase(id.toString())) {
            throw Errors.invalid("limit.id", "must be left out or equal id " + id);
        }
        if (in.getVersion() <= 0) {
            throw Errors.invalid("limit.version", "is required: the version of the limit you read");
        }
        Updates.checkMask(req.getUpdateMask(), WRITABLE);
        Instant now = clock.instant();
        return database.inTransaction(s -> {
            PolicyLimitMapper limits = s.getMapper(PolicyLimitMapper.class);
            PolicyLimitRow row = limits.lockById(caller.tenantId(), id);
            if (row == null) {
                throw Errors.notFound("policy limit", id);
            }
            PolicyLimit before = PolicyProtos.limit(row, null);
            if (row.version() != in.getVersion()) {
                throw Errors.aborted("limit.version: " + in.getVersion() + " is not the current version "
                                     + row.version() + "; read the limit again and reapply the change");
            }
            PolicyLimit merged = Updates.apply(before, in, req.getUpdateMask(), WRITABLE);
            PolicyLimit limit = LimitChecks.check("limit", merged, before.getStatus());
            if (limit.equals(writable(before))) {
                return withUsage(s, caller.tenantId(), row, now);
            }
            limits.update(PolicyProtos.limitRow(caller.tenantId(), id, limit, before.getSource(), row.sourceRefId(),
                                                row.version() + 1, row.createdAt(), now, before.getCreatedBy(),
                                                caller.actor()));
            PolicyLimitRow updated = limits.findById(caller.tenantId(), id);
            AuditLedger.record(s, caller.tenantId(), caller.actor(), "policy_limit.updated", "policy_limit",
                               id.toString(), before, PolicyProtos.limit(updated, null));
            return withUsage(s, caller.tenantId(), updated, now);
        });
    }

    /** Disables the limit and keeps it; disabling a DISABLED limit changes nothing. */
    PolicyLimit delete(Principal caller, DeletePolicyLimitRequest req) {
        UUID id = Validate.id("id", req.getId());
        if (req.getVersion() < 0) {
            throw Errors.invalid("version", "must be the version of the limit you read, or 0 for no check");
        }
        Instant now = clock.instant();
        return database.inTransaction(s -> {
            PolicyLimitMapper limits = s.getMapper(PolicyLimitMapper.class);
            PolicyLimitRow row = limits.lockById(caller.tenantId(), id);
            if (row == null) {
                throw Errors.notFound("policy limit", id);
            }
            if (req.getVersion() != 0 && req.getVersion() != row.version()) {
                throw Errors.aborted("version: " + req.getVersion() + " is not the current version "
                                     + row.version() + " of the limit");
            }
            PolicyLimit before = PolicyProtos.limit(row, null);
            if (before.getStatus() == PolicyStatus.POLICY_STATUS_DISABLED) {
                return before;
            }
            PolicyLimit disabled = writable(before).toBuilder().setStatus(PolicyStatus.POLICY_STATUS_DISABLED).build();
            limits.update(PolicyProtos.limitRow(caller.tenantId(), id, disabled, before.getSource(),
                                                row.sourceRefId(), row.version() + 1, row.createdAt(), now,
                                                before.getCreatedBy(), caller.actor()));
            PolicyLimit after = PolicyProtos.limit(limits.findById(caller.tenantId(), id), null);
            AuditLedger.record(s, caller.tenantId(), caller.actor(), "policy_limit.deleted", "policy_limit",
                               id.toString(), before, after);
            return after;
        });
    }

    private static PolicyLimit withUsage(SqlSession s, UUID tenantId, PolicyLimitRow row, Instant now) {
        return PolicyProtos.limit(row, LimitUsages.of(s, tenantId, List.of(row), now).get(row.limitId()));
    }

    /** The limit without its output-only fields: what a caller can set. */
    static PolicyLimit writable(PolicyLimit l) {
        return l.toBuilder().clearId().clearSource().clearSourceRefId().clearVersion().clearCreateTime()
                .clearUpdateTime().clearCreatedBy().clearUpdatedBy().clearUsage().build();
    }
}
