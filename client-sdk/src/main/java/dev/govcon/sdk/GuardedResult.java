package dev.govcon.sdk;

import java.util.Optional;

import dev.govcon.proto.v1.Run;
import io.grpc.Status;

/**
 * What {@link Guard#call} did: the call's value, the guard's decision (ALLOW or WARN, with
 * its warnings), and how the run was recorded.
 *
 * @param value     what the {@link LlmCall} produced
 * @param decision  the guard's decision before the call
 * @param sent      the run as the SDK reported it (run id, figures, reservation id)
 * @param recording whether the completion was acknowledged, queued for retry, or refused
 * @param stored    the run as the server stored it (with its cost) when {@link Recording#RECORDED}
 * @param failure   why the completion was not acknowledged, otherwise empty
 */
public record GuardedResult<T>(T value, GuardDecision decision, Run sent, Recording recording,
                               Optional<Run> stored, Optional<Status> failure) {

    /** What became of the run's completion. */
    public enum Recording {
        /** Acknowledged by the server before {@link Guard#call} returned: the reservation is reconciled. */
        RECORDED,
        /**
         * The server could not be reached (after retries): the run was handed to the client's
         * background recorder, which keeps trying; the reservation is reconciled when it
         * arrives, or released when it expires.
         */
        QUEUED,
        /** Refused (e.g. INVALID_ARGUMENT, or dropped by a full queue): not recorded; see {@link #failure()}. */
        FAILED
    }

    public String runId() {
        return sent.getRunId();
    }
}
