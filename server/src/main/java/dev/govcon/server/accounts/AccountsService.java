package dev.govcon.server.accounts;

import java.time.Clock;

import dev.govcon.proto.v1.AcceptInvitationRequest;
import dev.govcon.proto.v1.AcceptInvitationResponse;
import dev.govcon.proto.v1.AccountsServiceGrpc;
import dev.govcon.proto.v1.CancelInvitationRequest;
import dev.govcon.proto.v1.CreatedInvitation;
import dev.govcon.proto.v1.GetProfileRequest;
import dev.govcon.proto.v1.Invitation;
import dev.govcon.proto.v1.InviteUserRequest;
import dev.govcon.proto.v1.ListContactsRequest;
import dev.govcon.proto.v1.ListContactsResponse;
import dev.govcon.proto.v1.ListInvitationsRequest;
import dev.govcon.proto.v1.ListInvitationsResponse;
import dev.govcon.proto.v1.ListUsersRequest;
import dev.govcon.proto.v1.ListUsersResponse;
import dev.govcon.proto.v1.Profile;
import dev.govcon.proto.v1.RemoveUserRequest;
import dev.govcon.proto.v1.UpdateProfileRequest;
import dev.govcon.proto.v1.UpdateUserRoleRequest;
import dev.govcon.proto.v1.User;
import dev.govcon.server.db.Database;
import dev.govcon.server.wire.Rpc;
import io.grpc.stub.StreamObserver;

import static dev.govcon.server.auth.AuthInterceptor.principal;

/**
 * Account domain: profile, contacts, members and invitations. Billing and support belong to
 * the Connectivity-and-Account issue and answer UNIMPLEMENTED until it lands.
 */
public final class AccountsService extends AccountsServiceGrpc.AccountsServiceImplBase {
    private final ProfileLogic profiles;
    private final MembersLogic members;

    public AccountsService(Database database, Clock clock) {
        this.profiles = new ProfileLogic(database);
        this.members = new MembersLogic(database, clock);
    }

    @Override
    public void getProfile(GetProfileRequest request, StreamObserver<Profile> response) {
        Rpc.unary(response, () -> profiles.get(principal()));
    }

    @Override
    public void updateProfile(UpdateProfileRequest request, StreamObserver<Profile> response) {
        Rpc.unary(response, () -> profiles.update(principal(), request));
    }

    @Override
    public void listContacts(ListContactsRequest request, StreamObserver<ListContactsResponse> response) {
        Rpc.unary(response, () -> ListContactsResponse.newBuilder()
                .addAllContacts(profiles.contacts(principal())).build());
    }

    @Override
    public void listUsers(ListUsersRequest request, StreamObserver<ListUsersResponse> response) {
        Rpc.unary(response, () -> members.list(principal(), request));
    }

    @Override
    public void inviteUser(InviteUserRequest request, StreamObserver<CreatedInvitation> response) {
        Rpc.unary(response, () -> members.invite(principal(), request));
    }

    @Override
    public void updateUserRole(UpdateUserRoleRequest request, StreamObserver<User> response) {
        Rpc.unary(response, () -> members.updateRole(principal(), request.getId(), request.getRole()));
    }

    @Override
    public void removeUser(RemoveUserRequest request, StreamObserver<User> response) {
        Rpc.unary(response, () -> members.remove(principal(), request.getId()));
    }

    @Override
    public void listInvitations(ListInvitationsRequest request,
                                StreamObserver<ListInvitationsResponse> response) {
        Rpc.unary(response, () -> members.listInvitations(principal(), request));
    }

    @Override
    public void acceptInvitation(AcceptInvitationRequest request,
                                 StreamObserver<AcceptInvitationResponse> response) {
        Rpc.unary(response, () -> members.accept(request));
    }

    @Override
    public void cancelInvitation(CancelInvitationRequest request, StreamObserver<Invitation> response) {
        Rpc.unary(response, () -> members.cancelInvitation(principal(), request.getId()));
    }
}
