package dev.govcon.server.incidents;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.ibatis.session.SqlSession;

import dev.govcon.proto.v1.Scope;
import dev.govcon.server.jobs.Job;
import dev.govcon.server.jobs.JobContext;

/**
 * "incident-engine", every minute, on one replica at a time: per tenant, in one transaction,
 * turns what happened since the last run into incidents (see {@link IncidentWriter} for
 * deduplication and escalation):
 * <ul>
 * <li><b>BLOCK violations</b>: each one is an occurrence, severity HIGH, cause
 *     {@code limit_exceeded:<id>} or {@code rule_violated:<id>}, scope = the control's scope.
 * <li><b>WARN violations</b>: {@value #WARN_REPEATS} of the same control within
 *     {@link #WARN_WINDOW} open an incident (severity MEDIUM, cause {@code limit_warning:<id>}
 *     or {@code rule_warning:<id>}); while it is open every further WARN joins it. A lone WARN
 *     stays unlinked.
 * <li><b>Signals</b> of severity HIGH or above not yet linked: each one is an occurrence with
 *     the signal's severity, cause {@code signal:<type>} (plus the limit for BUDGET_BURN), scope
 *     = its dimension; the signal row gets the incident id.
 * <li><b>Failed job runs</b>: each FAILED run is an occurrence of {@code job_failing:<job>},
 *     severity MEDIUM. Jobs are server-wide, so every tenant gets the incident (the tenant's
 *     console reads what the job keeps up to date).
 * <li><b>Auto-resolve</b>: when the tenant set {@code incident_auto_resolve_after}, an open
 *     incident with no occurrence for that long is resolved by the engine (AUTO_RESOLVED).
 * </ul>
 * Violations are read from the tenant's watermark minus {@link #WARN_WINDOW} (so violations
 * written late by the guard's batches, and WARNs still below the threshold, are seen again);
 * linked ones are skipped. At most {@value #BATCH} rows of each source per tenant and run.
 */
public final class IncidentEngineJob implements Job {
    public static final String NAME = IncidentWriter.ENGINE;
    static final Duration INTERVAL = Duration.ofMinutes(1);
    static final int WARN_REPEATS = 3;
    static final Duration WARN_WINDOW = Duration.ofHours(1);
    static final int BATCH = 5000;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Opens incidents from violations, high signals and failing jobs; auto-resolves quiet ones";
    }

    @Override
    public Duration interval() {
        return INTERVAL;
    }

    @Override
    public long run(JobContext context) {
        List<UUID> tenants = context.database().read(s -> s.getMapper(IncidentMapper.class).tenantIds());
        Instant now = context.clock().instant();
        long handled = 0;
        for (UUID tenantId : tenants) {
            handled += context.database().inTransaction(s -> runTenant(s, tenantId, now));
        }
        return handled;
    }

    static long runTenant(SqlSession s, UUID tenantId, Instant now) {
        return violations(s, tenantId, now) + signals(s, tenantId, now) + jobs(s, tenantId, now)
               + autoResolve(s, tenantId, now);
    }

    private static Instant watermark(IncidentMapper m, UUID tenantId, String source) {
        Instant w = m.watermark(tenantId, source);
        return w != null ? w : m.tenantCreatedAt(tenantId);
    }

    private static long violations(SqlSession s, UUID tenantId, Instant now) {
        IncidentMapper m = s.getMapper(IncidentMapper.class);
        Instant mark = watermark(m, tenantId, "VIOLATION");
        List<ViolationCause> found = m.unlinkedViolations(tenantId, mark.minus(WARN_WINDOW), BATCH);
        long handled = 0;
        Map<String, List<ViolationCause>> warnings = new LinkedHashMap<>();
        for (ViolationCause v : found) {
            if (v.action().equals("BLOCK")) {
                link(s, tenantId, v, occurrence(v), now);
                handled++;
            } else {
                warnings.computeIfAbsent(occurrence(v).fingerprint(), k -> new ArrayList<>()).add(v);
            }
            mark = v.occurredAt().isAfter(mark) ? v.occurredAt() : mark;
        }
        for (Map.Entry<String, List<ViolationCause>> group : warnings.entrySet()) {
            boolean open = m.lockOpen(tenantId, group.getKey()) != null;
            Deque<ViolationCause> pending = new ArrayDeque<>();
            for (ViolationCause v : group.getValue()) {
                if (open) {
                    link(s, tenantId, v, occurrence(v), now);
                    handled++;
                    continue;
                }
                pending.addLast(v);
                while (!pending.peekFirst().occurredAt().isAfter(v.occurredAt().minus(WARN_WINDOW))) {
                    pending.removeFirst();
                }
                if (pending.size() >= WARN_REPEATS) {
                    for (ViolationCause p : pending) {
                        link(s, tenantId, p, occurrence(p), now);
                        handled++;
                    }
                    pending.clear();
                    open = true;
                }
            }
        }
        m.setWatermark(tenantId, "VIOLATION", mark);
        return handled;
    }

    private static void link(SqlSession s, UUID tenantId, ViolationCause v, Occurrence o, Instant now) {
        UUID incident = IncidentWriter.record(s, tenantId, o, now);
        s.getMapper(IncidentMapper.class).linkViolation(tenantId, v.violationId(), incident);
    }

    static Occurrence occurrence(ViolationCause v) {
        boolean block = v.action().equals("BLOCK");
        boolean limit = v.controlKind().equals("LIMIT");
        String cause = (limit ? (block ? "limit_exceeded:" : "limit_warning:")
                              : (block ? "rule_violated:" : "rule_warning:")) + v.controlId();
        Scope scope = IncidentProtos.scope(v.scopeFeature(), v.scopeModel(), v.scopeEndUser(), v.scopeApiKeyId(),
                                           v.scopeProvider(), v.scopeEnvironment());
        String name = v.controlName().isEmpty() ? v.controlType() : v.controlName();
        String title = block ? (limit ? "Limit exceeded: " : "Rule violated: ") + name
                             : "Repeated warnings: " + name;
        String description = v.message().isEmpty()
                ? (block ? "A call was blocked by " : "A call was warned by ") + name
                : v.message();
        return new Occurrence(cause, title, description, "VIOLATION", v.controlId().toString(), scope,
                              block ? "HIGH" : "MEDIUM", v.occurredAt(), v.violationId().toString(), v.runId());
    }

    private static long signals(SqlSession s, UUID tenantId, Instant now) {
        IncidentMapper m = s.getMapper(IncidentMapper.class);
        List<SignalCause> found = m.unlinkedSignals(tenantId, BATCH);
        for (SignalCause sig : found) {
            UUID incident = IncidentWriter.record(s, tenantId, occurrence(sig), now);
            m.linkSignal(tenantId, sig.signalId(), incident);
        }
        return found.size();
    }

    static Occurrence occurrence(SignalCause sig) {
        String cause = "signal:" + sig.signalType() + (sig.limitId() == null ? "" : ":" + sig.limitId());
        String key = sig.dimensionKey();
        Scope.Builder scope = Scope.newBuilder();
        switch (sig.dimension()) {
            case "FEATURE" -> scope.setFeature(key);
            case "MODEL" -> scope.setModel(key);
            case "PROVIDER" -> scope.setProvider(key);
            default -> { }
        }
        String what = sig.signalType().toLowerCase().replace('_', ' ');
        String title = Character.toUpperCase(what.charAt(0)) + what.substring(1)
                       + (key.isEmpty() ? "" : " on " + sig.dimension().toLowerCase() + " " + key);
        return new Occurrence(cause, title, sig.message().isEmpty() ? title : sig.message(), "SIGNAL",
                              sig.signalId().toString(), scope.build(), sig.severity(), sig.lastSeenAt(),
                              sig.signalId().toString(), "");
    }

    private static long jobs(SqlSession s, UUID tenantId, Instant now) {
        IncidentMapper m = s.getMapper(IncidentMapper.class);
        Instant mark = watermark(m, tenantId, "JOB");
        List<JobFailure> failures = m.failedJobRuns(mark, BATCH);
        for (JobFailure f : failures) {
            IncidentWriter.record(s, tenantId, occurrence(f), now);
            mark = f.finishedAt().isAfter(mark) ? f.finishedAt() : mark;
        }
        m.setWatermark(tenantId, "JOB", mark);
        return failures.size();
    }

    static Occurrence occurrence(JobFailure f) {
        return new Occurrence("job_failing:" + f.jobName(), "Background job failing: " + f.jobName(),
                              f.error().isEmpty() ? "The job " + f.jobName() + " failed" : f.error(), "JOB",
                              f.jobName(), Scope.getDefaultInstance(), "MEDIUM", f.finishedAt(),
                              f.runId().toString(), "");
    }

    private static long autoResolve(SqlSession s, UUID tenantId, Instant now) {
        List<IncidentRow> quiet = s.getMapper(IncidentMapper.class).quietOpen(tenantId, now);
        for (IncidentRow row : quiet) {
            IncidentWriter.resolve(s, row, IncidentWriter.ENGINE_ACTOR,
                                   "auto-resolved: no occurrence since " + row.lastOccurrenceAt(), true, now);
        }
        return quiet.size();
    }
}
