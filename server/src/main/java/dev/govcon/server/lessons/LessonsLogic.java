package dev.govcon.server.lessons;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.govcon.proto.v1.GetLessonStatsRequest;
import dev.govcon.proto.v1.GetLessonStatsResponse;
import dev.govcon.proto.v1.Lesson;
import dev.govcon.proto.v1.LessonKind;
import dev.govcon.proto.v1.LessonKindCount;
import dev.govcon.proto.v1.ListLessonsRequest;
import dev.govcon.proto.v1.ListLessonsResponse;
import dev.govcon.server.activity.TimeWindow;
import dev.govcon.server.auth.Principal;
import dev.govcon.server.db.Database;
import dev.govcon.server.errors.Errors;
import dev.govcon.server.errors.Validate;
import dev.govcon.server.paging.Page;
import dev.govcon.server.wire.Times;

/** Lessons: the list, one lesson with its evidence, and counts by kind and proposal outcome. */
public final class LessonsLogic {
    static final Duration DEFAULT_WINDOW = Duration.ofDays(30);
    static final Duration MAX_WINDOW = Duration.ofDays(366);

    private final Database database;
    private final Clock clock;

    public LessonsLogic(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    public ListLessonsResponse list(Principal caller, ListLessonsRequest req) {
        int size = Page.size(req.getPageSize());
        Page.Cursor after = Page.cursor(req.getPageToken());
        TimeWindow w = window(req.hasStartTime(), req.getStartTime(), req.hasEndTime(), req.getEndTime());
        Validate.enumValue("kind", req.getKind(), false);
        String kind = req.getKind() == LessonKind.LESSON_KIND_UNSPECIFIED ? null
                      : req.getKind().name().substring("LESSON_KIND_".length());
        LessonFilter f = new LessonFilter(w.start(), w.end(), kind, text("feature", req.getFeature()),
                                          text("model", req.getModel()), after == null ? null : after.at(),
                                          after == null ? null : after.id(), size + 1);
        Instant now = clock.instant();
        return database.read(s -> {
            LessonMapper m = s.getMapper(LessonMapper.class);
            List<LessonRow> rows = m.list(caller.tenantId(), f, now);
            ListLessonsResponse.Builder out = ListLessonsResponse.newBuilder();
            rows.stream().limit(size).forEach(r -> out.addLessons(LessonProtos.lesson(r)));
            out.setNextPageToken(Page.nextToken(rows, size, r -> new Page.Cursor(r.lastDetectedAt(), r.lessonId()).encode()));
            out.setTotalCount(m.count(caller.tenantId(), f));
            return out.build();
        });
    }

    public Lesson get(Principal caller, String idText) {
        UUID id = Validate.id("id", idText);
        Instant now = clock.instant();
        LessonRow row = database.read(s -> s.getMapper(LessonMapper.class).find(caller.tenantId(), id, now));
        if (row == null) {
            throw Errors.notFound("lesson", id);
        }
        return LessonProtos.lesson(row);
    }

    public GetLessonStatsResponse stats(Principal caller, GetLessonStatsRequest req) {
        TimeWindow w = window(req.hasStartTime(), req.getStartTime(), req.hasEndTime(), req.getEndTime());
        Instant now = clock.instant();
        return database.read(s -> {
            LessonMapper m = s.getMapper(LessonMapper.class);
            Map<String, Long> kinds = new HashMap<>();
            m.countByKind(caller.tenantId(), w.start(), w.end()).forEach(r -> kinds.put(r.kind(), r.count()));
            Map<String, Long> states = new HashMap<>();
            m.proposalStates(caller.tenantId(), w.start(), w.end(), now).forEach(r -> states.put(r.kind(), r.count()));
            GetLessonStatsResponse.Builder out = GetLessonStatsResponse.newBuilder()
                    .setStartTime(Times.ts(w.start())).setEndTime(Times.ts(w.end()));
            long total = 0;
            for (LessonKind k : LessonKind.values()) {
                if (k == LessonKind.LESSON_KIND_UNSPECIFIED || k == LessonKind.UNRECOGNIZED) {
                    continue;
                }
                long n = kinds.getOrDefault(k.name().substring("LESSON_KIND_".length()), 0L);
                total += n;
                out.addByKind(LessonKindCount.newBuilder().setKind(k).setCount(n));
            }
            long pending = states.getOrDefault("PENDING", 0L);
            long accepted = states.getOrDefault("ACCEPTED", 0L);
            long deferred = states.getOrDefault("DEFERRED", 0L);
            return out.setLessonCount(total).setWithProposalCount(pending + accepted + deferred)
                    .setProposalsPendingCount(pending).setProposalsAcceptedCount(accepted)
                    .setProposalsDeferredCount(deferred)
                    .setAcceptanceRatio(accepted + deferred == 0 ? 0 : (double) accepted / (accepted + deferred))
                    .build();
        });
    }

    private TimeWindow window(boolean hasStart, com.google.protobuf.Timestamp start, boolean hasEnd,
                              com.google.protobuf.Timestamp end) {
        TimeWindow w = TimeWindow.of(hasStart, start, hasEnd, end, DEFAULT_WINDOW, clock);
        if (Duration.between(w.start(), w.end()).compareTo(MAX_WINDOW) > 0) {
            throw Errors.invalid("start_time", "must be at most " + MAX_WINDOW.toDays() + " days before end_time");
        }
        return w;
    }

    static String text(String field, String value) {
        String v = Validate.optional(field, value, Validate.MAX_NAME);
        return v.isEmpty() ? null : v;
    }
}
