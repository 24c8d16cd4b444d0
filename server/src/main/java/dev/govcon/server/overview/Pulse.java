package dev.govcon.server.overview;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.govcon.proto.v1.GetPulseResponse;
import dev.govcon.proto.v1.JobHealth;
import dev.govcon.proto.v1.JobHealthState;
import dev.govcon.proto.v1.LimitUsage;
import dev.govcon.proto.v1.PulseReason;
import dev.govcon.server.auth.Principal;
import dev.govcon.server.db.Database;
import dev.govcon.server.jobs.JobsReads;
import dev.govcon.server.policies.LimitUsages;
import dev.govcon.server.policies.PolicyLimitRow;
import dev.govcon.server.wire.Times;

/** GetPulse: reads {@link PulseFacts} and applies {@link PulseRules}. */
final class Pulse {
    private final Database database;
    private final Clock clock;
    private final JobsReads jobs;

    Pulse(Database database, Clock clock, JobsReads jobs) {
        this.database = database;
        this.clock = clock;
        this.jobs = jobs;
    }

    GetPulseResponse get(Principal caller) {
        PulseFacts facts = facts(caller.tenantId());
        List<PulseReason> reasons = PulseRules.reasons(facts);
        return GetPulseResponse.newBuilder()
                .setState(PulseRules.state(reasons))
                .addAllReasons(reasons)
                .setAsOf(Times.ts(facts.now()))
                .build();
    }

    PulseFacts facts(UUID tenantId) {
        Instant now = clock.instant();
        List<PulseFacts.UnhealthyJob> unhealthy = jobs.health().getJobsList().stream()
                .filter(j -> j.getState() == JobHealthState.JOB_UNHEALTHY && j.hasUnhealthySince())
                .map(Pulse::unhealthyJob)
                .toList();
        return database.read(s -> {
            OverviewMapper m = s.getMapper(OverviewMapper.class);
            List<PolicyLimitRow> limits = m.activeLimitRows(tenantId);
            Map<UUID, LimitUsage> usage = LimitUsages.of(s, tenantId, limits, now);
            List<PulseFacts.LimitState> states = limits.stream()
                    .map(l -> {
                        LimitUsage u = usage.get(l.limitId());
                        return new PulseFacts.LimitState(l.limitId(), l.name(), l.limitKind(), u.getUsedRatio(),
                                                         u.getExhausted());
                    })
                    .toList();
            return new PulseFacts(now, m.openIncidents(tenantId), states, unhealthy, m.openHighSignals(tenantId));
        });
    }

    private static PulseFacts.UnhealthyJob unhealthyJob(JobHealth j) {
        return new PulseFacts.UnhealthyJob(j.getJobName(), Times.instant(j.getUnhealthySince()), j.getReason());
    }
}
