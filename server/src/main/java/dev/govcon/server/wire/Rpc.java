package dev.govcon.server.wire;

import java.util.function.Supplier;

import io.grpc.stub.StreamObserver;

/** Completes a unary call from a value, or fails it with whatever was thrown. */
public final class Rpc {
    private Rpc() {
    }

    public static <T> void unary(StreamObserver<T> response, Supplier<T> work) {
        T value;
        try {
            value = work.get();
        } catch (RuntimeException e) {
            // StatusRuntimeExceptions keep their status; anything else becomes INTERNAL
            // through the server's exception handler.
            response.onError(e);
            return;
        }
        response.onNext(value);
        response.onCompleted();
    }
}
