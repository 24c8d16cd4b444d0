package dev.govcon.server.policies;

import java.time.Clock;

import dev.govcon.proto.v1.AcceptPolicyProposalRequest;
import dev.govcon.proto.v1.AcceptPolicyProposalResponse;
import dev.govcon.proto.v1.ApplyPolicyTemplateRequest;
import dev.govcon.proto.v1.ApplyPolicyTemplateResponse;
import dev.govcon.proto.v1.CreatePolicyLimitRequest;
import dev.govcon.proto.v1.CreatePolicyLimitResponse;
import dev.govcon.proto.v1.CreatePolicyRuleRequest;
import dev.govcon.proto.v1.CreatePolicyRuleResponse;
import dev.govcon.proto.v1.DeferPolicyProposalRequest;
import dev.govcon.proto.v1.DeferPolicyProposalResponse;
import dev.govcon.proto.v1.DeletePolicyLimitRequest;
import dev.govcon.proto.v1.DeletePolicyLimitResponse;
import dev.govcon.proto.v1.DeletePolicyRuleRequest;
import dev.govcon.proto.v1.DeletePolicyRuleResponse;
import dev.govcon.proto.v1.GetLessonRequest;
import dev.govcon.proto.v1.GetLessonStatsRequest;
import dev.govcon.proto.v1.GetLessonStatsResponse;
import dev.govcon.proto.v1.GetPoliciesByTypeRequest;
import dev.govcon.proto.v1.GetPoliciesByTypeResponse;
import dev.govcon.proto.v1.GetPolicyCoverageRequest;
import dev.govcon.proto.v1.GetPolicyCoverageResponse;
import dev.govcon.proto.v1.GetPolicyLimitRequest;
import dev.govcon.proto.v1.GetPolicyRequest;
import dev.govcon.proto.v1.GetPolicyRuleRequest;
import dev.govcon.proto.v1.GetPolicyTemplateRequest;
import dev.govcon.proto.v1.GetViolationRequest;
import dev.govcon.proto.v1.GetViolationsByLimitRequest;
import dev.govcon.proto.v1.GetViolationsByLimitResponse;
import dev.govcon.proto.v1.ListActivePoliciesRequest;
import dev.govcon.proto.v1.ListActivePoliciesResponse;
import dev.govcon.proto.v1.Lesson;
import dev.govcon.proto.v1.ListEthicalConstraintsRequest;
import dev.govcon.proto.v1.ListEthicalConstraintsResponse;
import dev.govcon.proto.v1.ListLessonsRequest;
import dev.govcon.proto.v1.ListLessonsResponse;
import dev.govcon.proto.v1.ListPolicyLimitsRequest;
import dev.govcon.proto.v1.ListPolicyLimitsResponse;
import dev.govcon.proto.v1.ListPolicyRulesRequest;
import dev.govcon.proto.v1.ListPolicyRulesResponse;
import dev.govcon.proto.v1.ListPolicyProposalsRequest;
import dev.govcon.proto.v1.ListPolicyProposalsResponse;
import dev.govcon.proto.v1.ListPolicyTemplatesRequest;
import dev.govcon.proto.v1.ListPolicyTemplatesResponse;
import dev.govcon.proto.v1.ListViolationsRequest;
import dev.govcon.proto.v1.ListViolationsResponse;
import dev.govcon.proto.v1.PoliciesServiceGrpc;
import dev.govcon.proto.v1.Policy;
import dev.govcon.proto.v1.PolicyLimit;
import dev.govcon.proto.v1.PolicyRule;
import dev.govcon.proto.v1.PolicySource;
import dev.govcon.proto.v1.PolicyTemplate;
import dev.govcon.proto.v1.PolicyViolation;
import dev.govcon.proto.v1.SimulateLimitRequest;
import dev.govcon.proto.v1.SimulateLimitResponse;
import dev.govcon.proto.v1.UpdatePolicyLimitRequest;
import dev.govcon.proto.v1.UpdatePolicyLimitResponse;
import dev.govcon.proto.v1.UpdatePolicyRuleRequest;
import dev.govcon.proto.v1.UpdatePolicyRuleResponse;
import dev.govcon.server.db.Database;
import dev.govcon.server.lessons.LessonsLogic;
import dev.govcon.server.lessons.ProposalsLogic;
import dev.govcon.server.wire.Rpc;
import io.grpc.stub.StreamObserver;

import static dev.govcon.server.auth.AuthInterceptor.principal;

/**
 * Policies domain: rules and limits (CRUD), the Governance views of them (active, detail, by
 * type, coverage), the shipped library (templates, ethical constraints), violations and limit
 * simulation; lessons and proposals are delegated to {@code dev.govcon.server.lessons}.
 */
public final class PoliciesService extends PoliciesServiceGrpc.PoliciesServiceImplBase {
    private final RulesLogic rules;
    private final LimitsLogic limits;
    private final PolicyReads reads;
    private final LibraryLogic library;
    private final ViolationsReads violations;
    private final LimitSimulator simulator;
    private final PolicyCoverage coverage;
    private final LessonsLogic lessons;
    private final ProposalsLogic proposals;

    public PoliciesService(Database database, Clock clock) {
        PolicyLibrary shipped = PolicyLibrary.shipped();
        this.rules = new RulesLogic(database, clock, new RuleChecks(shipped));
        this.limits = new LimitsLogic(database, clock);
        this.reads = new PolicyReads(database, clock);
        this.library = new LibraryLogic(database, shipped, rules, limits);
        this.violations = new ViolationsReads(database, clock);
        this.simulator = new LimitSimulator(database, clock);
        this.coverage = new PolicyCoverage(database, clock);
        this.lessons = new LessonsLogic(database, clock);
        this.proposals = new ProposalsLogic(database, clock, new ProposalControls(database, clock));
    }

    // ---- Governance -> Active ----

    @Override
    public void listActivePolicies(ListActivePoliciesRequest request, StreamObserver<ListActivePoliciesResponse> response) {
        Rpc.unary(response, () -> reads.listActive(principal(), request));
    }

    @Override
    public void getPolicy(GetPolicyRequest request, StreamObserver<Policy> response) {
        Rpc.unary(response, () -> reads.get(principal(), request.getId()));
    }

    @Override
    public void getPoliciesByType(GetPoliciesByTypeRequest request, StreamObserver<GetPoliciesByTypeResponse> response) {
        Rpc.unary(response, () -> reads.byType(principal()));
    }

    // ---- Governance -> Lessons and proposals ----

    @Override
    public void listLessons(ListLessonsRequest request, StreamObserver<ListLessonsResponse> response) {
        Rpc.unary(response, () -> lessons.list(principal(), request));
    }

    @Override
    public void getLesson(GetLessonRequest request, StreamObserver<Lesson> response) {
        Rpc.unary(response, () -> lessons.get(principal(), request.getId()));
    }

    @Override
    public void getLessonStats(GetLessonStatsRequest request, StreamObserver<GetLessonStatsResponse> response) {
        Rpc.unary(response, () -> lessons.stats(principal(), request));
    }

    @Override
    public void listPolicyProposals(ListPolicyProposalsRequest request,
                                    StreamObserver<ListPolicyProposalsResponse> response) {
        Rpc.unary(response, () -> proposals.list(principal(), request));
    }

    @Override
    public void acceptPolicyProposal(AcceptPolicyProposalRequest request,
                                     StreamObserver<AcceptPolicyProposalResponse> response) {
        Rpc.unary(response, () -> proposals.accept(principal(), request));
    }

    @Override
    public void deferPolicyProposal(DeferPolicyProposalRequest request,
                                    StreamObserver<DeferPolicyProposalResponse> response) {
        Rpc.unary(response, () -> proposals.defer(principal(), request));
    }

    // ---- Library ----

    @Override
    public void listPolicyTemplates(ListPolicyTemplatesRequest request, StreamObserver<ListPolicyTemplatesResponse> response) {
        Rpc.unary(response, () -> library.listTemplates(principal(), request));
    }

    @Override
    public void getPolicyTemplate(GetPolicyTemplateRequest request, StreamObserver<PolicyTemplate> response) {
        Rpc.unary(response, () -> library.getTemplate(principal(), request.getId()));
    }

    @Override
    public void applyPolicyTemplate(ApplyPolicyTemplateRequest request, StreamObserver<ApplyPolicyTemplateResponse> response) {
        Rpc.unary(response, () -> library.apply(principal(), request));
    }

    @Override
    public void listEthicalConstraints(ListEthicalConstraintsRequest request,
                                       StreamObserver<ListEthicalConstraintsResponse> response) {
        Rpc.unary(response, () -> library.listEthical(principal(), request));
    }

    // ---- Limits ----

    @Override
    public void listPolicyLimits(ListPolicyLimitsRequest request, StreamObserver<ListPolicyLimitsResponse> response) {
        Rpc.unary(response, () -> limits.list(principal(), request));
    }

    @Override
    public void getPolicyLimit(GetPolicyLimitRequest request, StreamObserver<PolicyLimit> response) {
        Rpc.unary(response, () -> limits.get(principal(), request.getId()));
    }

    @Override
    public void createPolicyLimit(CreatePolicyLimitRequest request, StreamObserver<CreatePolicyLimitResponse> response) {
        Rpc.unary(response, () -> CreatePolicyLimitResponse.newBuilder().setLimit(limits.create(
                principal(), request.getLimit(), PolicySource.POLICY_SOURCE_MANUAL, "", "policy_limit.created")).build());
    }

    @Override
    public void updatePolicyLimit(UpdatePolicyLimitRequest request, StreamObserver<UpdatePolicyLimitResponse> response) {
        Rpc.unary(response, () -> UpdatePolicyLimitResponse.newBuilder()
                .setLimit(limits.update(principal(), request)).build());
    }

    @Override
    public void deletePolicyLimit(DeletePolicyLimitRequest request, StreamObserver<DeletePolicyLimitResponse> response) {
        Rpc.unary(response, () -> DeletePolicyLimitResponse.newBuilder()
                .setLimit(limits.delete(principal(), request)).build());
    }

    // ---- Rules ----

    @Override
    public void listPolicyRules(ListPolicyRulesRequest request, StreamObserver<ListPolicyRulesResponse> response) {
        Rpc.unary(response, () -> rules.list(principal(), request));
    }

    @Override
    public void getPolicyRule(GetPolicyRuleRequest request, StreamObserver<PolicyRule> response) {
        Rpc.unary(response, () -> rules.get(principal(), request.getId()));
    }

    @Override
    public void createPolicyRule(CreatePolicyRuleRequest request, StreamObserver<CreatePolicyRuleResponse> response) {
        Rpc.unary(response, () -> CreatePolicyRuleResponse.newBuilder().setRule(rules.create(
                principal(), request.getRule(), PolicySource.POLICY_SOURCE_MANUAL, "", "policy_rule.created")).build());
    }

    @Override
    public void updatePolicyRule(UpdatePolicyRuleRequest request, StreamObserver<UpdatePolicyRuleResponse> response) {
        Rpc.unary(response, () -> UpdatePolicyRuleResponse.newBuilder()
                .setRule(rules.update(principal(), request)).build());
    }

    @Override
    public void deletePolicyRule(DeletePolicyRuleRequest request, StreamObserver<DeletePolicyRuleResponse> response) {
        Rpc.unary(response, () -> DeletePolicyRuleResponse.newBuilder()
                .setRule(rules.delete(principal(), request)).build());
    }

    @Override
    public void listViolations(ListViolationsRequest request, StreamObserver<ListViolationsResponse> response) {
        Rpc.unary(response, () -> violations.list(principal(), request));
    }

    @Override
    public void getViolation(GetViolationRequest request, StreamObserver<PolicyViolation> response) {
        Rpc.unary(response, () -> violations.get(principal(), request.getId()));
    }

    @Override
    public void getViolationsByLimit(GetViolationsByLimitRequest request,
                                     StreamObserver<GetViolationsByLimitResponse> response) {
        Rpc.unary(response, () -> violations.byLimit(principal(), request));
    }

    @Override
    public void simulateLimit(SimulateLimitRequest request, StreamObserver<SimulateLimitResponse> response) {
        Rpc.unary(response, () -> simulator.simulate(principal(), request));
    }

    @Override
    public void getPolicyCoverage(GetPolicyCoverageRequest request, StreamObserver<GetPolicyCoverageResponse> response) {
        Rpc.unary(response, () -> coverage.coverage(principal(), request));
    }
}
