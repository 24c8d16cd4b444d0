package dev.govcon.server.errors;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * The errors a caller can act on. Bad input names its field ({@code "email: ..."}), and
 * another tenant's ids are NOT_FOUND exactly like ids that never existed.
 */
public final class Errors {
    private Errors() {
    }

    public static StatusRuntimeException invalid(String field, String problem) {
        return Status.INVALID_ARGUMENT.withDescription(field + ": " + problem).asRuntimeException();
    }

    public static StatusRuntimeException notFound(String what, Object id) {
        return Status.NOT_FOUND.withDescription(what + " " + id + " not found").asRuntimeException();
    }

    public static StatusRuntimeException failedPrecondition(String why) {
        return Status.FAILED_PRECONDITION.withDescription(why).asRuntimeException();
    }

    public static StatusRuntimeException permissionDenied(String why) {
        return Status.PERMISSION_DENIED.withDescription(why).asRuntimeException();
    }

    public static StatusRuntimeException alreadyExists(String why) {
        return Status.ALREADY_EXISTS.withDescription(why).asRuntimeException();
    }

    public static StatusRuntimeException aborted(String why) {
        return Status.ABORTED.withDescription(why).asRuntimeException();
    }
}
