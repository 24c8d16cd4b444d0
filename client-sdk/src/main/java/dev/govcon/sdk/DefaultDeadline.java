package dev.govcon.sdk;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;

/**
 * Gives each call a deadline counted from when it starts, unless the caller set one. (A
 * deadline set on a stub is absolute from when the stub was made, so it cannot be shared.)
 */
final class DefaultDeadline implements ClientInterceptor {
    private final Duration timeout;

    DefaultDeadline(Duration timeout) {
        this.timeout = timeout;
    }

    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options,
                                                 Channel next) {
        if (options.getDeadline() == null && method.getType() == MethodDescriptor.MethodType.UNARY) {
            options = options.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
        return next.newCall(method, options);
    }
}
