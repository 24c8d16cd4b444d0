package dev.govcon.server.activity;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import org.apache.ibatis.session.SqlSession;

import dev.govcon.proto.v1.Dimension;
import dev.govcon.proto.v1.DimensionBucket;
import dev.govcon.proto.v1.GetCompletedRunsByDimensionRequest;
import dev.govcon.proto.v1.GetCompletedRunsByDimensionResponse;
import dev.govcon.proto.v1.GetCompletedRunsSummaryRequest;
import dev.govcon.proto.v1.GetCompletedRunsSummaryResponse;
import dev.govcon.proto.v1.GetLiveRunCountRequest;
import dev.govcon.proto.v1.GetLiveRunCountResponse;
import dev.govcon.proto.v1.GetLiveRunsByDimensionRequest;
import dev.govcon.proto.v1.GetLiveRunsByDimensionResponse;
import dev.govcon.proto.v1.ListCompletedRunsRequest;
import dev.govcon.proto.v1.ListCompletedRunsResponse;
import dev.govcon.proto.v1.ListLiveRunsRequest;
import dev.govcon.proto.v1.ListLiveRunsResponse;
import dev.govcon.proto.v1.ListRunTracesRequest;
import dev.govcon.proto.v1.ListRunTracesResponse;
import dev.govcon.proto.v1.Run;
import dev.govcon.proto.v1.RunDimensionGroup;
import dev.govcon.proto.v1.RunStatus;
import dev.govcon.server.analytics.RollupPlan;
import dev.govcon.server.auth.Principal;
import dev.govcon.server.db.Database;
import dev.govcon.server.errors.Errors;
import dev.govcon.server.errors.Validate;
import dev.govcon.server.paging.Cursors;
import dev.govcon.server.paging.Page;
import dev.govcon.server.wire.Times;

/**
 * The read side of runs. Live runs come from {@code runs}, finished ones from
 * {@code llm_run_records}; aggregates come from {@code run_rollups_hourly} (whole hours: a
 * window is widened to the hours it overlaps), except by USER, which the rollups do not keep
 * and is aggregated from the run records of the same hours.
 */
public final class ActivityReads {
    public static final Duration DEFAULT_WINDOW = Duration.ofHours(24);
    public static final int DEFAULT_GROUPS = 20;
    public static final int MAX_GROUPS = 1000;
    static final int MAX_FILTER = 256;
    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private final Database database;
    private final Clock clock;

    public ActivityReads(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    // ---- live -------------------------------------------------------------------------

    ListLiveRunsResponse listLive(Principal caller, ListLiveRunsRequest req) {
        int size = Page.size(req.getPageSize());
        Cursors.TimeKey after = Cursors.timeKey(req.getPageToken());
        RunFilter f = new RunFilter(null, null, filter("model", req.getModel()),
                filter("provider", req.getProvider()), filter("feature", req.getFeature()), null,
                filter("end_user", req.getEndUser()), filter("environment", req.getEnvironment()),
                filter("integration_id", req.getIntegrationId()), null,
                after == null ? null : after.at(), after == null ? null : after.key(), size + 1);
        List<RunRow> rows = database.read(s -> s.getMapper(ActivityReadMapper.class).liveRuns(caller.tenantId(), f));
        ListLiveRunsResponse.Builder out = ListLiveRunsResponse.newBuilder();
        rows.stream().limit(size).forEach(r -> out.addRuns(RunProtos.run(r)));
        out.setNextPageToken(Page.nextToken(rows, size, last -> new Cursors.TimeKey(last.startTime(), last.runId()).encode()));
        return out.build();
    }

    GetLiveRunsByDimensionResponse liveByDimension(Principal caller, GetLiveRunsByDimensionRequest req) {
        Dimension dimension = Validate.enumValue("dimension", req.getDimension(), true);
        String column = switch (dimension) {
            case MODEL -> "model";
            case PROVIDER -> "provider";
            case FEATURE -> "feature";
            case USER -> "end_user";
            case ENVIRONMENT -> "environment";
            default -> throw Errors.invalid("dimension", "must be one of MODEL, PROVIDER, FEATURE, USER, ENVIRONMENT");
        };
        int limit = limit(req.getLimit());
        String environment = filter("environment", req.getEnvironment());
        Instant now = clock.instant();
        return database.read(s -> {
            ActivityReadMapper m = s.getMapper(ActivityReadMapper.class);
            GetLiveRunsByDimensionResponse.Builder out = GetLiveRunsByDimensionResponse.newBuilder()
                    .setDimension(dimension).setAsOf(Times.ts(now));
            for (LiveBucketRow b : m.liveByColumn(caller.tenantId(), column, environment, limit)) {
                out.addBuckets(DimensionBucket.newBuilder().setValue(b.value()).setRuns(b.runs()));
            }
            out.setTotalRuns(m.liveTotal(caller.tenantId(), environment).runs());
            return out.build();
        });
    }

    GetLiveRunCountResponse liveCount(Principal caller, GetLiveRunCountRequest req) {
        String environment = filter("environment", req.getEnvironment());
        Instant now = clock.instant();
        LiveBucketRow total = database.read(s -> s.getMapper(ActivityReadMapper.class)
                .liveTotal(caller.tenantId(), environment));
        GetLiveRunCountResponse.Builder out = GetLiveRunCountResponse.newBuilder()
                .setCount(total.runs()).setAsOf(Times.ts(now));
        Times.setIfPresent(total.oldestStart(), out::setOldestStartTime);
        return out.build();
    }

    // ---- finished ---------------------------------------------------------------------

    ListCompletedRunsResponse listCompleted(Principal caller, ListCompletedRunsRequest req) {
        int size = Page.size(req.getPageSize());
        Cursors.TimeKey after = Cursors.timeKey(req.getPageToken());
        TimeWindow w = TimeWindow.of(req.hasStartTime(), req.getStartTime(), req.hasEndTime(), req.getEndTime(),
                                     DEFAULT_WINDOW, clock);
        RunFilter f = new RunFilter(w.start(), w.end(), filter("model", req.getModel()),
                filter("provider", req.getProvider()), filter("feature", req.getFeature()),
                finishedStatus(req.getStatus()), filter("end_user", req.getEndUser()),
                filter("environment", req.getEnvironment()), filter("integration_id", req.getIntegrationId()),
                null, after == null ? null : after.at(), after == null ? null : after.key(), size + 1);
        ListCompletedRunsResponse.Builder out = ListCompletedRunsResponse.newBuilder();
        List<RunRow> rows = records(caller.tenantId(), f);
        rows.stream().limit(size).forEach(r -> out.addRuns(RunProtos.run(r)));
        out.setNextPageToken(Page.nextToken(rows, size, ActivityReads::nextToken));
        return out.build();
    }

    /** Run records newest end first, for {@link ActivityReads} and the Logs domain. */
    public List<RunRow> records(UUID tenantId, RunFilter f) {
        return database.read(s -> s.getMapper(ActivityReadMapper.class).records(tenantId, f));
    }

    public static String nextToken(RunRow last) {
        return new Cursors.TimeKey(last.endTime(), last.runId()).encode();
    }

    /** Whole local days the daily job folded come from the daily rollups, the other hours from the hourly ones. */
    private static RollupPlan plan(SqlSession s, Principal caller, TimeWindow w) {
        return RollupPlan.forTenant(s, caller.tenantId(), w.start(), w.end());
    }

    GetCompletedRunsByDimensionResponse completedByDimension(Principal caller, GetCompletedRunsByDimensionRequest req) {
        Dimension dimension = Validate.enumValue("dimension", req.getDimension(), true);
        int limit = limit(req.getLimit());
        TimeWindow w = TimeWindow.of(req.hasStartTime(), req.getStartTime(), req.hasEndTime(), req.getEndTime(),
                                     DEFAULT_WINDOW, clock).toHours();
        RunFilter f = new RunFilter(w.start(), w.end(), filter("model", req.getModel()),
                filter("provider", req.getProvider()), filter("feature", req.getFeature()),
                finishedStatus(req.getStatus()), null, filter("environment", req.getEnvironment()),
                null, null, null, null, 0);
        List<GroupRow> groups = database.read(s -> {
            ActivityReadMapper m = s.getMapper(ActivityReadMapper.class);
            return switch (dimension) {
                case MODEL -> m.rollupGroups(caller.tenantId(), "r.model", f, plan(s, caller, w));
                case PROVIDER -> m.rollupGroups(caller.tenantId(), "r.provider", f, plan(s, caller, w));
                case FEATURE -> m.rollupGroups(caller.tenantId(), "r.feature", f, plan(s, caller, w));
                case ENVIRONMENT -> m.rollupGroups(caller.tenantId(), "r.environment", f, plan(s, caller, w));
                case STATUS -> m.rollupGroups(caller.tenantId(), "r.status", f, plan(s, caller, w));
                case USER -> m.recordGroups(caller.tenantId(), "r.end_user", f, LatencyHistogram.ranges());
                default -> throw Errors.invalid("dimension", "is not a known value");
            };
        });
        long totalCost = groups.stream().mapToLong(GroupRow::costMicros).sum();
        GetCompletedRunsByDimensionResponse.Builder out = GetCompletedRunsByDimensionResponse.newBuilder()
                .setDimension(dimension);
        groups.stream().limit(limit).forEach(g -> out.addGroups(group(g.value(), List.of(g), totalCost)));
        if (groups.size() > limit) {
            out.setOther(group("", groups.subList(limit, groups.size()), totalCost));
        }
        return out.build();
    }

    GetCompletedRunsSummaryResponse summary(Principal caller, GetCompletedRunsSummaryRequest req) {
        TimeWindow w = TimeWindow.of(req.hasStartTime(), req.getStartTime(), req.hasEndTime(), req.getEndTime(),
                                     DEFAULT_WINDOW, clock).toHours();
        RunFilter f = new RunFilter(w.start(), w.end(), filter("model", req.getModel()),
                filter("provider", req.getProvider()), filter("feature", req.getFeature()), null, null,
                filter("environment", req.getEnvironment()), null, null, null, null, 0);
        List<GroupRow> rows = database.read(s -> s.getMapper(ActivityReadMapper.class)
                .rollupGroups(caller.tenantId(), "''", f, plan(s, caller, w)));
        GetCompletedRunsSummaryResponse.Builder out = GetCompletedRunsSummaryResponse.newBuilder()
                .setStartTime(Times.ts(w.start())).setEndTime(Times.ts(w.end()));
        if (rows.isEmpty()) {
            return out.build();
        }
        GroupRow g = rows.get(0);
        LatencyHistogram h = g.latency();
        return out.setRuns(g.runs())
                .setSucceededRuns(g.succeededRuns())
                .setFailedRuns(g.failedRuns())
                .setBlockedRuns(g.blockedRuns())
                .setCancelledRuns(g.cancelledRuns())
                .setTimedOutRuns(g.timedOutRuns())
                .setSuccessRate(ratio(g.succeededRuns(), g.runs()))
                .setInputTokens(g.inputTokens())
                .setOutputTokens(g.outputTokens())
                .setCachedInputTokens(g.cachedInputTokens())
                .setCacheWriteTokens(g.cacheWriteTokens())
                .setReasoningTokens(g.reasoningTokens())
                .setCostMicros(g.costMicros())
                .setAvgCostPerRunMicros(g.runs() == 0 ? 0 : g.costMicros() / g.runs())
                .setP50LatencyMs(Math.min(h.percentile(0.50), g.latencyMsMax()))
                .setP95LatencyMs(Math.min(h.percentile(0.95), g.latencyMsMax()))
                .setCostUnknownRuns(g.costUnknownRuns())
                .build();
    }

    private static RunDimensionGroup group(String value, List<GroupRow> rows, long totalCost) {
        long runs = 0;
        long succeeded = 0;
        long input = 0;
        long output = 0;
        long tokens = 0;
        long cost = 0;
        long slowest = 0;
        LatencyHistogram h = new LatencyHistogram();
        for (GroupRow g : rows) {
            slowest = Math.max(slowest, g.latencyMsMax());
            runs += g.runs();
            succeeded += g.succeededRuns();
            input += g.inputTokens();
            output += g.outputTokens();
            tokens += g.totalTokens();
            cost += g.costMicros();
            h = h.plus(g.latency());
        }
        return RunDimensionGroup.newBuilder()
                .setValue(value == null ? "" : value)
                .setRuns(runs)
                .setSucceededRuns(succeeded)
                .setSuccessRate(ratio(succeeded, runs))
                .setInputTokens(input)
                .setOutputTokens(output)
                .setTotalTokens(tokens)
                .setCostMicros(cost)
                // Interpolation inside a bucket can overshoot the slowest run; never report more.
                .setP50LatencyMs(Math.min(h.percentile(0.50), slowest))
                .setP95LatencyMs(Math.min(h.percentile(0.95), slowest))
                .setCostShareRatio(ratio(cost, totalCost))
                .build();
    }

    // ---- one run ----------------------------------------------------------------------

    /** A run as recorded (or live), by the client's run id; NOT_FOUND otherwise. */
    public Run getRun(Principal caller, String runIdText) {
        String runId = runId(runIdText);
        return database.read(s -> {
            ActivityReadMapper m = s.getMapper(ActivityReadMapper.class);
            RunRow row = m.recordByRunId(caller.tenantId(), runId);
            if (row == null) {
                row = m.liveRun(caller.tenantId(), runId);
            }
            if (row == null) {
                throw Errors.notFound("run", runId);
            }
            return RunProtos.run(row);
        });
    }

    ListRunTracesResponse traces(Principal caller, ListRunTracesRequest req) {
        String runId = runId(req.getRunId());
        int size = Page.size(req.getPageSize());
        Long after = Cursors.number(req.getPageToken());
        return database.read(s -> {
            ActivityReadMapper m = s.getMapper(ActivityReadMapper.class);
            if (!m.traceExists(caller.tenantId(), runId) && m.recordByRunId(caller.tenantId(), runId) == null
                && m.liveRun(caller.tenantId(), runId) == null) {
                throw Errors.notFound("run", runId);
            }
            ListRunTracesResponse.Builder out = ListRunTracesResponse.newBuilder().setRunId(runId);
            String next = steps(m, caller.tenantId(), runId, after, size, out::addSteps);
            return out.setNextPageToken(next).build();
        });
    }

    /** Adds one page of steps; answers the next page token ("" on the last page). */
    public static String steps(ActivityReadMapper m, UUID tenantId, String runId, Long after, int size,
                               java.util.function.Consumer<dev.govcon.proto.v1.TraceStep> sink) {
        List<TraceStepRow> rows = m.traceSteps(tenantId, runId, after, size + 1);
        rows.stream().limit(size).forEach(r -> sink.accept(RunProtos.step(r)));
        return rows.size() > size ? Cursors.number(rows.get(size - 1).stepIndex()) : "";
    }

    // ---- input ------------------------------------------------------------------------

    public static String filter(String field, String value) {
        return Validate.optional(field, value, MAX_FILTER);
    }

    /** UNSPECIFIED = every finished status (null); RUNNING is not a finished status. */
    public static String finishedStatus(RunStatus status) {
        RunStatus s = Validate.enumValue("status", status, false);
        if (s == RunStatus.RUN_STATUS_UNSPECIFIED) {
            return null;
        }
        if (s == RunStatus.RUNNING) {
            throw Errors.invalid("status", "RUNNING is not a finished status (live runs are under /runs/live)");
        }
        return s.name();
    }

    static String runId(String value) {
        if (value == null || value.isEmpty()) {
            throw Errors.invalid("run_id", "is required");
        }
        if (!RUN_ID.matcher(value).matches()) {
            throw Errors.invalid("run_id", "must be 1-128 characters of A-Z a-z 0-9 . _ : -");
        }
        return value;
    }

    static int limit(int requested) {
        if (requested == 0) {
            return DEFAULT_GROUPS;
        }
        if (requested < 0 || requested > MAX_GROUPS) {
            throw Errors.invalid("limit", "must be between 1 and " + MAX_GROUPS + " (0 for the default, "
                                          + DEFAULT_GROUPS + ")");
        }
        return requested;
    }

    private static double ratio(long part, long whole) {
        return whole == 0 ? 0 : (double) part / whole;
    }
}
