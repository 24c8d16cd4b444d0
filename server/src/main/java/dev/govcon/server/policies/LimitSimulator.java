package dev.govcon.server.policies;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.UUID;

import dev.govcon.proto.v1.LimitSimulation;
import dev.govcon.proto.v1.SimulateLimitRequest;
import dev.govcon.proto.v1.SimulateLimitResponse;
import dev.govcon.server.activity.TimeWindow;
import dev.govcon.server.auth.Principal;
import dev.govcon.server.db.Database;
import dev.govcon.server.errors.Errors;
import dev.govcon.server.errors.Validate;
import dev.govcon.server.tenancy.TenantMapper;
import dev.govcon.server.tenancy.TenantRow;
import dev.govcon.server.wire.Times;

/**
 * Replays a proposed limit (or a change to an existing one) over the tenant's recorded runs
 * of a window, default the last 30 days, at most 366: what it would have blocked or warned.
 *
 * <p>The rules of the replay:
 * <ul>
 * <li><b>Runs.</b> The runs replayed are the tenant's run records that the limit's scope
 *     matches ({@link ControlScope#matches}), except those recorded as BLOCKED (the guard
 *     refused them; they never ran). A run is in the window, and in a day of the series,
 *     by its end time; days are calendar days in the tenant's time zone.
 * <li><b>Usage mark.</b> Each run gets a mark in the limit's unit, "usage including this run":
 *     <ul>
 *     <li>SPEND_PER_DAY / SPEND_PER_MONTH: the cost of the runs of its calendar day / month
 *         (tenant time zone) up to and including it, in (end_time, run_id) order;
 *     <li>TOKENS_PER_DAY: the same with input + output tokens;
 *     <li>REQUESTS_PER_MINUTE: its place among the runs that started in the same UTC minute,
 *         in (start_time, run_id) order;
 *     <li>CONCURRENT_RUNS: the number of runs in flight ([start_time, end_time)) when it
 *         started, itself included (a run that ends at an instant frees its place for one
 *         starting then).
 *     </ul>
 *     Runs before the window that share a day or month with it count towards the marks
 *     (they are not reported); for the last two kinds, the runs that started from a day
 *     before the window to its end are replayed, so a run that started more than a day
 *     before the window is counted in it (runs, spend) but neither flagged nor in flight.
 * <li><b>Outcome.</b> A run is <i>over</i> when its mark exceeds the amount, <i>near</i> when
 *     warn_at_ratio is set and its mark exceeds warn_at_ratio × amount. BLOCK: over runs are
 *     blocked; WARN: over runs are warned; LOG: over runs are neither. In every case a near
 *     run that is not over is warned (the early warning).
 * <li><b>The one simplification.</b> Marks count every run, blocked or not. So once a run
 *     is blocked, every later run of the same window is blocked too, although the guard might
 *     have admitted a later, smaller call into the room left. Before the first block the
 *     replay is exact; for WARN and LOG limits, and for REQUESTS_PER_MINUTE (every run weighs
 *     one), it is exact throughout. For CONCURRENT_RUNS with BLOCK, blocked runs still count
 *     as in flight.
 * <li><b>Outputs.</b> Prevented cost and tokens are those of the blocked runs (tokens as
 *     input + output). A day or feature is affected when at least one of its runs is blocked
 *     or warned. A day's limit_reached_time is the time of its first over run (end time for
 *     spend and token limits, start time for the others). With base_limit_id, {@code current}
 *     is the existing limit replayed the same way.
 * </ul>
 * How the work is split between rollups and run records is in {@link LimitReplay}.
 */
final class LimitSimulator {
    static final Duration DEFAULT_WINDOW = Duration.ofDays(30);
    static final Duration MAX_WINDOW = Duration.ofDays(366);

    private final Database database;
    private final Clock clock;

    LimitSimulator(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    SimulateLimitResponse simulate(Principal caller, SimulateLimitRequest req) {
        TimeWindow w = TimeWindow.of(req.hasStartTime(), req.getStartTime(), req.hasEndTime(), req.getEndTime(),
                                     DEFAULT_WINDOW, clock);
        if (Duration.between(w.start(), w.end()).compareTo(MAX_WINDOW) > 0) {
            throw Errors.invalid("start_time", "must be at most " + MAX_WINDOW.toDays() + " days before end_time");
        }
        UUID baseId = Validate.optionalId("base_limit_id", req.getBaseLimitId());
        return database.read(s -> {
            SimulationMapper m = s.getMapper(SimulationMapper.class);
            m.oneSnapshot();
            LimitRow base = baseId == null ? null : m.limit(caller.tenantId(), baseId);
            if (baseId != null && base == null) {
                throw Errors.notFound("limit", baseId);
            }
            SimulatedLimit limit = SimulatedLimit.of(req.getLimit(), base);
            m.replaySettings();
            ZoneId zone = zone(s.getMapper(TenantMapper.class).find(caller.tenantId()));
            LimitReplay replay = new LimitReplay(m, caller.tenantId(), zone, w.start(), w.end());
            ReplayOutcome proposed = replay.run(limit);
            LimitSimulation.Builder sim = LimitSimulation.newBuilder()
                    .setStartTime(Times.ts(w.start())).setEndTime(Times.ts(w.end()))
                    .setLimit(limit.toProto(req.getLimit(), base))
                    .setRunsEvaluated(proposed.runs())
                    .setCostEvaluatedMicros(proposed.cost())
                    .setProposed(proposed.totals())
                    .addAllDays(proposed.series())
                    .addAllAffectedFeatures(proposed.affectedFeatures());
            if (base != null) {
                sim.setCurrent(replay.run(SimulatedLimit.of(base)).totals());
            }
            return SimulateLimitResponse.newBuilder().setSimulation(sim).build();
        });
    }

    static ZoneId zone(TenantRow tenant) {
        try {
            return tenant == null || tenant.timeZone().isEmpty() ? ZoneOffset.UTC : ZoneId.of(tenant.timeZone());
        } catch (DateTimeException e) {
            return ZoneOffset.UTC;
        }
    }
}
