package dev.govcon.bench;

import java.io.StringReader;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import dev.govcon.proto.v1.Run;

/**
 * The database's own limit: the same rows COPY'd straight into llm_run_records over JDBC,
 * with no server, no idempotency check, no pricing and no rollups.
 */
final class CopyScenario implements Scenario {
    @Override
    public String name() {
        return "copy";
    }

    @Override
    public String description() {
        return "JDBC COPY of the same rows into llm_run_records (no server, no rollups): the database limit";
    }

    @Override
    public Result run(BenchContext ctx, Duration warmup, Duration measured) throws Exception {
        BenchContext.Tenant tenant = ctx.newTenant("Bench Copy " + UUID.randomUUID());
        Window window = ctx.window(warmup, measured);
        ExecutorService pool = Executors.newFixedThreadPool(ctx.concurrency());
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < ctx.concurrency(); w++) {
            RunFactory runs = new RunFactory("copy-" + w + "-", w);
            workers.add(pool.submit(() -> {
                try (Connection c = ctx.database().dataSource().getConnection()) {
                    c.setAutoCommit(false);
                    CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
                    while (window.open()) {
                        String rows = csv(tenant.id(), runs.batch(ctx.batchSize()));
                        long sent = System.nanoTime();
                        copy.copyIn("COPY llm_run_records (tenant_id, record_id, run_id, model, provider, feature,"
                                    + " end_user, environment, status, start_time, end_time, input_tokens,"
                                    + " output_tokens, cached_input_tokens, cost_micros, cost_source, latency_ms,"
                                    + " error, received_at, content_hash) FROM STDIN (FORMAT csv)",
                                    new StringReader(rows));
                        c.commit();
                        window.acked(ctx.batchSize(), sent);
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : workers) {
            f.get();
        }
        pool.shutdown();
        return window.result(name(), measured, ctx.concurrency() + " connections, " + ctx.batchSize() + " rows per COPY");
    }

    private static String csv(String tenantId, List<Run> runs) {
        StringBuilder b = new StringBuilder(runs.size() * 220);
        for (Run r : runs) {
            b.append(tenantId).append(',').append(UUID.randomUUID()).append(',').append(r.getRunId()).append(',')
             .append(r.getModel()).append(',').append(r.getProvider()).append(',').append(r.getFeature()).append(',')
             .append(r.getEndUser()).append(',').append(r.getEnvironment()).append(',').append(r.getStatus().name())
             .append(',').append(java.time.Instant.ofEpochSecond(r.getStartTime().getSeconds(), r.getStartTime().getNanos()))
             .append(',').append(java.time.Instant.ofEpochSecond(r.getEndTime().getSeconds(), r.getEndTime().getNanos()))
             .append(',').append(r.getInputTokens()).append(',').append(r.getOutputTokens()).append(',')
             .append(r.getCachedInputTokens()).append(",1000,COST_SOURCE_CALLER,").append(r.getLatencyMs()).append(',')
             .append('"').append(r.getError()).append('"').append(',').append(java.time.Instant.now())
             .append(",\\x00\n");
        }
        return b.toString();
    }
}
