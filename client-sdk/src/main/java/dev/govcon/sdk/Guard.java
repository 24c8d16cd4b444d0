package dev.govcon.sdk;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import com.google.protobuf.Timestamp;

import dev.govcon.proto.v1.CheckGuardRequest;
import dev.govcon.proto.v1.CompleteRunResponse;
import dev.govcon.proto.v1.Run;
import dev.govcon.proto.v1.RunStatus;
import dev.govcon.proto.v1.RuntimeServiceGrpc;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * The guard, from the application's side: ask before an LLM call whether it may be made, and
 * report afterwards what it did. Obtain it from {@link GovconClient#guard()}.
 *
 * <pre>{@code
 * GuardedResult<ChatResponse> r = govcon.guard().call(
 *         GuardCheck.builder().model("gpt-4o").feature("support-chat").maxOutputTokens(500).build(),
 *         decision -> {
 *             ChatResponse resp = openAi.chat(prompt);
 *             return LlmOutcome.of(resp).tokens(resp.promptTokens(), resp.completionTokens());
 *         });
 * }</pre>
 *
 * <p><b>{@link #check}</b> asks {@code RuntimeService.CheckGuard} and answers a
 * {@link GuardDecision}; with a DENY the application should not make the call. If the call is
 * made, complete its run with the decision's reservation id (or the check's run id), so the
 * guard reconciles the reservation to the actual cost.
 *
 * <p><b>{@link #call}</b> does all of it, <i>synchronously, on the calling thread</i>: it
 * checks (giving the check a random UUID as run id when it has none); on DENY it throws
 * {@link GuardDeniedException} without running the call; otherwise it runs the
 * {@link LlmCall}, timing it, and completes the run with {@code CompleteRun} (the check's
 * model, provider, feature, end user, environment and metadata, the outcome's figures, the
 * reservation id) before returning, so when {@code call} returns the budget is reconciled and
 * the next check sees it. If the LLM call throws, the run is completed as FAILED with the
 * exception's class and message, and the exception is rethrown as it is. Synchronous because
 * the decision must come before the call anyway and LLM calls are mostly blocking; the
 * completion adds one round trip after a call that takes far longer. To run it off the
 * application's thread, submit {@code call} to an executor.
 *
 * <p><b>Failures.</b> A check that fails (the server unreachable after the client's retries,
 * a bad request) throws {@link StatusRuntimeException} and the LLM is not called: the SDK
 * fails closed; catch it around {@code call} to fail open. A completion that fails after the
 * LLM call never hides the call's result: when the server could not be reached (UNAVAILABLE,
 * DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, INTERNAL) the run goes to a background
 * {@link RunRecorder} of the client that retries it ({@link GuardedResult.Recording#QUEUED};
 * the reservation is reconciled when it arrives, or released at expiry), and when it was
 * refused it is logged and reported ({@link GuardedResult.Recording#FAILED}). A denied call
 * is not recorded as a run (the guard has already written it as a violation), which leaves
 * its run id free for a retry.
 *
 * <p>Thread-safe; the stub uses the client's API key, default deadline and retries.
 */
public final class Guard {
    private static final Logger LOG = Logger.getLogger(Guard.class.getName());
    /** The server's limit on a run's error text. */
    static final int MAX_ERROR_CHARS = 4096;

    private final RuntimeServiceGrpc.RuntimeServiceBlockingStub stub;
    private final Runs runs;
    private final Supplier<RunRecorder> retries;

    Guard(RuntimeServiceGrpc.RuntimeServiceBlockingStub stub, Runs runs, Supplier<RunRecorder> retries) {
        this.stub = stub;
        this.runs = runs;
        this.retries = retries;
    }

    /**
     * Asks the guard about one prospective call. Unless the answer is DENY or the check is a
     * dry run, the call's maximum cost, tokens and a request slot are now reserved against each
     * applicable limit, until the run completes or the reservation expires.
     *
     * @throws StatusRuntimeException when the server refuses the check or cannot be reached
     */
    public GuardDecision check(GuardCheck check) {
        Objects.requireNonNull(check, "check");
        return new GuardDecision(stub.checkGuard(check.toRequest()), check.runId());
    }

    /**
     * Checks, runs {@code llm} if allowed, and records its run; see the class comment.
     *
     * @return the call's value, the decision, and how the run was recorded
     * @throws GuardDeniedException when the guard denies the call (the LLM was not called)
     * @throws StatusRuntimeException when the check itself fails (the LLM was not called)
     * @throws E what the LLM call threw, after its run was recorded as FAILED
     */
    public <T, E extends Exception> GuardedResult<T> call(GuardCheck check, LlmCall<T, E> llm) throws E {
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(llm, "llm");
        GuardCheck sent = check.runId().isEmpty() ? check.withRunId(UUID.randomUUID().toString()) : check;
        GuardDecision decision = check(sent);
        if (!decision.allowed()) {
            throw new GuardDeniedException(decision);
        }
        Instant startTime = Instant.now();
        long started = System.nanoTime();
        LlmOutcome<T> outcome;
        try {
            outcome = llm.call(decision);
        } catch (Throwable t) {
            Run failed = run(sent, decision, LlmOutcome.of(null).status(RunStatus.FAILED).error(describe(t)),
                             startTime, started);
            try {
                complete(failed);
            } catch (RuntimeException e) {
                t.addSuppressed(e);
            }
            throw t;
        }
        if (outcome == null) {
            Run failed = run(sent, decision,
                             LlmOutcome.of(null).status(RunStatus.FAILED).error("the LlmCall returned no outcome"),
                             startTime, started);
            complete(failed);
            throw new NullPointerException("the LlmCall returned null instead of an LlmOutcome");
        }
        Run run = run(sent, decision, outcome, startTime, started);
        Completion done = complete(run);
        return new GuardedResult<>(outcome.value(), decision, run, done.recording(), done.stored(), done.failure());
    }

    private record Completion(GuardedResult.Recording recording, Optional<Run> stored, Optional<Status> failure) {
    }

    /** The completion: the check's identity, the outcome's figures over it, the call's timing. */
    private static Run run(GuardCheck guardCheck, GuardDecision decision, LlmOutcome<?> outcome, Instant startTime,
                           long startedNanos) {
        CheckGuardRequest check = guardCheck.toRequest();
        long latencyMs = (System.nanoTime() - startedNanos) / 1_000_000;
        Run.Builder run = Run.newBuilder()
                .setRunId(check.getRunId()).setModel(check.getModel()).setProvider(check.getProvider())
                .setFeature(check.getFeature()).setEndUser(check.getEndUser()).setEnvironment(check.getEnvironment())
                .putAllMetadata(check.getMetadataMap())
                .mergeFrom(outcome.usage())
                .setStartTime(ts(startTime)).setEndTime(ts(startTime.plusMillis(latencyMs))).setLatencyMs(latencyMs);
        decision.reservationId().ifPresent(run::setReservationId);
        if (!guardCheck.retryOf().isEmpty()) {
            run.setRetryOfRunId(guardCheck.retryOf());
        }
        return run.build();
    }

    private Completion complete(Run run) {
        try {
            CompleteRunResponse response = runs.complete(run.getRunId(), run);
            return new Completion(GuardedResult.Recording.RECORDED, Optional.of(response.getRun()), Optional.empty());
        } catch (StatusRuntimeException e) {
            Status status = e.getStatus();
            if (RunRecorder.RETRYABLE.contains(status.getCode()) && retries.get().record(run)) {
                LOG.log(Level.FINE, "govcon guard: run {0} not completed ({1}); queued for retry",
                        new Object[] {run.getRunId(), status});
                return new Completion(GuardedResult.Recording.QUEUED, Optional.empty(), Optional.of(status));
            }
            LOG.log(Level.WARNING, "govcon guard: run {0} could not be recorded: {1}",
                    new Object[] {run.getRunId(), status});
            return new Completion(GuardedResult.Recording.FAILED, Optional.empty(), Optional.of(status));
        }
    }

    private static String describe(Throwable t) {
        String text = t.getMessage() == null ? t.getClass().getName() : t.getClass().getName() + ": " + t.getMessage();
        if (text.length() <= MAX_ERROR_CHARS) {
            return text;
        }
        int cut = MAX_ERROR_CHARS;
        if (Character.isHighSurrogate(text.charAt(cut - 1))) {
            cut--;
        }
        return text.substring(0, cut);
    }

    private static Timestamp ts(Instant t) {
        return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
    }
}
