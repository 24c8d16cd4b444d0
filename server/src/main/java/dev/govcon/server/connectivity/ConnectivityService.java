package dev.govcon.server.connectivity;

import java.time.Clock;

import dev.govcon.proto.v1.ApiKey;
import dev.govcon.proto.v1.ConnectivityServiceGrpc;
import dev.govcon.proto.v1.CreateApiKeyRequest;
import dev.govcon.proto.v1.CreatedApiKey;
import dev.govcon.proto.v1.GetSdkSetupRequest;
import dev.govcon.proto.v1.HeartbeatRequest;
import dev.govcon.proto.v1.HeartbeatResponse;
import dev.govcon.proto.v1.Integration;
import dev.govcon.proto.v1.ListApiKeysRequest;
import dev.govcon.proto.v1.ListApiKeysResponse;
import dev.govcon.proto.v1.ListIntegrationsRequest;
import dev.govcon.proto.v1.ListIntegrationsResponse;
import dev.govcon.proto.v1.ListProvidersRequest;
import dev.govcon.proto.v1.ListProvidersResponse;
import dev.govcon.proto.v1.RegisterIntegrationRequest;
import dev.govcon.proto.v1.RevokeApiKeyRequest;
import dev.govcon.proto.v1.RotateApiKeyRequest;
import dev.govcon.proto.v1.SdkSetup;
import dev.govcon.server.db.Database;
import dev.govcon.server.wire.Rpc;
import io.grpc.stub.StreamObserver;

import static dev.govcon.server.auth.AuthInterceptor.principal;

/**
 * Connectivity domain: integrations (registration, heartbeats, liveness), the SDK setup
 * checklist, providers derived from runs, and API keys.
 */
public final class ConnectivityService extends ConnectivityServiceGrpc.ConnectivityServiceImplBase {
    private final ApiKeysLogic apiKeys;
    private final IntegrationsLogic integrations;
    private final SetupChecklist setup;
    private final ProvidersReads providers;

    public ConnectivityService(Database database, Clock clock) {
        this.apiKeys = new ApiKeysLogic(database, clock);
        this.integrations = new IntegrationsLogic(database, clock);
        this.setup = new SetupChecklist(database);
        this.providers = new ProvidersReads(database, clock);
    }

    @Override
    public void listIntegrations(ListIntegrationsRequest request, StreamObserver<ListIntegrationsResponse> response) {
        Rpc.unary(response, () -> integrations.list(principal(), request));
    }

    @Override
    public void getSdkSetup(GetSdkSetupRequest request, StreamObserver<SdkSetup> response) {
        Rpc.unary(response, () -> setup.get(principal()));
    }

    @Override
    public void listProviders(ListProvidersRequest request, StreamObserver<ListProvidersResponse> response) {
        Rpc.unary(response, () -> providers.list(principal()));
    }

    @Override
    public void registerIntegration(RegisterIntegrationRequest request, StreamObserver<Integration> response) {
        Rpc.unary(response, () -> integrations.register(principal(), request));
    }

    @Override
    public void heartbeat(HeartbeatRequest request, StreamObserver<HeartbeatResponse> response) {
        Rpc.unary(response, () -> integrations.heartbeat(principal(), request));
    }

    @Override
    public void listApiKeys(ListApiKeysRequest request, StreamObserver<ListApiKeysResponse> response) {
        Rpc.unary(response, () -> apiKeys.list(principal(), request));
    }

    @Override
    public void createApiKey(CreateApiKeyRequest request, StreamObserver<CreatedApiKey> response) {
        Rpc.unary(response, () -> apiKeys.create(principal(), request));
    }

    @Override
    public void revokeApiKey(RevokeApiKeyRequest request, StreamObserver<ApiKey> response) {
        Rpc.unary(response, () -> apiKeys.revoke(principal(), request.getId()));
    }

    @Override
    public void rotateApiKey(RotateApiKeyRequest request, StreamObserver<CreatedApiKey> response) {
        Rpc.unary(response, () -> apiKeys.rotate(principal(), request));
    }
}
