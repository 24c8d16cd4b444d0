package dev.govcon.server.errors;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;

import org.apache.ibatis.exceptions.PersistenceException;
import org.junit.jupiter.api.Test;

import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.server.RequestTimeoutException;
import com.linecorp.armeria.server.ServiceRequestContext;

import io.grpc.Metadata;
import io.grpc.Status;

/** What a failure looks like to the caller: a status that says what happened, never UNKNOWN. */
class UnexpectedErrorsTest {
    private final UnexpectedErrors errors = new UnexpectedErrors();
    private final ServiceRequestContext ctx = ServiceRequestContext.of(HttpRequest.of(HttpMethod.POST, "/x"));

    private Status apply(Throwable cause) {
        return errors.apply(ctx, Status.UNKNOWN, cause, new Metadata());
    }

    @Test
    void timeoutsAreDeadlineExceededNotInternal() {
        assertThat(apply(RequestTimeoutException.get()).getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        SQLException canceled = new SQLException("canceling statement due to statement timeout", "57014");
        assertThat(apply(new PersistenceException(canceled)).getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    }

    @Test
    void aStatusThrownOnPurposePassesThroughAndAnythingElseIsInternalWithTheRequestId() {
        assertThat(apply(Status.NOT_FOUND.withDescription("run x").asRuntimeException()).getCode())
                .isEqualTo(Status.Code.NOT_FOUND);
        Status internal = apply(new IllegalStateException("boom"));
        assertThat(internal.getCode()).isEqualTo(Status.Code.INTERNAL);
        assertThat(internal.getDescription()).contains(ctx.id().text());
    }
}
