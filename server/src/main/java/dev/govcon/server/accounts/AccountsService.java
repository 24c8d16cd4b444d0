package dev.govcon.server.accounts;

import java.time.Clock;

import dev.govcon.proto.v1.AcceptInvitationRequest;
import dev.govcon.proto.v1.AcceptInvitationResponse;
import dev.govcon.proto.v1.AccountsServiceGrpc;
import dev.govcon.proto.v1.BillingPlan;
import dev.govcon.proto.v1.BillingUsage;
import dev.govcon.proto.v1.CancelInvitationRequest;
import dev.govcon.proto.v1.ChangeBillingPlanRequest;
import dev.govcon.proto.v1.CreateSupportTicketRequest;
import dev.govcon.proto.v1.CreatedInvitation;
import dev.govcon.proto.v1.GetBillingPlanRequest;
import dev.govcon.proto.v1.GetBillingUsageRequest;
import dev.govcon.proto.v1.GetInvoiceRequest;
import dev.govcon.proto.v1.GetProfileRequest;
import dev.govcon.proto.v1.GetSupportRequest;
import dev.govcon.proto.v1.Invitation;
import dev.govcon.proto.v1.InviteUserRequest;
import dev.govcon.proto.v1.Invoice;
import dev.govcon.proto.v1.ListContactsRequest;
import dev.govcon.proto.v1.ListContactsResponse;
import dev.govcon.proto.v1.ListInvitationsRequest;
import dev.govcon.proto.v1.ListInvitationsResponse;
import dev.govcon.proto.v1.ListInvoicesRequest;
import dev.govcon.proto.v1.ListInvoicesResponse;
import dev.govcon.proto.v1.ListSupportTicketsRequest;
import dev.govcon.proto.v1.ListSupportTicketsResponse;
import dev.govcon.proto.v1.ListUsersRequest;
import dev.govcon.proto.v1.ListUsersResponse;
import dev.govcon.proto.v1.Profile;
import dev.govcon.proto.v1.RemoveUserRequest;
import dev.govcon.proto.v1.SupportInfo;
import dev.govcon.proto.v1.SupportTicket;
import dev.govcon.proto.v1.UpdateProfileRequest;
import dev.govcon.proto.v1.UpdateUserRoleRequest;
import dev.govcon.proto.v1.User;
import dev.govcon.server.db.Database;
import dev.govcon.server.wire.Rpc;
import io.grpc.stub.StreamObserver;

import static dev.govcon.server.auth.AuthInterceptor.principal;

/**
 * Account domain: profile, contacts, members and invitations, billing (plans from the
 * {@link PlanCatalogue}, usage, invoices) and support.
 */
public final class AccountsService extends AccountsServiceGrpc.AccountsServiceImplBase {
    private final ProfileLogic profiles;
    private final MembersLogic members;
    private final BillingLogic billing;
    private final SupportLogic support;

    public AccountsService(Database database, Clock clock) {
        this(database, clock, PlanCatalogue.shipped());
    }

    public AccountsService(Database database, Clock clock, PlanCatalogue catalogue) {
        this.profiles = new ProfileLogic(database);
        this.members = new MembersLogic(database, clock);
        this.billing = new BillingLogic(database, clock, catalogue);
        this.support = new SupportLogic(database, clock, catalogue);
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

    @Override
    public void getBillingUsage(GetBillingUsageRequest request, StreamObserver<BillingUsage> response) {
        Rpc.unary(response, () -> billing.usage(principal()));
    }

    @Override
    public void listInvoices(ListInvoicesRequest request, StreamObserver<ListInvoicesResponse> response) {
        Rpc.unary(response, () -> billing.listInvoices(principal(), request));
    }

    @Override
    public void getInvoice(GetInvoiceRequest request, StreamObserver<Invoice> response) {
        Rpc.unary(response, () -> billing.getInvoice(principal(), request.getId()));
    }

    @Override
    public void getBillingPlan(GetBillingPlanRequest request, StreamObserver<BillingPlan> response) {
        Rpc.unary(response, () -> billing.plan(principal()));
    }

    @Override
    public void changeBillingPlan(ChangeBillingPlanRequest request, StreamObserver<BillingPlan> response) {
        Rpc.unary(response, () -> billing.changePlan(principal(), request));
    }

    @Override
    public void getSupport(GetSupportRequest request, StreamObserver<SupportInfo> response) {
        Rpc.unary(response, () -> support.info(principal()));
    }

    @Override
    public void createSupportTicket(CreateSupportTicketRequest request, StreamObserver<SupportTicket> response) {
        Rpc.unary(response, () -> support.create(principal(), request));
    }

    @Override
    public void listSupportTickets(ListSupportTicketsRequest request,
                                   StreamObserver<ListSupportTicketsResponse> response) {
        Rpc.unary(response, () -> support.list(principal(), request));
    }
}
