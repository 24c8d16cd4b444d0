package dev.govcon.server.auth;

import java.util.Optional;

import com.linecorp.armeria.server.ServiceRequestContext;

import dev.govcon.proto.v1.Access;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.netty.util.AttributeKey;

/**
 * The one gate for gRPC and REST alike (transcoded calls pass through gRPC interceptors):
 * finds the caller from {@code authorization: Bearer ...}, checks the method's
 * {@code (govcon.v1.access)}, and leaves the {@link Principal} on the request context.
 * Missing or wrong credentials are UNAUTHENTICATED (401); a role too low is
 * PERMISSION_DENIED (403).
 */
public final class AuthInterceptor implements ServerInterceptor {
    private static final AttributeKey<Principal> PRINCIPAL =
            AttributeKey.valueOf(AuthInterceptor.class, "principal");
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final AccessTable accessTable;
    private final ApiKeyAuthenticator authenticator;
    private final String serverAdminToken;

    public AuthInterceptor(AccessTable accessTable, ApiKeyAuthenticator authenticator,
                           String serverAdminToken) {
        this.accessTable = accessTable;
        this.authenticator = authenticator;
        this.serverAdminToken = serverAdminToken;
    }

    /** The caller of the current request; only for methods that need a tenant key. */
    public static Principal principal() {
        Principal p = ServiceRequestContext.current().attr(PRINCIPAL);
        if (p == null) {
            throw new IllegalStateException("no principal: the method is not tenant-authenticated");
        }
        return p;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                       ServerCallHandler<Q, R> next) {
        Optional<Access> declared = accessTable.accessOf(call.getMethodDescriptor().getFullMethodName());
        if (declared.isEmpty() || declared.get() == Access.PUBLIC) {
            // Health checking and reflection are open; PUBLIC methods carry their own proof.
            return next.startCall(call, headers);
        }
        Access access = declared.get();
        String token = bearer(headers.get(AUTHORIZATION));
        if (token == null) {
            return refuse(call, Status.UNAUTHENTICATED.withDescription(
                    "missing credentials: send 'authorization: Bearer <api key>'"));
        }
        if (access == Access.SERVER_ADMIN) {
            if (serverAdminToken == null || serverAdminToken.isEmpty()) {
                return refuse(call, Status.PERMISSION_DENIED.withDescription(
                        "the admin service is disabled: no server admin token is configured"));
            }
            if (!Secrets.sameHash(Secrets.sha256(token), Secrets.sha256(serverAdminToken))) {
                return refuse(call, Status.UNAUTHENTICATED.withDescription("invalid admin token"));
            }
            return next.startCall(call, headers);
        }
        Optional<Principal> principal = authenticator.authenticate(token);
        if (principal.isEmpty()) {
            return refuse(call, Status.UNAUTHENTICATED.withDescription(
                    "invalid, revoked or expired API key"));
        }
        if (!Roles.permits(access, principal.get().role())) {
            return refuse(call, Status.PERMISSION_DENIED.withDescription(
                    "role " + principal.get().role() + " may not call "
                    + call.getMethodDescriptor().getBareMethodName() + " (needs " + access + ")"));
        }
        ServiceRequestContext.current().setAttr(PRINCIPAL, principal.get());
        return next.startCall(call, headers);
    }

    private static String bearer(String header) {
        if (header == null) {
            return null;
        }
        String h = header.trim();
        if (h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String t = h.substring(7).trim();
            return t.isEmpty() ? null : t;
        }
        return null;
    }

    private static <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, Status status) {
        call.close(status, new Metadata());
        return new ServerCall.Listener<>() {
        };
    }
}
