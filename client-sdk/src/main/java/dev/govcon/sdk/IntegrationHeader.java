package dev.govcon.sdk;

import java.util.function.Supplier;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;

/**
 * Once the client has registered as an integration, names it on every call in the
 * {@value GovconClient#INTEGRATION_HEADER} metadata header, so the server can tell which
 * integration a guard check came from.
 */
final class IntegrationHeader implements ClientInterceptor {
    private static final Metadata.Key<String> KEY =
            Metadata.Key.of(GovconClient.INTEGRATION_HEADER, Metadata.ASCII_STRING_MARSHALLER);

    private final Supplier<String> integrationId;

    IntegrationHeader(Supplier<String> integrationId) {
        this.integrationId = integrationId;
    }

    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
            @Override
            public void start(Listener<R> listener, Metadata headers) {
                String id = integrationId.get();
                if (id != null) {
                    headers.put(KEY, id);
                }
                super.start(listener, headers);
            }
        };
    }
}
