package dev.govcon.server.accounts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.apache.ibatis.session.SqlSession;

import dev.govcon.proto.v1.AcceptInvitationRequest;
import dev.govcon.proto.v1.AcceptInvitationResponse;
import dev.govcon.proto.v1.Actor;
import dev.govcon.proto.v1.CreatedInvitation;
import dev.govcon.proto.v1.Invitation;
import dev.govcon.proto.v1.InvitationStatus;
import dev.govcon.proto.v1.InviteUserRequest;
import dev.govcon.proto.v1.ListInvitationsRequest;
import dev.govcon.proto.v1.ListInvitationsResponse;
import dev.govcon.proto.v1.ListUsersRequest;
import dev.govcon.proto.v1.ListUsersResponse;
import dev.govcon.proto.v1.Role;
import dev.govcon.proto.v1.User;
import dev.govcon.server.audit.AuditLedger;
import dev.govcon.server.auth.ApiKeyIssuer;
import dev.govcon.server.auth.ApiKeyMapper;
import dev.govcon.server.auth.Principal;
import dev.govcon.server.auth.Roles;
import dev.govcon.server.auth.Secrets;
import dev.govcon.server.db.Database;
import dev.govcon.server.errors.Errors;
import dev.govcon.server.errors.Validate;
import dev.govcon.server.paging.Page;
import dev.govcon.server.tenancy.MemberMapper;
import dev.govcon.server.tenancy.MemberRow;

/**
 * Members and invitations. Two rules hold whatever the order of calls: only an OWNER grants,
 * changes or removes OWNER, and a tenant always keeps at least one OWNER (every change that
 * could take one away locks all OWNER rows first).
 */
final class MembersLogic {
    static final Duration INVITATION_VALIDITY = Duration.ofDays(7);

    private final Database database;
    private final Clock clock;

    MembersLogic(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    ListUsersResponse list(Principal caller, ListUsersRequest req) {
        int size = Page.size(req.getPageSize());
        Page.Cursor after = Page.cursor(req.getPageToken());
        Role role = Validate.enumValue("role", req.getRole(), false);
        List<MemberRow> rows = database.read(s -> s.getMapper(MemberMapper.class).list(
                caller.tenantId(), role, after == null ? null : after.at(),
                after == null ? null : after.id(), size + 1));
        ListUsersResponse.Builder out = ListUsersResponse.newBuilder();
        rows.stream().limit(size).forEach(r -> out.addUsers(AccountProtos.user(r)));
        out.setNextPageToken(Page.nextToken(rows, size, last -> new Page.Cursor(last.joinedAt(), last.userId()).encode()));
        return out.build();
    }

    CreatedInvitation invite(Principal caller, InviteUserRequest req) {
        String email = Validate.email("email", req.getEmail(), true);
        String displayName = Validate.optional("display_name", req.getDisplayName(), Validate.MAX_NAME);
        Role role = memberRole("role", req.getRole());
        if (role == Role.OWNER && caller.role() != Role.OWNER) {
            throw Errors.permissionDenied("only an OWNER can invite an OWNER");
        }
        Instant now = clock.instant();
        return database.inTransaction(s -> {
            if (s.getMapper(MemberMapper.class).findActiveByEmail(caller.tenantId(), email) != null) {
                throw Errors.alreadyExists(email + " is already a member");
            }
            InvitationMapper invitations = s.getMapper(InvitationMapper.class);
            InvitationRow pending = invitations.findPendingByEmail(caller.tenantId(), email);
            if (pending != null) {
                if (pending.expiresAt().isAfter(now)) {
                    throw Errors.alreadyExists(email + " already has a pending invitation "
                                               + pending.invitationId());
                }
                invitations.markCancelled(caller.tenantId(), pending.invitationId(), now);
            }
            Secrets.Issued token = Secrets.issue(Secrets.INVITATION_KIND, caller.tenantId());
            UUID id = UUID.randomUUID();
            invitations.insert(caller.tenantId(), id, email, displayName, role, token.hash(),
                               caller.userId(), now.plus(INVITATION_VALIDITY));
            Invitation created = AccountProtos.invitation(invitations.find(caller.tenantId(), id), now);
            AuditLedger.record(s, caller.tenantId(), caller.actor(), "invitation.created", "invitation",
                               id.toString(), null, created);
            return CreatedInvitation.newBuilder().setInvitation(created).setToken(token.secret()).build();
        });
    }

    ListInvitationsResponse listInvitations(Principal caller, ListInvitationsRequest req) {
        int size = Page.size(req.getPageSize());
        Page.Cursor after = Page.cursor(req.getPageToken());
        Instant now = clock.instant();
        List<InvitationRow> rows = database.read(s -> s.getMapper(InvitationMapper.class).listPending(
                caller.tenantId(), now, after == null ? null : after.at(), after == null ? null : after.id(),
                size + 1));
        ListInvitationsResponse.Builder out = ListInvitationsResponse.newBuilder();
        rows.stream().limit(size).forEach(r -> out.addInvitations(AccountProtos.invitation(r, now)));
        out.setNextPageToken(Page.nextToken(rows, size, last -> new Page.Cursor(last.createdAt(), last.invitationId()).encode()));
        return out.build();
    }

    Invitation cancelInvitation(Principal caller, String idText) {
        UUID id = Validate.id("id", idText);
        Instant now = clock.instant();
        return database.inTransaction(s -> {
            InvitationMapper invitations = s.getMapper(InvitationMapper.class);
            InvitationRow row = invitations.lock(caller.tenantId(), id);
            if (row == null) {
                throw Errors.notFound("invitation", id);
            }
            Invitation before = AccountProtos.invitation(row, now);
            if (before.getStatus() != InvitationStatus.INVITATION_PENDING) {
                throw Errors.failedPrecondition("invitation " + id + " is " + before.getStatus()
                                                + ", only a pending invitation can be cancelled");
            }
            invitations.markCancelled(caller.tenantId(), id, now);
            Invitation after = AccountProtos.invitation(invitations.find(caller.tenantId(), id), now);
            AuditLedger.record(s, caller.tenantId(), caller.actor(), "invitation.cancelled", "invitation",
                               id.toString(), before, after);
            return after;
        });
    }

    /** The invitee has no key yet: the token is the credential, and it names its tenant. */
    AcceptInvitationResponse accept(AcceptInvitationRequest req) {
        String tokenText = Validate.required("token", req.getToken(), 200);
        String displayName = Validate.optional("display_name", req.getDisplayName(), Validate.MAX_NAME);
        Secrets.Parsed token = Secrets.parse(Secrets.INVITATION_KIND, tokenText)
                .orElseThrow(() -> Errors.invalid("token", "is not an invitation token"));
        Instant now = clock.instant();
        return database.inTransaction(s -> {
            InvitationMapper invitations = s.getMapper(InvitationMapper.class);
            InvitationRow inv = invitations.lockByToken(token.tenantId(), token.hash());
            if (inv == null) {
                throw Errors.notFound("invitation", "for this token");
            }
            InvitationStatus status = AccountProtos.status(inv, now);
            if (status != InvitationStatus.INVITATION_PENDING) {
                throw Errors.failedPrecondition("the invitation is " + status + " and can no longer be accepted");
            }
            MemberMapper members = s.getMapper(MemberMapper.class);
            if (members.findActiveByEmail(inv.tenantId(), inv.email()) != null) {
                throw Errors.failedPrecondition(inv.email() + " is already a member");
            }
            UUID userId = UUID.randomUUID();
            String name = displayName.isEmpty() ? inv.displayName() : displayName;
            members.insert(inv.tenantId(), userId, inv.email(), name, inv.roleEnum());
            ApiKeyIssuer.NewKey key = ApiKeyIssuer.issue(s, inv.tenantId(), "personal key (" + inv.email() + ")",
                                                         inv.roleEnum(), userId, null, null);
            invitations.markAccepted(inv.tenantId(), inv.invitationId(), userId, now);
            User user = AccountProtos.user(members.findActive(inv.tenantId(), userId));
            Actor newcomer = Actor.newBuilder().setType(Actor.Type.USER).setId(userId.toString())
                    .setLabel(inv.email()).build();
            AuditLedger.record(s, inv.tenantId(), newcomer, "invitation.accepted", "invitation",
                               inv.invitationId().toString(), null, null);
            AuditLedger.record(s, inv.tenantId(), newcomer, "user.joined", "user", userId.toString(), null, user);
            return AcceptInvitationResponse.newBuilder()
                    .setUser(user)
                    .setTenantId(inv.tenantId().toString())
                    .setApiKeyId(key.row().keyId().toString())
                    .setApiKeySecret(key.secret())
                    .build();
        });
    }

    User updateRole(Principal caller, String idText, Role requested) {
        UUID userId = Validate.id("id", idText);
        Role role = memberRole("role", requested);
        return database.inTransaction(s -> {
            MemberMapper members = s.getMapper(MemberMapper.class);
            MemberRow target = members.findActive(caller.tenantId(), userId);
            if (target == null) {
                throw Errors.notFound("user", userId);
            }
            Role old = target.roleEnum();
            if ((old == Role.OWNER || role == Role.OWNER) && caller.role() != Role.OWNER) {
                throw Errors.permissionDenied("only an OWNER can grant or take away OWNER");
            }
            if (old == role) {
                return AccountProtos.user(target);
            }
            if (old == Role.OWNER) {
                requireAnotherOwner(s, caller.tenantId(), userId);
            }
            members.updateRole(caller.tenantId(), userId, role);
            s.getMapper(ApiKeyMapper.class).followMemberRole(caller.tenantId(), userId, old, role);
            User after = AccountProtos.user(members.findActive(caller.tenantId(), userId));
            AuditLedger.record(s, caller.tenantId(), caller.actor(), "user.role_changed", "user",
                               userId.toString(), AccountProtos.user(target), after);
            return after;
        });
    }

    User remove(Principal caller, String idText) {
        UUID userId = Validate.id("id", idText);
        Instant now = clock.instant();
        return database.inTransaction(s -> {
            MemberMapper members = s.getMapper(MemberMapper.class);
            MemberRow target = members.findActive(caller.tenantId(), userId);
            if (target == null) {
                throw Errors.notFound("user", userId);
            }
            if (target.roleEnum() == Role.OWNER) {
                if (caller.role() != Role.OWNER) {
                    throw Errors.permissionDenied("only an OWNER can remove an OWNER");
                }
                requireAnotherOwner(s, caller.tenantId(), userId);
            }
            members.remove(caller.tenantId(), userId, now);
            s.getMapper(ApiKeyMapper.class).revokeMemberKeys(caller.tenantId(), userId, now);
            User before = AccountProtos.user(target);
            User after = before.toBuilder().setRemovedAt(dev.govcon.server.wire.Times.ts(now)).build();
            AuditLedger.record(s, caller.tenantId(), caller.actor(), "user.removed", "user",
                               userId.toString(), before, after);
            return after;
        });
    }

    /** Locks every OWNER row, so two OWNERs cannot both step down at the same moment. */
    private static void requireAnotherOwner(SqlSession s, UUID tenantId, UUID leavingOwner) {
        List<MemberRow> owners = s.getMapper(MemberMapper.class).lockOwners(tenantId);
        boolean another = owners.stream().anyMatch(o -> !o.userId().equals(leavingOwner));
        if (!another) {
            throw Errors.failedPrecondition("a tenant must keep at least one OWNER: make another member "
                                            + "OWNER first");
        }
    }

    private static Role memberRole(String field, Role role) {
        Validate.enumValue(field, role, true);
        if (!Roles.isMemberRole(role)) {
            throw Errors.invalid(field, "must be OWNER, ADMIN, MEMBER or VIEWER (INGEST is for API keys)");
        }
        return role;
    }
}
