package dev.govcon.server.lessons;

import java.util.Arrays;
import java.util.List;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;

import dev.govcon.proto.v1.Actor;
import dev.govcon.proto.v1.Lesson;
import dev.govcon.proto.v1.LessonEvidence;
import dev.govcon.proto.v1.LessonFact;
import dev.govcon.proto.v1.LessonKind;
import dev.govcon.proto.v1.LimitSimulation;
import dev.govcon.proto.v1.PolicyKind;
import dev.govcon.proto.v1.PolicyLimit;
import dev.govcon.proto.v1.PolicyProposal;
import dev.govcon.proto.v1.PolicyProposalStatus;
import dev.govcon.proto.v1.PolicyRule;
import dev.govcon.proto.v1.Scope;
import dev.govcon.proto.v1.Severity;
import dev.govcon.server.wire.Times;

/** Rows of {@code lessons} and {@code policy_proposals} as proto messages, and their JSON columns. */
final class LessonProtos {
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();
    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

    private LessonProtos() {
    }

    static Lesson lesson(LessonRow r) {
        LessonEvidence.Builder evidence = LessonEvidence.newBuilder()
                .setStartTime(Times.ts(r.evidenceStart())).setEndTime(Times.ts(r.evidenceEnd()))
                .addAllIncidentIds(list(r.incidentIds())).addAllViolationIds(list(r.violationIds()))
                .addAllFacts(facts(r.factsJson()));
        Lesson.Builder b = Lesson.newBuilder()
                .setId(r.lessonId().toString())
                .setKind(LessonKind.valueOf("LESSON_KIND_" + r.kind()))
                .setTitle(r.title())
                .setSummary(r.summary())
                .setScope(Scope.newBuilder().setFeature(r.scopeFeature()).setModel(r.scopeModel())
                                  .setEndUser(r.scopeEndUser()).setApiKeyId(r.scopeApiKeyId())
                                  .setProvider(r.scopeProvider()).setEnvironment(r.scopeEnvironment()))
                .setSeverity(Severity.valueOf(r.severity()))
                .setControlId(r.controlId())
                .setFirstDetectedTime(Times.ts(r.firstDetectedAt()))
                .setLastDetectedTime(Times.ts(r.lastDetectedAt()))
                .setEvidence(evidence);
        if (r.proposalId() != null) {
            b.setProposalId(r.proposalId().toString()).setProposalStatus(status(r.proposalState()));
        }
        return b.build();
    }

    static PolicyProposal proposal(ProposalRow r) {
        PolicyProposal.Builder b = PolicyProposal.newBuilder()
                .setId(r.proposalId().toString())
                .setLessonId(r.lessonId().toString())
                .setTitle(r.title())
                .setRationale(r.rationale())
                .setStatus(status(r.state()))
                .setKind(PolicyKind.valueOf("POLICY_KIND_" + r.kind()))
                .setCreateTime(Times.ts(r.createdAt()))
                .setDecisionNote(r.decisionNote())
                .setCreatedControlId(r.createdControlId());
        if (r.kind().equals("RULE")) {
            b.setRule(parse(r.proposedJson(), PolicyRule.newBuilder(), PolicyRule.class));
        } else {
            b.setLimit(parse(r.proposedJson(), PolicyLimit.newBuilder(), PolicyLimit.class));
        }
        if (r.simulatedEffectJson() != null) {
            b.setSimulatedEffect(parse(r.simulatedEffectJson(), LimitSimulation.newBuilder(), LimitSimulation.class));
        }
        if (r.state().equals("DEFERRED") && r.deferredUntil() != null) {
            b.setDeferredUntil(Times.ts(r.deferredUntil()));
        }
        if (r.decidedAt() != null) {
            b.setDecideTime(Times.ts(r.decidedAt())).setDecidedBy(Actor.newBuilder()
                    .setType(Actor.Type.valueOf(r.decidedByType())).setId(r.decidedById())
                    .setLabel(r.decidedByLabel()));
        }
        return b.build();
    }

    static PolicyProposalStatus status(String state) {
        return PolicyProposalStatus.valueOf("POLICY_PROPOSAL_STATUS_" + state);
    }

    static String json(Message m) {
        try {
            return PRINTER.print(m);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    static String factsJson(List<LessonFact> facts) {
        return facts.stream().map(LessonProtos::json).reduce((a, b) -> a + "," + b).map(s -> "[" + s + "]")
                .orElse("[]");
    }

    static List<LessonFact> facts(String json) {
        return parse("{\"facts\":" + (json == null ? "[]" : json) + "}", LessonEvidence.newBuilder(),
                     LessonEvidence.class).getFactsList();
    }

    private static <T extends Message> T parse(String json, Message.Builder builder, Class<T> type) {
        try {
            PARSER.merge(json, builder);
            return type.cast(builder.build());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("stored JSON does not parse: " + json, e);
        }
    }

    private static List<String> list(String[] values) {
        return values == null ? List.of() : Arrays.asList(values);
    }
}
