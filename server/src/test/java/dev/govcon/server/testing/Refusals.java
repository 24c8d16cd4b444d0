package dev.govcon.server.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.govcon.server.testing.RunningServer.Reply;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** Bad input is refused with a message that starts with the field's name, over REST and gRPC alike. */
public final class Refusals {
    private Refusals() {
    }

    /** A REST GET that must be refused, named for the parameterized test's display. */
    public record BadGet(String label, String path, String field) {
        @Override
        public String toString() {
            return label;
        }
    }

    /** HTTP 400 whose message starts with "field:". */
    public static void assertRefused(Reply reply, String field) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
        assertThat(reply.json().get("message").asText()).as(reply.toString()).startsWith(field + ":");
    }

    /** INVALID_ARGUMENT whose description starts with "field:". */
    public static void assertInvalid(Runnable call, String field) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(e.getStatus().getDescription()).startsWith(field + ":");
        });
    }
}
