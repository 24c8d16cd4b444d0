package dev.govcon.server.activity.ingest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.govcon.proto.v1.AppendTraceStepsResponse;
import dev.govcon.proto.v1.CompleteRunResponse;
import dev.govcon.proto.v1.RecordRunsResponse;
import dev.govcon.proto.v1.Run;
import dev.govcon.proto.v1.RunAck;
import dev.govcon.proto.v1.RunAckOutcome;
import dev.govcon.proto.v1.RunStatus;
import dev.govcon.proto.v1.StartRunResponse;
import dev.govcon.proto.v1.TraceStep;
import dev.govcon.server.activity.ActivityReads;
import dev.govcon.server.activity.pricing.PriceBook;
import dev.govcon.server.activity.pricing.Priced;
import dev.govcon.server.activity.pricing.TokenCounts;
import dev.govcon.server.auth.Principal;
import dev.govcon.server.db.Database;
import dev.govcon.server.errors.Errors;
import dev.govcon.server.wire.Times;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * Run ingestion: starts, completions (one, a batch, or a stream of batches) and trace steps.
 * Every write is idempotent on (tenant, run id): a retried start or completion changes
 * nothing and counts nothing twice; a completion that contradicts the recorded one is
 * FAILED_PRECONDITION. A completion for a run never started creates it.
 */
public final class RunIngestor implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Groups written at once: while one waits for its WAL flush or for a rollup row another
     * holds, the others insert (bench/: 4 writers kept up with 4 COPY connections, 2 did not;
     * see docs/PERFORMANCE.md). Each holds a pooled connection only while it writes.
     */
    private static final int WRITERS = Integer.getInteger("govcon.ingest.writers", 4);

    private final Database database;
    private final Clock clock;
    private final PriceBook prices;
    private final ActivityReads reads;
    private final GroupCommitter committer;
    private final List<Consumer<List<CommittedRun>>> commitListeners = new CopyOnWriteArrayList<>();

    public RunIngestor(Database database, Clock clock, PriceBook prices) {
        this.database = database;
        this.clock = clock;
        this.prices = prices;
        this.reads = new ActivityReads(database, clock);
        this.committer = new GroupCommitter(database, clock, WRITERS);
    }

    public StartRunResponse start(Principal caller, Run run) {
        Instant now = clock.instant();
        String runId = RunValidation.runId("run.run_id", run.getRunId());
        RunValidation.start("run", run, runId, now);
        StartedRun started = new StartedRun(caller.tenantId(), runId, run.getModel(), run.getProvider(),
                run.getFeature(), run.getEndUser(), run.getIntegrationId(), environment(run),
                run.hasStartTime() ? Times.instant(run.getStartTime()) : now, json(run.getMetadataMap()),
                run.getReservationId(), caller.keyId(), run.getRetryOfRunId());
        int inserted = database.inTransaction(s -> s.getMapper(IngestMapper.class).startRun(started));
        Run stored = run.toBuilder().setRunId(runId).setStatus(RunStatus.RUNNING)
                .setEnvironment(started.environment()).setStartTime(Times.ts(started.startTime()))
                .setApiKeyId(caller.keyId().toString()).build();
        return StartRunResponse.newBuilder().setRun(stored).setCreated(inserted == 1).build();
    }

    public CompleteRunResponse complete(Principal caller, String pathRunId, Run run) {
        String runId = RunValidation.runId("run_id", pathRunId);
        if (!run.getRunId().isEmpty() && !run.getRunId().equals(runId)) {
            throw Errors.invalid("run.run_id", "differs from the run id of the path");
        }
        Instant now = clock.instant();
        RunValidation.completion("run", run, runId, now);
        CompletedRun prepared = prepare(caller, runId, run, now);
        GroupCommitter.Outcome outcome = await(commit(List.of(prepared))).get(0);
        if (outcome == GroupCommitter.Outcome.CONTRADICTS) {
            throw contradiction(runId);
        }
        // The run as stored: what the start said is merged in where the completion was silent.
        return CompleteRunResponse.newBuilder()
                .setRun(reads.getRun(caller, runId))
                .setDuplicate(outcome == GroupCommitter.Outcome.DUPLICATE)
                .build();
    }

    /** A malformed run refuses the whole batch (nothing written); contradictions are listed. */
    public RecordRunsResponse record(Principal caller, List<Run> runs) {
        if (runs.isEmpty()) {
            throw Errors.invalid("runs", "is empty");
        }
        if (runs.size() > RunLimits.MAX_BATCH) {
            throw Errors.invalid("runs", "holds at most " + RunLimits.MAX_BATCH + " runs per batch");
        }
        Instant now = clock.instant();
        List<CompletedRun> prepared = new ArrayList<>(runs.size());
        for (int i = 0; i < runs.size(); i++) {
            String field = "runs[" + i + "]";
            Run run = runs.get(i);
            String runId = RunValidation.runId(field + ".run_id", run.getRunId());
            RunValidation.completion(field, run, runId, now);
            prepared.add(prepare(caller, runId, run, now));
        }
        return summarize(prepared, await(commit(prepared)), List.of());
    }

    /**
     * For streams: malformed runs are reported as REJECTED instead of failing the call, so
     * one bad run does not end a long-lived stream.
     */
    public CompletableFuture<RecordRunsResponse> recordLeniently(Principal caller, List<Run> runs) {
        Instant now = clock.instant();
        List<CompletedRun> prepared = new ArrayList<>(runs.size());
        List<RunAck> rejected = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            Run run = runs.get(i);
            try {
                String runId = RunValidation.runId("runs[" + i + "].run_id", run.getRunId());
                RunValidation.completion("runs[" + i + "]", run, runId, now);
                prepared.add(prepare(caller, runId, run, now));
            } catch (StatusRuntimeException e) {
                rejected.add(RunAck.newBuilder().setRunId(run.getRunId()).setOutcome(RunAckOutcome.RUN_ACK_REJECTED)
                        .setError(String.valueOf(e.getStatus().getDescription()))
                        .setCode(e.getStatus().getCode().value()).build());
            }
        }
        return commit(prepared).thenApply(outcomes -> summarize(prepared, outcomes, rejected));
    }

    public AppendTraceStepsResponse appendSteps(Principal caller, String pathRunId, List<TraceStep> steps) {
        String runId = RunValidation.runId("run_id", pathRunId);
        List<TraceStepRow> rows = TraceValidation.rows(runId, steps, clock.instant());
        int appended = database.inTransaction(s -> {
            IngestMapper mapper = s.getMapper(IngestMapper.class);
            if (!mapper.runExists(caller.tenantId(), runId)) {
                throw Errors.notFound("run", runId);
            }
            mapper.ensureTrace(caller.tenantId(), runId);
            int n = mapper.appendSteps(caller.tenantId(), runId, rows);
            mapper.countSteps(caller.tenantId(), runId);
            return n;
        });
        return AppendTraceStepsResponse.newBuilder().setAppendedCount(appended)
                .setDuplicateCount(rows.size() - appended).build();
    }

    /**
     * Tells {@code listener}, after each commit and before the callers are answered, which
     * completions were newly recorded (the guard reconciles reservations and counts usage from
     * them). A listener must be quick and must not throw.
     */
    public void addCommitListener(Consumer<List<CommittedRun>> listener) {
        commitListeners.add(listener);
    }

    private CompletableFuture<List<GroupCommitter.Outcome>> commit(List<CompletedRun> prepared) {
        return committer.submit(prepared).thenApply(outcomes -> {
            if (!commitListeners.isEmpty()) {
                List<CommittedRun> recorded = new ArrayList<>(prepared.size());
                for (int i = 0; i < prepared.size(); i++) {
                    if (outcomes.get(i) == GroupCommitter.Outcome.RECORDED) {
                        recorded.add(CommittedRun.of(prepared.get(i)));
                    }
                }
                if (!recorded.isEmpty()) {
                    commitListeners.forEach(l -> l.accept(recorded));
                }
            }
            return outcomes;
        });
    }

    /** The reaper: runs RUNNING for longer than {@code timeout} become TIMED_OUT. */
    public int timeOutStale(Duration timeout, int limit) {
        Instant now = clock.instant();
        return database.inTransaction(s -> s.getMapper(IngestMapper.class)
                .timeOutStaleRuns(now.minus(timeout), now, limit));
    }

    private CompletedRun prepare(Principal caller, String runId, Run run, Instant now) {
        Instant end = run.hasEndTime() ? Times.instant(run.getEndTime()) : now;
        Instant start = run.hasStartTime() ? Times.instant(run.getStartTime()) : null;
        long cost;
        dev.govcon.proto.v1.CostSource source;
        boolean unknown = false;
        if (run.hasCostMicros()) {
            cost = run.getCostMicros();
            source = dev.govcon.proto.v1.CostSource.COST_SOURCE_CALLER;
        } else {
            Priced priced = prices.price(caller.tenantId(), run.getProvider(), run.getModel(), new TokenCounts(
                    run.getInputTokens(), run.getOutputTokens(), run.getCachedInputTokens(),
                    run.getCacheWriteTokens(), run.getReasoningTokens()));
            cost = priced.costMicros();
            source = priced.source();
            unknown = source == dev.govcon.proto.v1.CostSource.COST_SOURCE_UNKNOWN;
        }
        return new CompletedRun(caller.tenantId(), runId, run.getModel(), run.getProvider(),
                run.getFeature(), run.getEndUser(), run.getIntegrationId(), run.getEnvironment(),
                run.getStatus().name(), start, end, run.getInputTokens(), run.getOutputTokens(),
                run.getCachedInputTokens(), run.getCacheWriteTokens(), run.getReasoningTokens(), cost, source,
                unknown, run.getLatencyMs() > 0 ? run.getLatencyMs() : null, run.getError(),
                json(run.getMetadataMap()), run.getReservationId(), caller.keyId(), now,
                ContentHash.of(run, runId), run.getRetryOfRunId());
    }

    private static RecordRunsResponse summarize(List<CompletedRun> prepared, List<GroupCommitter.Outcome> outcomes,
                                                List<RunAck> rejectedUpfront) {
        RecordRunsResponse.Builder out = RecordRunsResponse.newBuilder();
        int recorded = 0;
        int duplicates = 0;
        int rejected = rejectedUpfront.size();
        out.addAllSkipped(rejectedUpfront);
        for (int i = 0; i < prepared.size(); i++) {
            switch (outcomes.get(i)) {
                case RECORDED -> recorded++;
                case DUPLICATE -> {
                    duplicates++;
                    out.addSkipped(RunAck.newBuilder().setRunId(prepared.get(i).runId())
                            .setOutcome(RunAckOutcome.RUN_ACK_DUPLICATE).build());
                }
                case CONTRADICTS -> {
                    rejected++;
                    out.addSkipped(RunAck.newBuilder().setRunId(prepared.get(i).runId())
                            .setOutcome(RunAckOutcome.RUN_ACK_REJECTED)
                            .setError(contradiction(prepared.get(i).runId()).getStatus().getDescription())
                            .setCode(Status.Code.FAILED_PRECONDITION.value()).build());
                }
            }
        }
        return out.setRecordedCount(recorded).setDuplicateCount(duplicates).setRejectedCount(rejected).build();
    }

    private static StatusRuntimeException contradiction(String runId) {
        return Errors.failedPrecondition("run " + runId + " was already completed with different figures; "
                                         + "a completion is final");
    }

    private static String environment(Run run) {
        return run.getEnvironment().isEmpty() ? "default" : run.getEnvironment();
    }

    static String json(Map<String, String> map) {
        if (map.isEmpty()) {
            return "{}";
        }
        try {
            return JSON.writeValueAsString(new TreeMap<>(map));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw e;
        }
    }

    @Override
    public void close() {
        committer.close();
    }
}
