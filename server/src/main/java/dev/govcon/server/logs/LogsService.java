package dev.govcon.server.logs;

import java.time.Clock;

import dev.govcon.proto.v1.AuditEntry;
import dev.govcon.proto.v1.GetAuditByActorRequest;
import dev.govcon.proto.v1.GetAuditByActorResponse;
import dev.govcon.proto.v1.GetAuditEntryRequest;
import dev.govcon.proto.v1.GetLlmRunRecordRequest;
import dev.govcon.proto.v1.GetLlmRunTraceRequest;
import dev.govcon.proto.v1.GetLlmRunTraceResponse;
import dev.govcon.proto.v1.GetSystemLogSummaryRequest;
import dev.govcon.proto.v1.GetSystemLogSummaryResponse;
import dev.govcon.proto.v1.GetSystemRecordRequest;
import dev.govcon.proto.v1.ListAuditEntriesRequest;
import dev.govcon.proto.v1.ListAuditEntriesResponse;
import dev.govcon.proto.v1.ListLlmRunRecordsRequest;
import dev.govcon.proto.v1.ListLlmRunRecordsResponse;
import dev.govcon.proto.v1.ListSystemRecordsRequest;
import dev.govcon.proto.v1.ListSystemRecordsResponse;
import dev.govcon.proto.v1.LlmRunRecord;
import dev.govcon.proto.v1.LogsServiceGrpc;
import dev.govcon.proto.v1.SystemRecord;
import dev.govcon.proto.v1.VerifyAuditLedgerRequest;
import dev.govcon.proto.v1.VerifyAuditLedgerResponse;
import dev.govcon.server.db.Database;
import dev.govcon.server.wire.Rpc;
import io.grpc.stub.StreamObserver;

import static dev.govcon.server.auth.AuthInterceptor.principal;

/** Logs domain: run records, system records and the audit ledger, all read-only. */
public final class LogsService extends LogsServiceGrpc.LogsServiceImplBase {
    private final LogsReads reads;

    public LogsService(Database database, Clock clock) {
        this.reads = new LogsReads(database, clock);
    }

    @Override
    public void listLlmRunRecords(ListLlmRunRecordsRequest request, StreamObserver<ListLlmRunRecordsResponse> response) {
        Rpc.unary(response, () -> reads.listRecords(principal(), request));
    }

    @Override
    public void getLlmRunRecord(GetLlmRunRecordRequest request, StreamObserver<LlmRunRecord> response) {
        Rpc.unary(response, () -> reads.getRecord(principal(), request.getId()));
    }

    @Override
    public void getLlmRunTrace(GetLlmRunTraceRequest request, StreamObserver<GetLlmRunTraceResponse> response) {
        Rpc.unary(response, () -> reads.trace(principal(), request));
    }

    @Override
    public void getSystemLogSummary(GetSystemLogSummaryRequest request,
                                    StreamObserver<GetSystemLogSummaryResponse> response) {
        Rpc.unary(response, () -> reads.systemSummary(principal(), request));
    }

    @Override
    public void listSystemRecords(ListSystemRecordsRequest request, StreamObserver<ListSystemRecordsResponse> response) {
        Rpc.unary(response, () -> reads.listSystem(principal(), request));
    }

    @Override
    public void getSystemRecord(GetSystemRecordRequest request, StreamObserver<SystemRecord> response) {
        Rpc.unary(response, () -> reads.getSystem(principal(), request.getId()));
    }

    @Override
    public void listAuditEntries(ListAuditEntriesRequest request, StreamObserver<ListAuditEntriesResponse> response) {
        Rpc.unary(response, () -> reads.listAudit(principal(), request));
    }

    @Override
    public void getAuditEntry(GetAuditEntryRequest request, StreamObserver<AuditEntry> response) {
        Rpc.unary(response, () -> reads.getAudit(principal(), request.getId()));
    }

    @Override
    public void getAuditByActor(GetAuditByActorRequest request, StreamObserver<GetAuditByActorResponse> response) {
        Rpc.unary(response, () -> reads.byActor(principal(), request));
    }

    @Override
    public void verifyAuditLedger(VerifyAuditLedgerRequest request,
                                  StreamObserver<VerifyAuditLedgerResponse> response) {
        Rpc.unary(response, () -> reads.verify(principal()));
    }
}
