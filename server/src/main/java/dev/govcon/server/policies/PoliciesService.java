package dev.govcon.server.policies;

import java.time.Clock;

import dev.govcon.proto.v1.GetPolicyCoverageRequest;
import dev.govcon.proto.v1.GetPolicyCoverageResponse;
import dev.govcon.proto.v1.GetViolationRequest;
import dev.govcon.proto.v1.GetViolationsByLimitRequest;
import dev.govcon.proto.v1.GetViolationsByLimitResponse;
import dev.govcon.proto.v1.ListViolationsRequest;
import dev.govcon.proto.v1.ListViolationsResponse;
import dev.govcon.proto.v1.PoliciesServiceGrpc;
import dev.govcon.proto.v1.PolicyViolation;
import dev.govcon.proto.v1.SimulateLimitRequest;
import dev.govcon.proto.v1.SimulateLimitResponse;
import dev.govcon.server.db.Database;
import dev.govcon.server.wire.Rpc;
import io.grpc.stub.StreamObserver;

import static dev.govcon.server.auth.AuthInterceptor.principal;

/**
 * Policies domain: violations, limit simulation and coverage. The other RPCs answer
 * UNIMPLEMENTED until they land.
 */
public final class PoliciesService extends PoliciesServiceGrpc.PoliciesServiceImplBase {
    private final ViolationsReads violations;
    private final LimitSimulator simulator;
    private final PolicyCoverage coverage;

    public PoliciesService(Database database, Clock clock) {
        this.violations = new ViolationsReads(database, clock);
        this.simulator = new LimitSimulator(database, clock);
        this.coverage = new PolicyCoverage(database, clock);
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
