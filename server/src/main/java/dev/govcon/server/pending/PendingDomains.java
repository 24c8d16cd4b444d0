package dev.govcon.server.pending;

import java.util.List;

import dev.govcon.proto.v1.IncidentsServiceGrpc;
import dev.govcon.proto.v1.OverviewServiceGrpc;
import io.grpc.BindableService;

/**
 * Domains whose issue has not landed yet. They are served with the generated base classes,
 * which answer every call UNIMPLEMENTED (HTTP 501): the contract is visible in /docs and
 * honest about what works. Replace each entry with the domain's service as it lands.
 */
public final class PendingDomains {
    private PendingDomains() {
    }

    public static List<BindableService> services() {
        return List.of(
                new OverviewServiceGrpc.OverviewServiceImplBase() {},
                new IncidentsServiceGrpc.IncidentsServiceImplBase() {});
    }
}
