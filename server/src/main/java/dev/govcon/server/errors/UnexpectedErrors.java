package dev.govcon.server.errors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.linecorp.armeria.common.RequestContext;
import com.linecorp.armeria.common.grpc.GrpcExceptionHandlerFunction;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;

/**
 * What a caller sees when the server fails: INTERNAL with the request id to quote, never
 * UNKNOWN with nothing. Statuses thrown on purpose pass through unchanged.
 */
public final class UnexpectedErrors implements GrpcExceptionHandlerFunction {
    private static final Logger log = LoggerFactory.getLogger(UnexpectedErrors.class);

    @Override
    public Status apply(RequestContext ctx, Status status, Throwable cause, Metadata metadata) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof StatusRuntimeException sre) {
                return sre.getStatus();
            }
            if (t instanceof StatusException se) {
                return se.getStatus();
            }
        }
        if (status != null && status.getCode() != Status.Code.UNKNOWN) {
            return status;
        }
        if (timedOut(cause)) {
            // The server's request timeout or the database's statement timeout: the call may
            // succeed when retried, so it is not INTERNAL (HTTP 504 over REST).
            return Status.DEADLINE_EXCEEDED.withDescription("the request took longer than the server allows")
                    .withCause(cause);
        }
        if (cause instanceof com.linecorp.armeria.common.ResponseCompleteException
            || cause instanceof com.linecorp.armeria.common.stream.ClosedStreamException) {
            // The call had already ended (the client went away): nothing failed here.
            return Status.CANCELLED.withCause(cause);
        }
        log.error("Unexpected failure in {} (request {})", ctx.method() + " " + ctx.path(), ctx.id(), cause);
        return Status.INTERNAL.withDescription("internal error; quote request id " + ctx.id().text())
                .withCause(cause);
    }

    private static boolean timedOut(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof com.linecorp.armeria.server.RequestTimeoutException) {
                return true;
            }
            // PostgreSQL's query_canceled, raised by statement_timeout.
            if (t instanceof java.sql.SQLException sql && "57014".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
