package dev.govcon.server.logs;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.google.protobuf.Struct;

import dev.govcon.proto.v1.Actor;
import dev.govcon.proto.v1.AuditEntry;
import dev.govcon.proto.v1.GetAuditByActorRequest;
import dev.govcon.proto.v1.GetAuditByActorResponse;
import dev.govcon.proto.v1.GetLlmRunTraceRequest;
import dev.govcon.proto.v1.GetLlmRunTraceResponse;
import dev.govcon.proto.v1.GetSystemLogSummaryRequest;
import dev.govcon.proto.v1.GetSystemLogSummaryResponse;
import dev.govcon.proto.v1.ListAuditEntriesRequest;
import dev.govcon.proto.v1.ListAuditEntriesResponse;
import dev.govcon.proto.v1.ListLlmRunRecordsRequest;
import dev.govcon.proto.v1.ListLlmRunRecordsResponse;
import dev.govcon.proto.v1.ListSystemRecordsRequest;
import dev.govcon.proto.v1.ListSystemRecordsResponse;
import dev.govcon.proto.v1.LlmRunRecord;
import dev.govcon.proto.v1.LogLevel;
import dev.govcon.proto.v1.SystemRecord;
import dev.govcon.proto.v1.VerifyAuditLedgerResponse;
import dev.govcon.server.activity.ActivityReadMapper;
import dev.govcon.server.activity.ActivityReads;
import dev.govcon.server.activity.RunFilter;
import dev.govcon.server.activity.RunProtos;
import dev.govcon.server.activity.RunRow;
import dev.govcon.server.activity.TimeWindow;
import dev.govcon.server.audit.AuditLedger;
import dev.govcon.server.audit.AuditMapper;
import dev.govcon.server.audit.AuditRow;
import dev.govcon.server.auth.Principal;
import dev.govcon.server.db.Database;
import dev.govcon.server.errors.Errors;
import dev.govcon.server.errors.Validate;
import dev.govcon.server.paging.Cursors;
import dev.govcon.server.paging.Page;
import dev.govcon.server.wire.Times;

/**
 * The raw truth: run records (read like finished runs), system records (the tenant's and the
 * server-wide ones under the nil tenant id) and the audit ledger with its hash chain.
 */
final class LogsReads {
    static final Duration DEFAULT_WINDOW = Duration.ofHours(24);
    static final Duration DEFAULT_AUDIT_WINDOW = Duration.ofDays(30);
    private static final List<String> LEVELS = List.of("DEBUG", "INFO", "WARN", "ERROR");
    private static final HexFormat HEX = HexFormat.of();

    private final Database database;
    private final Clock clock;
    private final ActivityReads runs;

    LogsReads(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
        this.runs = new ActivityReads(database, clock);
    }

    // ---- run records ------------------------------------------------------------------

    ListLlmRunRecordsResponse listRecords(Principal caller, ListLlmRunRecordsRequest req) {
        int size = Page.size(req.getPageSize());
        Cursors.TimeKey after = Cursors.timeKey(req.getPageToken());
        TimeWindow w = TimeWindow.of(req.hasStartTime(), req.getStartTime(), req.hasEndTime(), req.getEndTime(),
                                     DEFAULT_WINDOW, clock);
        RunFilter f = new RunFilter(w.start(), w.end(), ActivityReads.filter("model", req.getModel()),
                ActivityReads.filter("provider", req.getProvider()), ActivityReads.filter("feature", req.getFeature()),
                ActivityReads.finishedStatus(req.getStatus()), ActivityReads.filter("end_user", req.getEndUser()),
                ActivityReads.filter("environment", req.getEnvironment()), null,
                ActivityReads.filter("run_id", req.getRunId()),
                after == null ? null : after.at(), after == null ? null : after.key(), size + 1);
        List<RunRow> rows = runs.records(caller.tenantId(), f);
        ListLlmRunRecordsResponse.Builder out = ListLlmRunRecordsResponse.newBuilder();
        rows.stream().limit(size).forEach(r -> out.addRecords(RunProtos.record(r)));
        out.setNextPageToken(Page.nextToken(rows, size, ActivityReads::nextToken));
        return out.build();
    }

    LlmRunRecord getRecord(Principal caller, String idText) {
        UUID id = Validate.id("id", idText);
        RunRow row = database.read(s -> s.getMapper(ActivityReadMapper.class).recordById(caller.tenantId(), id));
        if (row == null) {
            throw Errors.notFound("run record", id);
        }
        return RunProtos.record(row);
    }

    GetLlmRunTraceResponse trace(Principal caller, GetLlmRunTraceRequest req) {
        UUID id = Validate.id("id", req.getId());
        int size = Page.size(req.getPageSize());
        Long after = Cursors.number(req.getPageToken());
        return database.read(s -> {
            ActivityReadMapper m = s.getMapper(ActivityReadMapper.class);
            RunRow row = m.recordById(caller.tenantId(), id);
            if (row == null) {
                throw Errors.notFound("run record", id);
            }
            GetLlmRunTraceResponse.Builder out = GetLlmRunTraceResponse.newBuilder()
                    .setId(id.toString()).setRunId(row.runId());
            String next = ActivityReads.steps(m, caller.tenantId(), row.runId(), after, size, out::addSteps);
            return out.setNextPageToken(next).build();
        });
    }

    // ---- system records ---------------------------------------------------------------

    GetSystemLogSummaryResponse systemSummary(Principal caller, GetSystemLogSummaryRequest req) {
        TimeWindow w = TimeWindow.of(req.hasStartTime(), req.getStartTime(), req.hasEndTime(), req.getEndTime(),
                                     DEFAULT_WINDOW, clock);
        List<CountRow> rows = database.read(s -> s.getMapper(LogsMapper.class)
                .systemCounts(caller.tenantId(), w.start(), w.end()));
        Map<String, Long> byLevel = new LinkedHashMap<>();
        LEVELS.forEach(l -> byLevel.put(l, 0L));
        Map<String, List<CountRow>> byComponent = new LinkedHashMap<>();
        long total = 0;
        for (CountRow r : rows) {
            byLevel.merge(r.sub(), r.count(), Long::sum);
            byComponent.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r);
            total += r.count();
        }
        GetSystemLogSummaryResponse.Builder out = GetSystemLogSummaryResponse.newBuilder()
                .setStartTime(Times.ts(w.start())).setEndTime(Times.ts(w.end())).setTotal(total);
        byLevel.forEach((level, n) -> out.addByLevel(levelCount(level, n)));
        List<GetSystemLogSummaryResponse.ComponentCount> components = new ArrayList<>();
        for (Map.Entry<String, List<CountRow>> e : byComponent.entrySet()) {
            GetSystemLogSummaryResponse.ComponentCount.Builder c = GetSystemLogSummaryResponse.ComponentCount
                    .newBuilder().setComponent(e.getKey());
            long n = 0;
            Instant last = null;
            for (String level : LEVELS) {
                for (CountRow r : e.getValue()) {
                    if (r.sub().equals(level)) {
                        c.addByLevel(levelCount(level, r.count()));
                        n += r.count();
                        last = last == null || r.lastAt().isAfter(last) ? r.lastAt() : last;
                        if (level.equals("ERROR") && r.label() != null) {
                            c.setLastError(r.label());
                        }
                    }
                }
            }
            c.setCount(n);
            Times.setIfPresent(last, c::setLastAt);
            components.add(c.build());
        }
        components.sort((a, b) -> a.getCount() != b.getCount() ? Long.compare(b.getCount(), a.getCount())
                                                                 : a.getComponent().compareTo(b.getComponent()));
        out.addAllByComponent(components);
        return out.build();
    }

    ListSystemRecordsResponse listSystem(Principal caller, ListSystemRecordsRequest req) {
        int size = Page.size(req.getPageSize());
        Page.Cursor after = Page.cursor(req.getPageToken());
        TimeWindow w = TimeWindow.optional(req.hasStartTime(), req.getStartTime(), req.hasEndTime(), req.getEndTime());
        LogLevel min = Validate.enumValue("min_level", req.getMinLevel(), false);
        List<String> levels = min == LogLevel.LOG_LEVEL_UNSPECIFIED ? null
                : LEVELS.subList(min.getNumber() - 1, LEVELS.size());
        String component = ActivityReads.filter("component", req.getComponent());
        String event = ActivityReads.filter("event", req.getEvent());
        List<SystemRecordRow> rows = database.read(s -> s.getMapper(LogsMapper.class).systemRecords(
                caller.tenantId(), w.start(), w.end(), levels, component, event,
                after == null ? null : after.at(), after == null ? null : after.id(), size + 1));
        ListSystemRecordsResponse.Builder out = ListSystemRecordsResponse.newBuilder();
        rows.stream().limit(size).forEach(r -> out.addRecords(system(r)));
        out.setNextPageToken(Page.nextToken(rows, size, last -> new Page.Cursor(last.occurredAt(), last.recordId()).encode()));
        return out.build();
    }

    SystemRecord getSystem(Principal caller, String idText) {
        UUID id = Validate.id("id", idText);
        SystemRecordRow row = database.read(s -> s.getMapper(LogsMapper.class).systemRecord(caller.tenantId(), id));
        if (row == null) {
            throw Errors.notFound("system record", id);
        }
        return system(row);
    }

    // ---- audit ------------------------------------------------------------------------

    ListAuditEntriesResponse listAudit(Principal caller, ListAuditEntriesRequest req) {
        int size = Page.size(req.getPageSize());
        Long before = Cursors.number(req.getPageToken());
        TimeWindow w = TimeWindow.optional(req.hasStartTime(), req.getStartTime(), req.hasEndTime(), req.getEndTime());
        Actor.Type type = Validate.enumValue("actor_type", req.getActorType(), false);
        String action = ActivityReads.filter("action", req.getAction());
        String exact = action.isEmpty() || action.endsWith(".") ? null : action;
        String prefix = action.endsWith(".") ? action : null;
        List<AuditRow> rows = database.read(s -> s.getMapper(LogsMapper.class).auditEntries(
                caller.tenantId(), w.start(), w.end(), ActivityReads.filter("actor_id", req.getActorId()),
                type == Actor.Type.TYPE_UNSPECIFIED ? null : type.name(), exact, prefix,
                ActivityReads.filter("resource_type", req.getResourceType()),
                ActivityReads.filter("resource_id", req.getResourceId()), before, size + 1));
        ListAuditEntriesResponse.Builder out = ListAuditEntriesResponse.newBuilder();
        rows.stream().limit(size).forEach(r -> out.addEntries(audit(r)));
        out.setNextPageToken(Page.nextToken(rows, size, last -> Cursors.number(last.seq())));
        return out.build();
    }

    AuditEntry getAudit(Principal caller, String idText) {
        UUID id = Validate.id("id", idText);
        AuditRow row = database.read(s -> s.getMapper(LogsMapper.class).auditEntry(caller.tenantId(), id));
        if (row == null) {
            throw Errors.notFound("audit entry", id);
        }
        return audit(row);
    }

    GetAuditByActorResponse byActor(Principal caller, GetAuditByActorRequest req) {
        int size = Page.size(req.getPageSize());
        String[] after = Cursors.decode(req.getPageToken(), 3);
        Long afterCount;
        try {
            afterCount = after == null ? null : Long.parseLong(after[0]);
        } catch (NumberFormatException e) {
            throw Errors.invalid("page_token", "is not a token this list returned");
        }
        // Unset start: the last 30 days; unset end: no bound (entries are stamped by the database's clock).
        TimeWindow given = TimeWindow.optional(req.hasStartTime(), req.getStartTime(), req.hasEndTime(), req.getEndTime());
        TimeWindow w = given.start() != null ? given : new TimeWindow(
                (given.end() != null ? given.end() : clock.instant()).minus(DEFAULT_AUDIT_WINDOW), given.end());
        return database.read(s -> {
            LogsMapper m = s.getMapper(LogsMapper.class);
            List<CountRow> actors = m.auditActors(caller.tenantId(), w.start(), w.end(), afterCount,
                    after == null ? null : after[1], after == null ? null : after[2], size + 1);
            List<CountRow> page = actors.subList(0, Math.min(size, actors.size()));
            Map<String, List<CountRow>> actions = new LinkedHashMap<>();
            if (!page.isEmpty()) {
                for (CountRow a : m.auditActions(caller.tenantId(), w.start(), w.end(), page)) {
                    actions.computeIfAbsent(a.key(), k -> new ArrayList<>()).add(a);
                }
            }
            GetAuditByActorResponse.Builder out = GetAuditByActorResponse.newBuilder();
            for (CountRow a : page) {
                GetAuditByActorResponse.ActorSummary.Builder b = GetAuditByActorResponse.ActorSummary.newBuilder()
                        .setActor(actor(a.key(), a.sub(), a.label()))
                        .setEntries(a.count());
                Times.setIfPresent(a.firstAt(), b::setFirstAt);
                Times.setIfPresent(a.lastAt(), b::setLastAt);
                for (CountRow act : actions.getOrDefault(a.key() + "\n" + a.sub(), List.of())) {
                    b.addActions(GetAuditByActorResponse.ActionCount.newBuilder()
                                         .setAction(act.sub()).setCount(act.count()));
                }
                out.addActors(b);
            }
            if (actors.size() > size) {
                CountRow last = page.get(page.size() - 1);
                out.setNextPageToken(Cursors.encode(Long.toString(last.count()), last.key(), last.sub()));
            }
            return out.build();
        });
    }

    VerifyAuditLedgerResponse verify(Principal caller) {
        AuditMapper.ChainCheck check = database.read(s -> AuditLedger.verify(s, caller.tenantId()));
        VerifyAuditLedgerResponse.Builder out = VerifyAuditLedgerResponse.newBuilder()
                .setEntriesChecked(check.entries());
        if (check.firstBrokenSeq() == null) {
            return out.setValid(true).setMessage(check.entries() + " entries checked; the hash chain is intact")
                    .build();
        }
        long seq = check.firstBrokenSeq();
        return out.setValid(false).setFirstBrokenSeq(seq)
                .setMessage("entry " + seq + ": hash, link to the previous entry or sequence does not match"
                            + " (the entry or one before it was altered, removed or reordered)")
                .build();
    }

    // ---- rows to messages -------------------------------------------------------------

    static SystemRecord system(SystemRecordRow r) {
        SystemRecord.Builder b = SystemRecord.newBuilder()
                .setId(r.recordId().toString())
                .setLevel(level(r.level()))
                .setComponent(r.component())
                .setEvent(r.event())
                .setMessage(nz(r.message()))
                .setInstance(nz(r.instance()))
                .setRequestId(nz(r.requestId()));
        Times.setIfPresent(r.occurredAt(), b::setOccurredAt);
        Struct details = RunProtos.struct(r.details());
        if (details != null) {
            b.setDetails(details);
        }
        return b.build();
    }

    static AuditEntry audit(AuditRow r) {
        AuditEntry.Builder b = AuditEntry.newBuilder()
                .setId(r.auditId().toString())
                .setSeq(r.seq())
                .setActor(actor(r.actorType(), r.actorId(), r.actorLabel()))
                .setAction(r.action())
                .setResourceType(r.resourceType())
                .setResourceId(nz(r.resourceId()))
                .setRequestId(nz(r.requestId()))
                .setPrevHash(r.prevHash() == null ? "" : HEX.formatHex(r.prevHash()))
                .setHash(r.hash() == null ? "" : HEX.formatHex(r.hash()));
        Times.setIfPresent(r.occurredAt(), b::setOccurredAt);
        Struct before = RunProtos.struct(r.beforeState());
        if (before != null) {
            b.setBefore(before);
        }
        Struct after = RunProtos.struct(r.afterState());
        if (after != null) {
            b.setAfter(after);
        }
        return b.build();
    }

    private static Actor actor(String type, String id, String label) {
        Actor.Type t;
        try {
            t = Actor.Type.valueOf(type);
        } catch (IllegalArgumentException | NullPointerException e) {
            t = Actor.Type.TYPE_UNSPECIFIED;
        }
        return Actor.newBuilder().setType(t).setId(nz(id)).setLabel(nz(label)).build();
    }

    private static LogLevel level(String text) {
        try {
            return LogLevel.valueOf("LOG_LEVEL_" + text);
        } catch (IllegalArgumentException | NullPointerException e) {
            return LogLevel.LOG_LEVEL_UNSPECIFIED;
        }
    }

    private static GetSystemLogSummaryResponse.LevelCount levelCount(String level, long n) {
        return GetSystemLogSummaryResponse.LevelCount.newBuilder().setLevel(level(level)).setCount(n).build();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
