package dev.govcon.server.incidents;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.govcon.proto.v1.GetActiveIncidentsBySeverityResponse;
import dev.govcon.proto.v1.GetIncidentTrendsRequest;
import dev.govcon.proto.v1.GetIncidentTrendsResponse;
import dev.govcon.proto.v1.GetResolutionStatsRequest;
import dev.govcon.proto.v1.GetResolutionStatsResponse;
import dev.govcon.proto.v1.Granularity;
import dev.govcon.proto.v1.Incident;
import dev.govcon.proto.v1.IncidentPattern;
import dev.govcon.proto.v1.IncidentResolution;
import dev.govcon.proto.v1.IncidentResolutionStats;
import dev.govcon.proto.v1.IncidentSeverityCount;
import dev.govcon.proto.v1.IncidentSource;
import dev.govcon.proto.v1.IncidentState;
import dev.govcon.proto.v1.IncidentTrendPoint;
import dev.govcon.proto.v1.ListActiveIncidentsRequest;
import dev.govcon.proto.v1.ListActiveIncidentsResponse;
import dev.govcon.proto.v1.ListHistoricalIncidentsRequest;
import dev.govcon.proto.v1.ListHistoricalIncidentsResponse;
import dev.govcon.proto.v1.ListIncidentPatternsRequest;
import dev.govcon.proto.v1.ListIncidentPatternsResponse;
import dev.govcon.proto.v1.ListIncidentTimelineRequest;
import dev.govcon.proto.v1.ListIncidentTimelineResponse;
import dev.govcon.proto.v1.ListResolvedIncidentsRequest;
import dev.govcon.proto.v1.ListResolvedIncidentsResponse;
import dev.govcon.proto.v1.Severity;
import dev.govcon.server.activity.TimeWindow;
import dev.govcon.server.auth.Principal;
import dev.govcon.server.db.Database;
import dev.govcon.server.errors.Errors;
import dev.govcon.server.errors.Validate;
import dev.govcon.server.paging.Cursors;
import dev.govcon.server.paging.Page;
import dev.govcon.server.wire.Times;

/** The read side of incidents: open, resolved, historical, timeline, stats, trends, patterns. */
final class IncidentReads {
    static final Duration DEFAULT_WINDOW = Duration.ofDays(30);
    static final Duration MAX_WINDOW = Duration.ofDays(366);
    static final int MAX_TREND_BUCKETS = 2000;

    private final Database database;
    private final Clock clock;

    IncidentReads(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    ListActiveIncidentsResponse listActive(Principal caller, ListActiveIncidentsRequest req) {
        int size = Page.size(req.getPageSize());
        String[] cursor = Cursors.decode(req.getPageToken(), 4);
        String state = state(req.getState());
        if ("RESOLVED".equals(state)) {
            throw Errors.invalid("state", "must be ACTIVE or ACKNOWLEDGED for open incidents");
        }
        Integer afterRank = null;
        Instant afterAt = null;
        UUID afterId = null;
        if (cursor != null) {
            try {
                afterRank = Integer.parseInt(cursor[0]);
                afterAt = Instant.ofEpochSecond(Long.parseLong(cursor[1]), Long.parseLong(cursor[2]));
                afterId = UUID.fromString(cursor[3]);
            } catch (RuntimeException e) {
                throw Errors.invalid("page_token", "is not a token this list returned");
            }
        }
        IncidentFilter f = new IncidentFilter(true, false, "opened_at", null, null, state, severity(req.getSeverity()),
                                              source(req.getSource()), text("feature", req.getFeature()),
                                              text("model", req.getModel()), null, null, afterRank, afterAt,
                                              afterId, size + 1);
        return database.read(s -> {
            IncidentMapper m = s.getMapper(IncidentMapper.class);
            List<IncidentRow> rows = m.list(caller.tenantId(), f);
            ListActiveIncidentsResponse.Builder out = ListActiveIncidentsResponse.newBuilder();
            rows.stream().limit(size).forEach(r -> out.addIncidents(IncidentProtos.incident(r)));
            out.setNextPageToken(Page.nextToken(rows, size, r -> Cursors.encode(
                    Integer.toString(Severities.rank(r.severity())), Long.toString(r.openedAt().getEpochSecond()),
                    Integer.toString(r.openedAt().getNano()), r.incidentId().toString())));
            out.setTotalCount(m.count(caller.tenantId(), f));
            return out.build();
        });
    }

    GetActiveIncidentsBySeverityResponse bySeverity(Principal caller) {
        return database.read(s -> {
            Map<String, SeverityCountRow> counts = new HashMap<>();
            s.getMapper(IncidentMapper.class).openBySeverity(caller.tenantId()).forEach(r -> counts.put(r.severity(), r));
            GetActiveIncidentsBySeverityResponse.Builder out = GetActiveIncidentsBySeverityResponse.newBuilder();
            long open = 0;
            long unacked = 0;
            for (String sev : Severities.ORDER) {
                SeverityCountRow r = counts.get(sev);
                IncidentSeverityCount.Builder c = IncidentSeverityCount.newBuilder().setSeverity(Severity.valueOf(sev));
                if (r != null) {
                    c.setOpenCount(r.openCount()).setUnacknowledgedCount(r.unacknowledgedCount())
                            .setOldestOpenedTime(Times.ts(r.oldestOpenedAt()));
                    open += r.openCount();
                    unacked += r.unacknowledgedCount();
                }
                out.addSeverities(c);
            }
            return out.setTotalOpenCount(open).setTotalUnacknowledgedCount(unacked).build();
        });
    }

    Incident get(Principal caller, String idText) {
        UUID id = Validate.id("id", idText);
        return IncidentProtos.incident(find(caller, id));
    }

    private IncidentRow find(Principal caller, UUID id) {
        IncidentRow row = database.read(s -> s.getMapper(IncidentMapper.class).find(caller.tenantId(), id));
        if (row == null) {
            throw Errors.notFound("incident", id);
        }
        return row;
    }

    ListIncidentTimelineResponse timeline(Principal caller, ListIncidentTimelineRequest req) {
        UUID id = Validate.id("id", req.getId());
        int size = Page.size(req.getPageSize());
        Long after = Cursors.number(req.getPageToken());
        return database.read(s -> {
            IncidentMapper m = s.getMapper(IncidentMapper.class);
            if (m.find(caller.tenantId(), id) == null) {
                throw Errors.notFound("incident", id);
            }
            List<IncidentEventRow> rows = m.timeline(caller.tenantId(), id, after, size + 1, false);
            ListIncidentTimelineResponse.Builder out = ListIncidentTimelineResponse.newBuilder();
            rows.stream().limit(size).forEach(e -> out.addEvents(IncidentProtos.event(e)));
            out.setNextPageToken(Page.nextToken(rows, size, e -> Cursors.number(e.seq())));
            return out.build();
        });
    }

    ListResolvedIncidentsResponse listResolved(Principal caller, ListResolvedIncidentsRequest req) {
        int size = Page.size(req.getPageSize());
        Page.Cursor after = Page.cursor(req.getPageToken());
        TimeWindow w = window(req.hasStartTime(), req.getStartTime(), req.hasEndTime(), req.getEndTime());
        IncidentFilter f = new IncidentFilter(false, true, "resolved_at", w.start(), w.end(), null,
                                              severity(req.getSeverity()), null, text("feature", req.getFeature()),
                                              text("model", req.getModel()), null,
                                              req.hasAutoResolved() ? req.getAutoResolved() : null, null,
                                              after == null ? null : after.at(), after == null ? null : after.id(),
                                              size + 1);
        return database.read(s -> {
            IncidentMapper m = s.getMapper(IncidentMapper.class);
            List<IncidentRow> rows = m.list(caller.tenantId(), f);
            ListResolvedIncidentsResponse.Builder out = ListResolvedIncidentsResponse.newBuilder();
            rows.stream().limit(size).forEach(r -> out.addIncidents(IncidentProtos.incident(r)));
            out.setNextPageToken(Page.nextToken(rows, size, r -> new Page.Cursor(r.resolvedAt(), r.incidentId()).encode()));
            out.setTotalCount(m.count(caller.tenantId(), f));
            return out.build();
        });
    }

    IncidentResolution getResolved(Principal caller, String idText) {
        UUID id = Validate.id("id", idText);
        return database.read(s -> {
            IncidentMapper m = s.getMapper(IncidentMapper.class);
            IncidentRow row = m.find(caller.tenantId(), id);
            if (row == null || !row.state().equals("RESOLVED")) {
                throw Errors.notFound("resolved incident", id);
            }
            Incident inc = IncidentProtos.incident(row);
            IncidentResolution.Builder out = IncidentResolution.newBuilder().setIncident(inc)
                    .setAcknowledgedTime(inc.getAcknowledgedTime()).setAcknowledgedBy(inc.getAcknowledgedBy())
                    .setResolvedTime(inc.getResolvedTime()).setResolvedBy(inc.getResolvedBy())
                    .setResolutionNote(inc.getResolutionNote()).setAutoResolved(inc.getAutoResolved())
                    .setTimeToAcknowledge(inc.getTimeToAcknowledge()).setTimeToResolve(inc.getTimeToResolve());
            m.timeline(caller.tenantId(), id, null, Integer.MAX_VALUE, true)
                    .forEach(e -> out.addLifecycleEvents(IncidentProtos.event(e)));
            return out.build();
        });
    }

    GetResolutionStatsResponse stats(Principal caller, GetResolutionStatsRequest req) {
        TimeWindow w = window(req.hasStartTime(), req.getStartTime(), req.hasEndTime(), req.getEndTime());
        return database.read(s -> {
            IncidentMapper m = s.getMapper(IncidentMapper.class);
            Map<String, ResolutionStatsRow> bySeverity = new HashMap<>();
            m.resolutionStats(caller.tenantId(), w.start(), w.end()).forEach(r -> bySeverity.put(r.severity(), r));
            GetResolutionStatsResponse.Builder out = GetResolutionStatsResponse.newBuilder()
                    .setStartTime(Times.ts(w.start())).setEndTime(Times.ts(w.end()));
            for (String sev : Severities.ORDER) {
                out.addBySeverity(stats(Severity.valueOf(sev), bySeverity.get(sev)));
            }
            out.setOverall(stats(Severity.SEVERITY_UNSPECIFIED, m.resolutionStatsOverall(caller.tenantId(), w.start(), w.end())));
            out.setOpenCount(m.openAt(caller.tenantId(), w.end()));
            return out.build();
        });
    }

    private static IncidentResolutionStats stats(Severity severity, ResolutionStatsRow r) {
        IncidentResolutionStats.Builder b = IncidentResolutionStats.newBuilder().setSeverity(severity);
        if (r == null || r.resolvedCount() == 0) {
            return b.build();
        }
        b.setResolvedCount(r.resolvedCount()).setAutoResolvedCount(r.autoResolvedCount());
        if (r.meanAckMs() != null) {
            b.setMeanTimeToAcknowledge(IncidentProtos.millis(r.meanAckMs()));
        }
        if (r.meanResolveMs() != null) {
            b.setMeanTimeToResolve(IncidentProtos.millis(r.meanResolveMs()))
                    .setMedianTimeToResolve(IncidentProtos.millis(r.medianResolveMs()))
                    .setP90TimeToResolve(IncidentProtos.millis(r.p90ResolveMs()));
        }
        return b.build();
    }

    ListHistoricalIncidentsResponse historical(Principal caller, ListHistoricalIncidentsRequest req) {
        int size = Page.size(req.getPageSize());
        Page.Cursor after = Page.cursor(req.getPageToken());
        TimeWindow w = window(req.hasStartTime(), req.getStartTime(), req.hasEndTime(), req.getEndTime());
        String fingerprint = text("fingerprint", req.getFingerprint());
        IncidentFilter f = new IncidentFilter(false, false, "opened_at", w.start(), w.end(), state(req.getState()),
                                              severity(req.getSeverity()), source(req.getSource()),
                                              text("feature", req.getFeature()), text("model", req.getModel()),
                                              fingerprint, null, null, after == null ? null : after.at(),
                                              after == null ? null : after.id(), size + 1);
        return database.read(s -> {
            IncidentMapper m = s.getMapper(IncidentMapper.class);
            List<IncidentRow> rows = m.list(caller.tenantId(), f);
            ListHistoricalIncidentsResponse.Builder out = ListHistoricalIncidentsResponse.newBuilder();
            rows.stream().limit(size).forEach(r -> out.addIncidents(IncidentProtos.incident(r)));
            out.setNextPageToken(Page.nextToken(rows, size, r -> new Page.Cursor(r.openedAt(), r.incidentId()).encode()));
            out.setTotalCount(m.count(caller.tenantId(), f));
            return out.build();
        });
    }

    GetIncidentTrendsResponse trends(Principal caller, GetIncidentTrendsRequest req) {
        TimeWindow w = window(req.hasStartTime(), req.getStartTime(), req.hasEndTime(), req.getEndTime());
        Granularity g = Validate.enumValue("granularity", req.getGranularity(), false);
        if (g == Granularity.GRANULARITY_UNSPECIFIED) {
            g = Granularity.DAY;
        }
        Granularity granularity = g;
        String unit = switch (granularity) {
            case HOUR -> "hour";
            case WEEK -> "week";
            default -> "day";
        };
        return database.read(s -> {
            IncidentMapper m = s.getMapper(IncidentMapper.class);
            ZoneId zone = zone(m.tenantZone(caller.tenantId()));
            List<Instant> buckets = buckets(w, granularity, zone);
            if (buckets.size() > MAX_TREND_BUCKETS) {
                throw Errors.invalid("start_time", "the window holds more than " + MAX_TREND_BUCKETS
                                                   + " buckets; narrow it or choose a larger granularity");
            }
            Map<String, TrendRow> found = new HashMap<>();
            m.trends(caller.tenantId(), w.start(), w.end(), unit, zone.getId())
                    .forEach(r -> found.put(r.bucket().toString() + "|" + r.severity(), r));
            GetIncidentTrendsResponse.Builder out = GetIncidentTrendsResponse.newBuilder().setGranularity(granularity);
            for (Instant bucket : buckets) {
                for (String sev : Severities.ORDER) {
                    TrendRow r = found.get(bucket + "|" + sev);
                    IncidentTrendPoint.Builder p = IncidentTrendPoint.newBuilder()
                            .setBucketStartTime(Times.ts(bucket)).setSeverity(Severity.valueOf(sev));
                    if (r != null) {
                        p.setOpenedCount(r.opened()).setResolvedCount(r.resolved())
                                .setOccurrenceCount(r.occurrences());
                    }
                    out.addPoints(p);
                }
            }
            return out.build();
        });
    }

    /** Bucket starts, in the tenant's zone, of every bucket that overlaps the window. */
    static List<Instant> buckets(TimeWindow w, Granularity g, ZoneId zone) {
        ZonedDateTime t = w.start().atZone(zone);
        t = switch (g) {
            case HOUR -> t.truncatedTo(ChronoUnit.HOURS);
            case WEEK -> t.truncatedTo(ChronoUnit.DAYS).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            default -> t.truncatedTo(ChronoUnit.DAYS);
        };
        List<Instant> out = new java.util.ArrayList<>();
        while (t.toInstant().isBefore(w.end()) && out.size() <= MAX_TREND_BUCKETS) {
            out.add(t.toInstant());
            t = switch (g) {
                case HOUR -> t.plusHours(1);
                case WEEK -> t.plusWeeks(1);
                default -> t.plusDays(1);
            };
        }
        return out;
    }

    ListIncidentPatternsResponse patterns(Principal caller, ListIncidentPatternsRequest req) {
        int size = Page.size(req.getPageSize());
        Long offset = Cursors.number(req.getPageToken());
        TimeWindow w = window(req.hasStartTime(), req.getStartTime(), req.hasEndTime(), req.getEndTime());
        if (req.getMinOccurrences() < 0) {
            throw Errors.invalid("min_occurrences", "must not be negative (0 for the default, 2)");
        }
        long min = req.getMinOccurrences() == 0 ? 2 : req.getMinOccurrences();
        long from = offset == null ? 0 : offset;
        return database.read(s -> {
            List<PatternRow> rows = s.getMapper(IncidentMapper.class)
                    .patterns(caller.tenantId(), w.start(), w.end(), min, from, size + 1);
            ListIncidentPatternsResponse.Builder out = ListIncidentPatternsResponse.newBuilder();
            rows.stream().limit(size).forEach(r -> out.addPatterns(pattern(r)));
            out.setNextPageToken(rows.size() > size ? Cursors.number(from + size) : "");
            return out.build();
        });
    }

    private static IncidentPattern pattern(PatternRow r) {
        IncidentPattern.Builder b = IncidentPattern.newBuilder()
                .setFingerprint(r.fingerprint()).setTitle(r.title()).setCause(r.cause())
                .setSource(IncidentSource.valueOf("INCIDENT_SOURCE_" + r.source()))
                .setScope(IncidentProtos.scope(r.scopeFeature(), r.scopeModel(), r.scopeEndUser(), r.scopeApiKeyId(),
                                               r.scopeProvider(), r.scopeEnvironment()))
                .setMaxSeverity(Severity.valueOf(Severities.ORDER.get(r.maxSeverityRank() - 1)))
                .setIncidentCount(r.incidentCount()).setOccurrenceCount(r.occurrenceCount())
                .setFirstSeenTime(Times.ts(r.firstSeen())).setLastSeenTime(Times.ts(r.lastSeen()))
                .setLatestIncidentId(r.latestIncidentId().toString())
                .setLatestState(IncidentState.valueOf("INCIDENT_STATE_" + r.latestState()));
        if (r.occurrenceCount() > 1) {
            b.setMeanTimeBetweenOccurrences(IncidentProtos.protoDuration(
                    Duration.between(r.firstSeen(), r.lastSeen()).dividedBy(r.occurrenceCount() - 1)));
        }
        return b.build();
    }

    // ---- request checks ----

    private TimeWindow window(boolean hasStart, com.google.protobuf.Timestamp start, boolean hasEnd,
                              com.google.protobuf.Timestamp end) {
        TimeWindow w = TimeWindow.of(hasStart, start, hasEnd, end, DEFAULT_WINDOW, clock);
        if (Duration.between(w.start(), w.end()).compareTo(MAX_WINDOW) > 0) {
            throw Errors.invalid("start_time", "must be at most " + MAX_WINDOW.toDays() + " days before end_time");
        }
        return w;
    }

    static String severity(Severity s) {
        Validate.enumValue("severity", s, false);
        return s == Severity.SEVERITY_UNSPECIFIED ? null : s.name();
    }

    static String state(IncidentState s) {
        Validate.enumValue("state", s, false);
        return s == IncidentState.INCIDENT_STATE_UNSPECIFIED ? null : s.name().substring("INCIDENT_STATE_".length());
    }

    static String source(IncidentSource s) {
        Validate.enumValue("source", s, false);
        return s == IncidentSource.INCIDENT_SOURCE_UNSPECIFIED ? null
                                                               : s.name().substring("INCIDENT_SOURCE_".length());
    }

    static String text(String field, String value) {
        String v = Validate.optional(field, value, Validate.MAX_NAME);
        return v.isEmpty() ? null : v;
    }

    static ZoneId zone(String id) {
        try {
            return id == null || id.isEmpty() ? ZoneOffset.UTC : ZoneId.of(id);
        } catch (DateTimeException e) {
            return ZoneOffset.UTC;
        }
    }
}
