package dev.govcon.server.admin;

import dev.govcon.proto.v1.Actor;
import dev.govcon.proto.v1.AdminServiceGrpc;
import dev.govcon.proto.v1.CreateTenantRequest;
import dev.govcon.proto.v1.CreateTenantResponse;
import dev.govcon.server.tenancy.TenantProvisioner;
import dev.govcon.server.wire.Rpc;
import io.grpc.stub.StreamObserver;

/** gRPC only, behind the server admin token (checked by the AuthInterceptor). */
public final class AdminService extends AdminServiceGrpc.AdminServiceImplBase {
    private static final Actor ADMIN = Actor.newBuilder().setType(Actor.Type.SERVER_ADMIN)
            .setId("admin-api").setLabel("server admin token").build();

    private final TenantProvisioner provisioner;

    public AdminService(TenantProvisioner provisioner) {
        this.provisioner = provisioner;
    }

    @Override
    public void createTenant(CreateTenantRequest request, StreamObserver<CreateTenantResponse> response) {
        Rpc.unary(response, () -> provisioner.create(request, ADMIN));
    }
}
