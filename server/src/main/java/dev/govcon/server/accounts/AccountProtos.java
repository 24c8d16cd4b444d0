package dev.govcon.server.accounts;

import com.google.protobuf.util.Durations;

import dev.govcon.proto.v1.Invitation;
import dev.govcon.proto.v1.InvitationStatus;
import dev.govcon.proto.v1.Profile;
import dev.govcon.proto.v1.User;
import dev.govcon.server.tenancy.MemberRow;
import dev.govcon.server.tenancy.TenantRow;
import dev.govcon.server.wire.Times;

/** Rows of the account tables as API messages. */
final class AccountProtos {
    private AccountProtos() {
    }

    static Profile profile(TenantRow t) {
        Profile.Builder b = Profile.newBuilder()
                .setTenantId(t.tenantId().toString())
                .setName(t.name())
                .setDisplayName(t.displayName())
                .setTimeZone(t.timeZone())
                .setBillingEmail(t.billingEmail())
                .setSecurityEmail(t.securityEmail())
                .setWebsite(t.website())
                .setCountry(t.country());
        Times.setIfPresent(t.createdAt(), b::setCreatedAt);
        Times.setIfPresent(t.updatedAt(), b::setUpdatedAt);
        if (t.incidentAutoResolveSeconds() != null) {
            b.setIncidentAutoResolveAfter(Durations.fromSeconds(t.incidentAutoResolveSeconds()));
        }
        return b.build();
    }

    static User user(MemberRow m) {
        User.Builder b = User.newBuilder()
                .setId(m.userId().toString())
                .setEmail(m.email())
                .setDisplayName(m.displayName())
                .setRole(m.roleEnum());
        Times.setIfPresent(m.joinedAt(), b::setJoinedAt);
        Times.setIfPresent(m.removedAt(), b::setRemovedAt);
        return b.build();
    }

    static Invitation invitation(InvitationRow r, java.time.Instant now) {
        Invitation.Builder b = Invitation.newBuilder()
                .setId(r.invitationId().toString())
                .setEmail(r.email())
                .setDisplayName(r.displayName())
                .setRole(r.roleEnum())
                .setStatus(status(r, now));
        if (r.invitedByUserId() != null) {
            b.setInvitedByUserId(r.invitedByUserId().toString());
        }
        Times.setIfPresent(r.createdAt(), b::setCreatedAt);
        Times.setIfPresent(r.expiresAt(), b::setExpiresAt);
        Times.setIfPresent(r.acceptedAt(), b::setAcceptedAt);
        return b.build();
    }

    static InvitationStatus status(InvitationRow r, java.time.Instant now) {
        return switch (r.status()) {
            case "ACCEPTED" -> InvitationStatus.INVITATION_ACCEPTED;
            case "CANCELLED" -> InvitationStatus.INVITATION_CANCELLED;
            default -> r.expiresAt().isAfter(now) ? InvitationStatus.INVITATION_PENDING
                                                  : InvitationStatus.INVITATION_EXPIRED;
        };
    }
}
