package dev.govcon.server.connectivity;

import java.time.Clock;

import dev.govcon.proto.v1.ApiKey;
import dev.govcon.proto.v1.ConnectivityServiceGrpc;
import dev.govcon.proto.v1.CreateApiKeyRequest;
import dev.govcon.proto.v1.CreatedApiKey;
import dev.govcon.proto.v1.ListApiKeysRequest;
import dev.govcon.proto.v1.ListApiKeysResponse;
import dev.govcon.proto.v1.RevokeApiKeyRequest;
import dev.govcon.proto.v1.RotateApiKeyRequest;
import dev.govcon.server.db.Database;
import dev.govcon.server.wire.Rpc;
import io.grpc.stub.StreamObserver;

import static dev.govcon.server.auth.AuthInterceptor.principal;

/**
 * Connectivity domain: API keys now; integrations and providers belong to the
 * Connectivity-and-Account issue and answer UNIMPLEMENTED until it lands.
 */
public final class ConnectivityService extends ConnectivityServiceGrpc.ConnectivityServiceImplBase {
    private final ApiKeysLogic apiKeys;

    public ConnectivityService(Database database, Clock clock) {
        this.apiKeys = new ApiKeysLogic(database, clock);
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
