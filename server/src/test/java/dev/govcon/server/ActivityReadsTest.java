package dev.govcon.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.govcon.proto.v1.CostSource;
import dev.govcon.proto.v1.Dimension;
import dev.govcon.proto.v1.GetCompletedRunsByDimensionRequest;
import dev.govcon.proto.v1.GetCompletedRunsByDimensionResponse;
import dev.govcon.proto.v1.GetCompletedRunsSummaryRequest;
import dev.govcon.proto.v1.GetCompletedRunsSummaryResponse;
import dev.govcon.proto.v1.GetLiveRunCountRequest;
import dev.govcon.proto.v1.GetLiveRunsByDimensionRequest;
import dev.govcon.proto.v1.GetLiveRunsByDimensionResponse;
import dev.govcon.proto.v1.GetRunRequest;
import dev.govcon.proto.v1.ListCompletedRunsRequest;
import dev.govcon.proto.v1.ListCompletedRunsResponse;
import dev.govcon.proto.v1.ListLiveRunsRequest;
import dev.govcon.proto.v1.ListLiveRunsResponse;
import dev.govcon.proto.v1.ListRunTracesRequest;
import dev.govcon.proto.v1.ListRunTracesResponse;
import dev.govcon.proto.v1.Run;
import dev.govcon.proto.v1.RunDimensionGroup;
import dev.govcon.proto.v1.RunStatus;
import dev.govcon.proto.v1.TraceStepKind;
import dev.govcon.sdk.GovconClient;
import dev.govcon.server.activity.LatencyHistogram;
import dev.govcon.server.testing.RunFixtures;
import dev.govcon.server.testing.RunFixtures.Finished;
import dev.govcon.server.testing.RunningServer;
import dev.govcon.server.testing.RunningServer.Reply;
import dev.govcon.server.wire.Times;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** The read side of runs over REST and gRPC, against rows written straight into the tables. */
class ActivityReadsTest {
    static final String[] MODELS = {"gpt-4o", "gpt-4o-mini", "claude-sonnet", "gemini-pro"};
    static final String[] PROVIDERS = {"openai", "openai", "anthropic", "google"};
    static final String[] FEATURES = {"search", "chat", "summarise"};
    static final String[] STATUSES = {"SUCCEEDED", "SUCCEEDED", "SUCCEEDED", "FAILED", "BLOCKED", "CANCELLED",
                                      "SUCCEEDED", "TIMED_OUT"};

    static RunningServer server;
    static RunFixtures fx;
    static RunningServer.Tenant acme;
    static RunningServer.Tenant other;
    static UUID acmeId;
    static Instant base;
    /** Acme's finished runs inside the last 24 hours, by run id. */
    static final Map<String, Finished> runs = new LinkedHashMap<>();
    static GovconClient client;

    @BeforeAll
    static void start() {
        server = RunningServer.start();
        fx = new RunFixtures(server.database.dataSource());
        acme = server.newTenant("Activity Acme");
        other = server.newTenant("Activity Other");
        acmeId = UUID.fromString(acme.id());
        base = server.clock.instant().truncatedTo(ChronoUnit.HOURS);
        for (int i = 0; i < 50; i++) {
            int m = i % MODELS.length;
            // Runs 40-44 end at the same instant: the cursor's run id breaks the tie.
            Instant end = i >= 40 && i < 45 ? base.minus(90, ChronoUnit.MINUTES)
                                            : base.minusSeconds(3600L * (i % 9) + 37L * i + 1);
            long latency = 40L + (i * 397L) % 9000;
            String status = STATUSES[i % STATUSES.length];
            Finished f = new Finished(String.format("run-%03d", i), MODELS[m], PROVIDERS[m], FEATURES[i % 3],
                    "user-" + (i % 5), i % 4 == 0 ? "staging" : "production", status,
                    end.minusMillis(latency), end, 100L + i, 50L + i, i % 2 == 0 ? 10 : 0, i % 3 == 0 ? 5 : 0,
                    i % 5 == 0 ? 7 : 0, i == 13 ? 0 : 1000L * (i + 1),
                    i == 13 ? "UNKNOWN" : i % 2 == 0 ? "DEFAULT_PRICE" : "CALLER", i == 13, latency,
                    status.equals("SUCCEEDED") ? "" : "err-" + i, "{\"team\":\"t" + (i % 3) + "\",\"n\":\"" + i + "\"}");
            fx.insertRecord(acmeId, f);
            runs.put(f.runId(), f);
        }
        // Older than the default 24 hours.
        fx.insertRecord(acmeId, new Finished("run-old", "gpt-4o", "openai", "search", "user-0", "production",
                "SUCCEEDED", base.minus(3, ChronoUnit.DAYS).minusSeconds(1), base.minus(3, ChronoUnit.DAYS),
                1, 1, 0, 0, 0, 1, "CALLER", false, 1000, "", "{}"));
        fx.rebuildRollups(acmeId);
        fx.insertTrace(acmeId, "run-007", 4, base.minus(2, ChronoUnit.HOURS));
        for (int i = 0; i < 6; i++) {
            fx.insertLive(acmeId, "live-" + i, MODELS[i % 2], PROVIDERS[i % 2], FEATURES[i % 3], "user-" + (i % 2),
                          i < 4 ? "production" : "staging", base.minusSeconds(60L * i + 5));
        }
        fx.insertTrace(acmeId, "live-0", 1, base);
        // Another tenant's rows, with run ids that also exist at Acme.
        fx.insertRecord(UUID.fromString(other.id()), new Finished("secret-run", "gpt-4o", "openai", "x", "u", "production",
                "SUCCEEDED", base.minusSeconds(100), base.minusSeconds(50), 1, 1, 0, 0, 0, 99, "CALLER", false, 50, "", "{}"));
        fx.insertLive(UUID.fromString(other.id()), "secret-live", "gpt-4o", "openai", "x", "u", "production", base);
        client = server.grpc(acme.ownerKey());
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    static List<Finished> newestFirst() {
        return runs.values().stream()
                .sorted(Comparator.comparing(Finished::end).thenComparing(Finished::runId).reversed())
                .toList();
    }

    // ---- finished runs ----------------------------------------------------------------

    @Test
    void completedRunsAreNewestFirstWithinTheDefaultDay() {
        ListCompletedRunsResponse page = client.activity().listCompletedRuns(
                ListCompletedRunsRequest.newBuilder().setPageSize(1000).build());
        assertThat(page.getRunsList()).extracting(Run::getRunId)
                .containsExactlyElementsOf(newestFirst().stream().map(Finished::runId).toList());
        assertThat(page.getNextPageToken()).isEmpty();

        JsonNode rest = ok(server.get("/api/v1/activity/runs/completed?page_size=5", acme.ownerKey()));
        assertThat(rest.get("runs")).hasSize(5);
        assertThat(rest.get("runs").get(0).get("run_id").asText()).isEqualTo(newestFirst().get(0).runId());
        assertThat(rest.get("next_page_token").asText()).isNotEmpty();
    }

    @Test
    void completedRunsFilter() {
        var all = newestFirst();
        assertFiltered(ListCompletedRunsRequest.newBuilder().setModel("gpt-4o"), all, f -> f.model().equals("gpt-4o"));
        assertFiltered(ListCompletedRunsRequest.newBuilder().setProvider("openai").setFeature("chat"), all,
                       f -> f.provider().equals("openai") && f.feature().equals("chat"));
        assertFiltered(ListCompletedRunsRequest.newBuilder().setStatus(RunStatus.FAILED), all,
                       f -> f.status().equals("FAILED"));
        assertFiltered(ListCompletedRunsRequest.newBuilder().setEndUser("user-3").setEnvironment("production"), all,
                       f -> f.endUser().equals("user-3") && f.environment().equals("production"));
        Instant from = base.minus(3, ChronoUnit.HOURS);
        Instant to = base.minus(1, ChronoUnit.HOURS);
        assertFiltered(ListCompletedRunsRequest.newBuilder().setStartTime(Times.ts(from)).setEndTime(Times.ts(to)), all,
                       f -> !f.end().isBefore(from) && f.end().isBefore(to));
        // A wide window reaches the old run too.
        assertThat(client.activity().listCompletedRuns(ListCompletedRunsRequest.newBuilder().setPageSize(1000)
                .setStartTime(Times.ts(base.minus(10, ChronoUnit.DAYS))).build()).getRunsCount()).isEqualTo(51);
        JsonNode rest = ok(server.get("/api/v1/activity/runs/completed?status=BLOCKED&feature=search", acme.ownerKey()));
        rest.get("runs").forEach(r -> {
            assertThat(r.get("status").asText()).isEqualTo("BLOCKED");
            assertThat(r.get("feature").asText()).isEqualTo("search");
        });
    }

    static void assertFiltered(ListCompletedRunsRequest.Builder req, List<Finished> all,
                               java.util.function.Predicate<Finished> keep) {
        List<String> expected = all.stream().filter(keep).map(Finished::runId).toList();
        assertThat(expected).isNotEmpty();
        assertThat(client.activity().listCompletedRuns(req.setPageSize(1000).build()).getRunsList())
                .extracting(Run::getRunId).containsExactlyElementsOf(expected);
    }

    @Test
    void pagingWalksEveryRunOnce() {
        List<String> seen = new ArrayList<>();
        String token = "";
        int pages = 0;
        do {
            ListCompletedRunsResponse page = client.activity().listCompletedRuns(
                    ListCompletedRunsRequest.newBuilder().setPageSize(7).setPageToken(token).build());
            page.getRunsList().forEach(r -> seen.add(r.getRunId()));
            token = page.getNextPageToken();
            pages++;
        } while (!token.isEmpty());
        assertThat(pages).isEqualTo(8);
        assertThat(seen).containsExactlyElementsOf(newestFirst().stream().map(Finished::runId).toList());
    }

    @Test
    void pagingIsStableWhileRunsArrive() {
        RunningServer.Tenant t = server.newTenant("Paging Inserts");
        UUID tid = UUID.fromString(t.id());
        Set<String> original = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            // Three runs share each end time.
            Instant end = base.minusSeconds(600L * (i / 3) + 1);
            fx.insertRecord(tid, simple("p-" + i, end));
            original.add("p-" + i);
        }
        Instant window = base.plus(2, ChronoUnit.HOURS);
        List<String> seen = new ArrayList<>();
        String token = "";
        int n = 0;
        try (GovconClient c = server.grpc(t.ownerKey())) {
            do {
                ListCompletedRunsResponse page = c.activity().listCompletedRuns(ListCompletedRunsRequest.newBuilder()
                        .setPageSize(4).setPageToken(token).setEndTime(Times.ts(window)).build());
                page.getRunsList().forEach(r -> seen.add(r.getRunId()));
                token = page.getNextPageToken();
                // Between pages: a newer run, and one at exactly the same end time as a served one.
                fx.insertRecord(tid, simple("new-" + n, base.plusSeconds(n + 1)));
                fx.insertRecord(tid, simple("tie-" + n, base.minusSeconds(600L * n + 1)));
                n++;
            } while (!token.isEmpty());
        }
        assertThat(new HashSet<>(seen)).hasSize(seen.size());
        assertThat(seen).containsAll(original);
        assertThat(seen).noneMatch(id -> id.startsWith("new-"));
    }

    static Finished simple(String runId, Instant end) {
        return new Finished(runId, "gpt-4o", "openai", "f", "u", "production", "SUCCEEDED", end.minusMillis(100), end,
                            1, 1, 0, 0, 0, 10, "CALLER", false, 100, "", "{}");
    }

    @Test
    void runDetailFromTheRecordOrAsLive() {
        Finished f = runs.get("run-007");
        Run run = client.activity().getRun(GetRunRequest.newBuilder().setRunId("run-007").build());
        assertThat(run.getModel()).isEqualTo(f.model());
        assertThat(run.getProvider()).isEqualTo(f.provider());
        assertThat(run.getFeature()).isEqualTo(f.feature());
        assertThat(run.getEndUser()).isEqualTo(f.endUser());
        assertThat(run.getEnvironment()).isEqualTo(f.environment());
        assertThat(run.getIntegrationId()).isEqualTo("sdk-1");
        assertThat(run.getStatus()).isEqualTo(RunStatus.valueOf(f.status()));
        assertThat(Times.instant(run.getStartTime())).isEqualTo(f.start());
        assertThat(Times.instant(run.getEndTime())).isEqualTo(f.end());
        assertThat(run.getInputTokens()).isEqualTo(f.inputTokens());
        assertThat(run.getOutputTokens()).isEqualTo(f.outputTokens());
        assertThat(run.getCachedInputTokens()).isEqualTo(f.cachedInputTokens());
        assertThat(run.getCacheWriteTokens()).isEqualTo(f.cacheWriteTokens());
        assertThat(run.getReasoningTokens()).isEqualTo(f.reasoningTokens());
        assertThat(run.getCostMicros()).isEqualTo(f.costMicros());
        assertThat(run.getCostSource()).isEqualTo(CostSource.COST_SOURCE_CALLER);
        assertThat(run.getLatencyMs()).isEqualTo(f.latencyMs());
        assertThat(run.getError()).isEqualTo(f.error());
        assertThat(run.getMetadataMap()).containsExactlyInAnyOrderEntriesOf(Map.of("team", "t1", "n", "7"));
        assertThat(run.getTraceStepCount()).isEqualTo(4);

        Run unknown = client.activity().getRun(GetRunRequest.newBuilder().setRunId("run-013").build());
        assertThat(unknown.getCostUnknown()).isTrue();
        assertThat(unknown.hasCostMicros()).isTrue();
        assertThat(unknown.getCostMicros()).isZero();
        assertThat(unknown.getCostSource()).isEqualTo(CostSource.COST_SOURCE_UNKNOWN);

        JsonNode live = ok(server.get("/api/v1/activity/runs/live-0", acme.ownerKey()));
        assertThat(live.get("status").asText()).isEqualTo("RUNNING");
        assertThat(live.has("end_time")).isFalse();
        assertThat(live.get("metadata").get("live").asText()).isEqualTo("yes");
        assertThat(live.get("trace_step_count").asInt()).isEqualTo(1);
    }

    @Test
    void tracesComeInStepOrderAndPage() {
        ListRunTracesResponse all = client.activity().listRunTraces(
                ListRunTracesRequest.newBuilder().setRunId("run-007").build());
        assertThat(all.getRunId()).isEqualTo("run-007");
        assertThat(all.getStepsList()).extracting(s -> s.getStepIndex()).containsExactly(0, 1, 2, 3);
        assertThat(all.getSteps(0).getKind()).isEqualTo(TraceStepKind.TRACE_STEP_KIND_AGENT);
        assertThat(all.getSteps(0).hasParentStepIndex()).isFalse();
        assertThat(all.getSteps(0).hasCostMicros()).isFalse();
        assertThat(all.getSteps(2).getKind()).isEqualTo(TraceStepKind.TRACE_STEP_KIND_TOOL);
        assertThat(all.getSteps(2).getParentStepIndex()).isZero();
        assertThat(all.getSteps(2).getCostMicros()).isEqualTo(200);
        assertThat(all.getSteps(2).getAttributesMap()).containsEntry("tool", "search");
        assertThat(all.getSteps(2).getStatus()).isEqualTo(RunStatus.SUCCEEDED);

        JsonNode first = ok(server.get("/api/v1/activity/runs/run-007/traces?page_size=3", acme.ownerKey()));
        assertThat(first.get("steps")).hasSize(3);
        JsonNode second = ok(server.get("/api/v1/activity/runs/run-007/traces?page_size=3&page_token="
                                        + first.get("next_page_token").asText(), acme.ownerKey()));
        assertThat(second.get("steps")).hasSize(1);
        assertThat(second.get("steps").get(0).get("step_index").asInt()).isEqualTo(3);
        assertThat(second.get("next_page_token").asText()).isEmpty();

        // A run without a trace has no steps; an unknown run is NOT_FOUND.
        assertThat(client.activity().listRunTraces(ListRunTracesRequest.newBuilder().setRunId("run-001").build())
                .getStepsCount()).isZero();
        assertThat(server.get("/api/v1/activity/runs/nope/traces", acme.ownerKey()).status()).isEqualTo(404);
    }

    // ---- aggregates -------------------------------------------------------------------

    @Test
    void byDimensionEqualsADirectAggregate() {
        Instant from = base.minus(12, ChronoUnit.HOURS);
        Instant to = base.plus(1, ChronoUnit.HOURS);
        checkDimension(Dimension.MODEL, Finished::model, from, to);
        checkDimension(Dimension.PROVIDER, Finished::provider, from, to);
        checkDimension(Dimension.FEATURE, Finished::feature, from, to);
        checkDimension(Dimension.ENVIRONMENT, Finished::environment, from, to);
        checkDimension(Dimension.STATUS, Finished::status, from, to);
        checkDimension(Dimension.USER, Finished::endUser, from, to);
        // A narrower window (whole hours) and a filter.
        checkDimension(Dimension.MODEL, Finished::model, base.minus(3, ChronoUnit.HOURS), base.minus(1, ChronoUnit.HOURS));
    }

    void checkDimension(Dimension d, Function<Finished, String> key, Instant from, Instant to) {
        GetCompletedRunsByDimensionResponse res = client.activity().getCompletedRunsByDimension(
                GetCompletedRunsByDimensionRequest.newBuilder().setDimension(d).setStartTime(Times.ts(from))
                        .setEndTime(Times.ts(to)).build());
        List<Finished> in = runs.values().stream().filter(f -> !f.end().isBefore(from) && f.end().isBefore(to)).toList();
        Map<String, List<Finished>> groups = in.stream().collect(Collectors.groupingBy(key));
        long totalCost = in.stream().mapToLong(Finished::costMicros).sum();
        assertThat(res.getDimension()).isEqualTo(d);
        assertThat(res.getGroupsList()).extracting(RunDimensionGroup::getValue)
                .containsExactlyInAnyOrderElementsOf(groups.keySet());
        long previousCost = Long.MAX_VALUE;
        for (RunDimensionGroup g : res.getGroupsList()) {
            List<Finished> rows = groups.get(g.getValue());
            long succeeded = rows.stream().filter(f -> f.status().equals("SUCCEEDED")).count();
            long cost = rows.stream().mapToLong(Finished::costMicros).sum();
            assertThat(g.getRuns()).as(d + " " + g.getValue()).isEqualTo(rows.size());
            assertThat(g.getSucceededRuns()).isEqualTo(succeeded);
            assertThat(g.getSuccessRate()).isEqualTo((double) succeeded / rows.size());
            assertThat(g.getInputTokens()).isEqualTo(rows.stream().mapToLong(Finished::inputTokens).sum());
            assertThat(g.getOutputTokens()).isEqualTo(rows.stream().mapToLong(Finished::outputTokens).sum());
            assertThat(g.getTotalTokens()).isEqualTo(rows.stream().mapToLong(f -> f.inputTokens() + f.outputTokens()
                    + f.cachedInputTokens() + f.cacheWriteTokens() + f.reasoningTokens()).sum());
            assertThat(g.getCostMicros()).isEqualTo(cost);
            assertThat(g.getCostShareRatio()).isEqualTo((double) cost / totalCost);
            LatencyHistogram h = LatencyHistogram.of(rows.stream().mapToLong(Finished::latencyMs).toArray());
            long slowest = rows.stream().mapToLong(Finished::latencyMs).max().orElse(0);
            // Interpolated inside its bucket, never above the slowest run.
            assertThat(g.getP50LatencyMs()).isEqualTo(Math.min(h.percentile(0.5), slowest));
            assertThat(g.getP95LatencyMs()).isEqualTo(Math.min(h.percentile(0.95), slowest));
            assertThat(cost).isLessThanOrEqualTo(previousCost);
            previousCost = cost;
        }
        // And straight from the table, in SQL.
        if (d == Dimension.MODEL) {
            for (RunDimensionGroup g : res.getGroupsList()) {
                assertThat(g.getCostMicros()).isEqualTo(fx.queryLong(
                        "SELECT sum(cost_micros) FROM llm_run_records WHERE tenant_id = ? AND model = ? "
                        + "AND end_time >= ? AND end_time < ?", acmeId, g.getValue(),
                        java.sql.Timestamp.from(from), java.sql.Timestamp.from(to)));
            }
        }
    }

    @Test
    void byDimensionLimitsGroupsAndSumsTheRest() {
        GetCompletedRunsByDimensionResponse res = client.activity().getCompletedRunsByDimension(
                GetCompletedRunsByDimensionRequest.newBuilder().setDimension(Dimension.USER).setLimit(2).build());
        assertThat(res.getGroupsCount()).isEqualTo(2);
        long grouped = res.getGroupsList().stream().mapToLong(RunDimensionGroup::getRuns).sum();
        assertThat(grouped + res.getOther().getRuns()).isEqualTo(50);
        long cost = res.getGroupsList().stream().mapToLong(RunDimensionGroup::getCostMicros).sum();
        assertThat(cost + res.getOther().getCostMicros())
                .isEqualTo(runs.values().stream().mapToLong(Finished::costMicros).sum());

        JsonNode rest = ok(server.get("/api/v1/activity/runs/completed/by-dimension?dimension=MODEL&model=gpt-4o",
                                      acme.ownerKey()));
        assertThat(rest.get("groups")).hasSize(1);
        assertThat(rest.get("groups").get(0).get("value").asText()).isEqualTo("gpt-4o");
        assertThat(rest.get("groups").get(0).get("runs").asLong())
                .isEqualTo(runs.values().stream().filter(f -> f.model().equals("gpt-4o")).count());
    }

    @Test
    void summaryTotalsTheWindow() {
        GetCompletedRunsSummaryResponse s = client.activity().getCompletedRunsSummary(
                GetCompletedRunsSummaryRequest.getDefaultInstance());
        List<Finished> all = List.copyOf(runs.values());
        assertThat(s.getRuns()).isEqualTo(50);
        assertThat(s.getSucceededRuns()).isEqualTo(count(all, "SUCCEEDED"));
        assertThat(s.getFailedRuns()).isEqualTo(count(all, "FAILED"));
        assertThat(s.getBlockedRuns()).isEqualTo(count(all, "BLOCKED"));
        assertThat(s.getCancelledRuns()).isEqualTo(count(all, "CANCELLED"));
        assertThat(s.getTimedOutRuns()).isEqualTo(count(all, "TIMED_OUT"));
        assertThat(s.getSuccessRate()).isEqualTo(count(all, "SUCCEEDED") / 50.0);
        assertThat(s.getInputTokens()).isEqualTo(all.stream().mapToLong(Finished::inputTokens).sum());
        assertThat(s.getCachedInputTokens()).isEqualTo(all.stream().mapToLong(Finished::cachedInputTokens).sum());
        assertThat(s.getCacheWriteTokens()).isEqualTo(all.stream().mapToLong(Finished::cacheWriteTokens).sum());
        assertThat(s.getReasoningTokens()).isEqualTo(all.stream().mapToLong(Finished::reasoningTokens).sum());
        long cost = all.stream().mapToLong(Finished::costMicros).sum();
        assertThat(s.getCostMicros()).isEqualTo(cost);
        assertThat(s.getAvgCostPerRunMicros()).isEqualTo(cost / 50);
        assertThat(s.getCostUnknownRuns()).isEqualTo(1);
        LatencyHistogram h = LatencyHistogram.of(all.stream().mapToLong(Finished::latencyMs).toArray());
        long slowest = all.stream().mapToLong(Finished::latencyMs).max().orElse(0);
        assertThat(s.getP50LatencyMs()).isEqualTo(Math.min(h.percentile(0.5), slowest));
        assertThat(s.getP95LatencyMs()).isEqualTo(Math.min(h.percentile(0.95), slowest));
        // The window reported is the whole hours read.
        assertThat(Times.instant(s.getStartTime())).isEqualTo(Times.instant(s.getStartTime()).truncatedTo(ChronoUnit.HOURS));

        JsonNode rest = ok(server.get("/api/v1/activity/runs/completed/summary?feature=chat", acme.ownerKey()));
        assertThat(rest.get("runs").asLong()).isEqualTo(all.stream().filter(f -> f.feature().equals("chat")).count());
        // The other tenant sees only its own run.
        try (GovconClient c = server.grpc(other.ownerKey())) {
            assertThat(c.activity().getCompletedRunsSummary(GetCompletedRunsSummaryRequest.getDefaultInstance())
                               .getCostMicros()).isEqualTo(0);
        }
    }

    static long count(List<Finished> all, String status) {
        return all.stream().filter(f -> f.status().equals(status)).count();
    }

    // ---- live -------------------------------------------------------------------------

    @Test
    void liveRunsListCountAndGroups() {
        ListLiveRunsResponse live = client.activity().listLiveRuns(ListLiveRunsRequest.getDefaultInstance());
        assertThat(live.getRunsList()).extracting(Run::getRunId)
                .containsExactly("live-0", "live-1", "live-2", "live-3", "live-4", "live-5");
        assertThat(live.getRunsList()).allMatch(r -> r.getStatus() == RunStatus.RUNNING && !r.hasEndTime());
        ListLiveRunsResponse p1 = client.activity().listLiveRuns(ListLiveRunsRequest.newBuilder().setPageSize(4).build());
        ListLiveRunsResponse p2 = client.activity().listLiveRuns(ListLiveRunsRequest.newBuilder().setPageSize(4)
                .setPageToken(p1.getNextPageToken()).build());
        assertThat(p2.getRunsList()).extracting(Run::getRunId).containsExactly("live-4", "live-5");
        assertThat(p2.getNextPageToken()).isEmpty();
        assertThat(client.activity().listLiveRuns(ListLiveRunsRequest.newBuilder().setEnvironment("staging").build())
                .getRunsList()).extracting(Run::getRunId).containsExactly("live-4", "live-5");

        var count = client.activity().getLiveRunCount(GetLiveRunCountRequest.getDefaultInstance());
        assertThat(count.getCount()).isEqualTo(6);
        assertThat(Times.instant(count.getOldestStartTime())).isEqualTo(base.minusSeconds(305));
        JsonNode restCount = ok(server.get("/api/v1/activity/runs/live/count?environment=staging", acme.ownerKey()));
        assertThat(restCount.get("count").asLong()).isEqualTo(2);

        GetLiveRunsByDimensionResponse byModel = client.activity().getLiveRunsByDimension(
                GetLiveRunsByDimensionRequest.newBuilder().setDimension(Dimension.MODEL).build());
        assertThat(byModel.getTotalRuns()).isEqualTo(6);
        assertThat(byModel.getBucketsList()).extracting(b -> b.getValue() + "=" + b.getRuns())
                .containsExactly("gpt-4o=3", "gpt-4o-mini=3");
        JsonNode byFeature = ok(server.get("/api/v1/activity/runs/live/by-dimension?dimension=FEATURE&limit=1",
                                           acme.ownerKey()));
        assertThat(byFeature.get("buckets")).hasSize(1);
        assertThat(byFeature.get("total_runs").asLong()).isEqualTo(6);
        JsonNode byUser = ok(server.get("/api/v1/activity/runs/live/by-dimension?dimension=USER&environment=staging",
                                        acme.ownerKey()));
        assertThat(byUser.get("total_runs").asLong()).isEqualTo(2);
    }

    // ---- isolation and bad input ------------------------------------------------------

    @Test
    void anotherTenantsRunsAreNotFound() {
        for (String path : List.of("/api/v1/activity/runs/secret-run", "/api/v1/activity/runs/secret-live",
                                   "/api/v1/activity/runs/secret-run/traces")) {
            Reply r = server.get(path, acme.ownerKey());
            assertThat(r.status()).as(path).isEqualTo(404);
        }
        assertThatThrownBy(() -> client.activity().getRun(GetRunRequest.newBuilder().setRunId("secret-run").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
        assertThat(client.activity().listCompletedRuns(ListCompletedRunsRequest.newBuilder().setPageSize(1000).build())
                .getRunsList()).noneMatch(r -> r.getRunId().startsWith("secret"));
        assertThat(client.activity().listLiveRuns(ListLiveRunsRequest.getDefaultInstance()).getRunsList())
                .noneMatch(r -> r.getRunId().startsWith("secret"));
    }

    @Test
    void badInputIsA400NamingTheField() {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("/api/v1/activity/runs/completed?page_size=5000", "page_size");
        cases.put("/api/v1/activity/runs/completed?page_size=-1", "page_size");
        cases.put("/api/v1/activity/runs/completed?page_token=garbage", "page_token");
        cases.put("/api/v1/activity/runs/live?page_token=djF8MXwyfDM", "page_token");
        cases.put("/api/v1/activity/runs/completed?status=RUNNING", "status");
        cases.put("/api/v1/activity/runs/completed?start_time=2026-01-02T00:00:00Z&end_time=2026-01-01T00:00:00Z",
                  "end_time");
        cases.put("/api/v1/activity/runs/completed/by-dimension", "dimension");
        cases.put("/api/v1/activity/runs/completed/by-dimension?dimension=COLOUR", "dimension");
        cases.put("/api/v1/activity/runs/completed/by-dimension?dimension=MODEL&limit=5000", "limit");
        cases.put("/api/v1/activity/runs/live/by-dimension?dimension=STATUS", "dimension");
        cases.put("/api/v1/activity/runs/completed/summary?start_time=2026-01-02T00:00:00Z&end_time=2026-01-01T00:00:00Z",
                  "end_time");
        cases.put("/api/v1/activity/runs/bad%20id", "run_id");
        cases.put("/api/v1/activity/runs/run-007/traces?page_token=zzz", "page_token");
        cases.put("/api/v1/activity/runs/completed?model=" + "m".repeat(300), "model");
        cases.forEach((path, field) -> {
            Reply r = server.get(path, acme.ownerKey());
            assertThat(r.status()).as(path + " " + r).isEqualTo(400);
            assertThat(r.json().get("message").asText()).as(path).startsWith(field);
        });
    }

    static JsonNode ok(Reply r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }
}
