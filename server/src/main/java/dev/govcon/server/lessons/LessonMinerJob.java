package dev.govcon.server.lessons;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.google.protobuf.Message;

import dev.govcon.proto.v1.LimitSimulation;
import dev.govcon.proto.v1.PolicyLimit;
import dev.govcon.server.db.Database;
import dev.govcon.server.jobs.Job;
import dev.govcon.server.jobs.JobContext;
import dev.govcon.server.policies.ProposalControls;

/**
 * "lesson-miner", hourly, one replica at a time: per tenant, mines lessons ({@link LessonMiner}),
 * stores each under its key (a lesson found again is refreshed, not duplicated) and gives each
 * lesson that proposes a control its one proposal. A proposed limit's simulated effect over the
 * lesson's window is computed once, when the proposal is created. Returns lessons written.
 */
public final class LessonMinerJob implements Job {
    public static final String NAME = "lesson-miner";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Mines lessons from violations, incidents and spend, and proposes controls";
    }

    @Override
    public Duration interval() {
        return Duration.ofHours(1);
    }

    @Override
    public long run(JobContext context) {
        Database db = context.database();
        Instant now = context.clock().instant();
        ProposalControls controls = new ProposalControls(db, context.clock());
        long written = 0;
        for (UUID tenantId : db.read(s -> s.getMapper(LessonMapper.class).tenantIds())) {
            written += runTenant(db, controls, tenantId, now);
        }
        return written;
    }

    static long runTenant(Database db, ProposalControls controls, UUID tenantId, Instant now) {
        List<Finding> findings = db.read(s -> LessonMiner.mine(s, tenantId, now));
        if (findings.isEmpty()) {
            return 0;
        }
        // Lessons first; then only lessons still without a proposal pay for a simulation.
        List<LessonRow> stored = db.inTransaction(s -> {
            LessonMapper m = s.getMapper(LessonMapper.class);
            List<LessonRow> out = new ArrayList<>();
            for (Finding f : findings) {
                UUID id = m.upsert(f.lesson());
                out.add(m.find(tenantId, id, now));
            }
            return out;
        });
        List<ProposalRow> proposals = new ArrayList<>();
        for (int i = 0; i < findings.size(); i++) {
            Finding f = findings.get(i);
            LessonRow lesson = stored.get(i);
            if (f.proposed() == null || lesson.proposalId() != null) {
                continue;
            }
            proposals.add(proposal(controls, lesson, f, now));
        }
        if (!proposals.isEmpty()) {
            db.inTransaction(s -> {
                proposals.forEach(p -> s.getMapper(LessonMapper.class).insertProposal(p));
                return null;
            });
        }
        return findings.size();
    }

    private static ProposalRow proposal(ProposalControls controls, LessonRow lesson, Finding f, Instant now) {
        Message proposed = f.proposed();
        String simulated = null;
        String kind = "RULE";
        if (proposed instanceof PolicyLimit limit) {
            kind = "LIMIT";
            LimitSimulation sim = controls.simulate(lesson.tenantId(), limit, lesson.evidenceStart(),
                                                    lesson.evidenceEnd());
            simulated = LessonProtos.json(sim);
        }
        return new ProposalRow(lesson.tenantId(), UUID.randomUUID(), lesson.lessonId(), f.proposalTitle(),
                               f.rationale(), "PENDING", kind, LessonProtos.json(proposed), simulated, now, null, "",
                               "", "", null, "", "");
    }
}
