package dev.govcon.server.incidents;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.govcon.proto.v1.GetActiveIncidentsBySeverityRequest;
import dev.govcon.proto.v1.GetActiveIncidentsBySeverityResponse;
import dev.govcon.proto.v1.GetIncidentRequest;
import dev.govcon.proto.v1.GetIncidentTrendsRequest;
import dev.govcon.proto.v1.GetResolutionStatsRequest;
import dev.govcon.proto.v1.GetResolutionStatsResponse;
import dev.govcon.proto.v1.GetResolvedIncidentRequest;
import dev.govcon.proto.v1.Granularity;
import dev.govcon.proto.v1.Profile;
import dev.govcon.proto.v1.UpdateProfileRequest;
import dev.govcon.proto.v1.Incident;
import dev.govcon.proto.v1.IncidentEvent;
import dev.govcon.proto.v1.IncidentEventKind;
import dev.govcon.proto.v1.IncidentPattern;
import dev.govcon.proto.v1.IncidentResolution;
import dev.govcon.proto.v1.IncidentResolutionStats;
import dev.govcon.proto.v1.IncidentSource;
import dev.govcon.proto.v1.IncidentState;
import dev.govcon.proto.v1.IncidentTrendPoint;
import dev.govcon.proto.v1.ListActiveIncidentsRequest;
import dev.govcon.proto.v1.ListHistoricalIncidentsRequest;
import dev.govcon.proto.v1.ListHistoricalIncidentsResponse;
import dev.govcon.proto.v1.ListIncidentPatternsRequest;
import dev.govcon.proto.v1.ListIncidentTimelineRequest;
import dev.govcon.proto.v1.ResolveIncidentRequest;
import dev.govcon.proto.v1.AcknowledgeIncidentRequest;
import dev.govcon.proto.v1.Severity;
import dev.govcon.sdk.GovconClient;
import dev.govcon.server.testing.RunningServer;
import dev.govcon.server.testing.RunningServer.Reply;
import dev.govcon.server.testing.TestDatabase;
import dev.govcon.server.wire.Times;

/**
 * The incident engine run by hand over violations, signals and failed job runs written as their
 * owners write them, then the lifecycle and every read, over gRPC and REST. Its own database:
 * job runs are server-wide, and other classes' failed runs would open incidents here.
 */
class IncidentsTest {
    static RunningServer server;
    static IncidentFixtures fx;
    static Instant now;

    @BeforeAll
    static void start() {
        server = RunningServer.start(TestDatabase.isolated());
        fx = new IncidentFixtures(server);
        now = server.clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static List<Incident> active(GovconClient c) {
        return c.incidents().listActiveIncidents(ListActiveIncidentsRequest.getDefaultInstance()).getIncidentsList();
    }

    static List<IncidentEventKind> kinds(GovconClient c, String id) {
        return c.incidents().listIncidentTimeline(ListIncidentTimelineRequest.newBuilder().setId(id).build())
                .getEventsList().stream().map(IncidentEvent::getKind).toList();
    }

    @Test
    void blockViolationsOpenOneIncidentPerFingerprintThenAppendOccurrencesAndEscalate() {
        server.clock.set(now);
        var t = fx.tenant("Incidents Dedupe", now.minus(Duration.ofDays(1)));
        UUID search = fx.limit(t.id(), "Search spend", "search");
        UUID chat = fx.limit(t.id(), "Chat spend", "chat");
        List<UUID> first = List.of(fx.violation(t.id(), search, "BLOCK", now.minusSeconds(3000)),
                                   fx.violation(t.id(), search, "BLOCK", now.minusSeconds(2400)),
                                   fx.violation(t.id(), search, "BLOCK", now.minusSeconds(1800)));
        fx.violation(t.id(), chat, "BLOCK", now.minusSeconds(1000));
        fx.runEngine();
        try (GovconClient c = server.grpc(t.ownerKey())) {
            List<Incident> open = active(c);
            assertThat(open).hasSize(2);
            Incident inc = open.stream().filter(i -> i.getScope().getFeature().equals("search")).findFirst().orElseThrow();
            assertThat(inc.getOccurrenceCount()).isEqualTo(3);
            assertThat(inc.getSeverity()).isEqualTo(Severity.HIGH);
            assertThat(inc.getSource()).isEqualTo(IncidentSource.INCIDENT_SOURCE_VIOLATION);
            assertThat(inc.getCause()).isEqualTo("limit_exceeded:" + search);
            assertThat(inc.getSourceRefId()).isEqualTo(search.toString());
            assertThat(inc.getState()).isEqualTo(IncidentState.INCIDENT_STATE_ACTIVE);
            assertThat(Times.instant(inc.getOpenedTime())).isEqualTo(now.minusSeconds(3000));
            assertThat(Times.instant(inc.getLastOccurrenceTime())).isEqualTo(now.minusSeconds(1800));
            assertThat(kinds(c, inc.getId())).containsExactly(IncidentEventKind.INCIDENT_EVENT_KIND_OPENED,
                    IncidentEventKind.INCIDENT_EVENT_KIND_OCCURRENCE, IncidentEventKind.INCIDENT_EVENT_KIND_OCCURRENCE);
            for (UUID v : first) {
                assertThat(fx.count("SELECT count(*) FROM limit_violations WHERE violation_id = ? AND incident_id = ?",
                                    v, inc.getId())).isEqualTo(1);
            }

            // Nothing new: nothing changes.
            fx.runEngine();
            assertThat(c.incidents().getIncident(GetIncidentRequest.newBuilder().setId(inc.getId()).build())
                               .getOccurrenceCount()).isEqualTo(3);

            // The fifth occurrence escalates HIGH -> CRITICAL.
            fx.violation(t.id(), search, "BLOCK", now.minusSeconds(600));
            fx.violation(t.id(), search, "BLOCK", now.minusSeconds(300));
            fx.runEngine();
            Incident after = c.incidents().getIncident(GetIncidentRequest.newBuilder().setId(inc.getId()).build());
            assertThat(after.getOccurrenceCount()).isEqualTo(5);
            assertThat(after.getSeverity()).isEqualTo(Severity.CRITICAL);
            assertThat(after.getInitialSeverity()).isEqualTo(Severity.HIGH);
            List<IncidentEvent> events = c.incidents().listIncidentTimeline(
                    ListIncidentTimelineRequest.newBuilder().setId(inc.getId()).build()).getEventsList();
            IncidentEvent escalated = events.get(events.size() - 1);
            assertThat(escalated.getKind()).isEqualTo(IncidentEventKind.INCIDENT_EVENT_KIND_ESCALATED);
            assertThat(escalated.getPreviousSeverity()).isEqualTo(Severity.HIGH);
            assertThat(escalated.getSeverity()).isEqualTo(Severity.CRITICAL);
            assertThat(active(c)).hasSize(2);
            // Most severe first.
            assertThat(active(c).get(0).getId()).isEqualTo(inc.getId());

            GetActiveIncidentsBySeverityResponse counts = c.incidents().getActiveIncidentsBySeverity(
                    GetActiveIncidentsBySeverityRequest.getDefaultInstance());
            assertThat(counts.getSeveritiesList()).extracting(x -> x.getSeverity())
                    .containsExactly(Severity.LOW, Severity.MEDIUM, Severity.HIGH, Severity.CRITICAL);
            assertThat(counts.getSeveritiesList()).extracting(x -> x.getOpenCount()).containsExactly(0L, 0L, 1L, 1L);
            assertThat(counts.getTotalOpenCount()).isEqualTo(2);
            assertThat(counts.getTotalUnacknowledgedCount()).isEqualTo(2);
        }
        assertThat(fx.count("SELECT count(*) FROM audit_ledger WHERE tenant_id = ? AND action = 'incident.opened'",
                            UUID.fromString(t.id()))).isEqualTo(2);
        assertThat(fx.count("SELECT count(*) FROM audit_ledger WHERE tenant_id = ? AND action = 'incident.escalated'",
                            UUID.fromString(t.id()))).isEqualTo(1);
    }

    @Test
    void warningsOpenAnIncidentOnlyWhenTheyRepeatWithinAnHour() {
        server.clock.set(now);
        var t = fx.tenant("Incidents Warnings", now.minus(Duration.ofDays(1)));
        UUID limit = fx.limit(t.id(), "Warned spend", "search");
        UUID lone = fx.violation(t.id(), limit, "WARN", now.minus(Duration.ofHours(3)));
        fx.violation(t.id(), limit, "WARN", now.minusSeconds(3000));
        fx.violation(t.id(), limit, "WARN", now.minusSeconds(2400));
        fx.runEngine();
        try (GovconClient c = server.grpc(t.ownerKey())) {
            assertThat(active(c)).isEmpty();
            fx.violation(t.id(), limit, "WARN", now.minusSeconds(1200));
            fx.runEngine();
            List<Incident> open = active(c);
            assertThat(open).hasSize(1);
            assertThat(open.get(0).getSeverity()).isEqualTo(Severity.MEDIUM);
            assertThat(open.get(0).getOccurrenceCount()).isEqualTo(3);
            assertThat(open.get(0).getCause()).isEqualTo("limit_warning:" + limit);
            assertThat(Times.instant(open.get(0).getOpenedTime())).isEqualTo(now.minusSeconds(3000));
            assertThat(fx.count("SELECT count(*) FROM limit_violations WHERE violation_id = ? AND incident_id = ''",
                                lone)).isEqualTo(1);
            // While it is open, a single further WARN joins it.
            fx.violation(t.id(), limit, "WARN", now.minusSeconds(60));
            fx.runEngine();
            assertThat(active(c).get(0).getOccurrenceCount()).isEqualTo(4);
        }
    }

    @Test
    void highSignalsAndFailingJobsOpenIncidentsLowSignalsDoNot() {
        server.clock.set(now);
        // Job runs are server-wide: these are older than every other tenant of this class, so
        // only this tenant (created before them) gets their incident.
        var t = fx.tenant("Incidents Signals", now.minus(Duration.ofDays(11)));
        UUID high = fx.signal(t.id(), "ERROR_RATE_SPIKE", "FEATURE", "search", "HIGH", now.minusSeconds(600));
        UUID low = fx.signal(t.id(), "COST_SPIKE", "MODEL", "gpt-4o", "LOW", now.minusSeconds(500));
        UUID critical = fx.signal(t.id(), "LATENCY_DEGRADATION", "MODEL", "gpt-4o", "CRITICAL", now.minusSeconds(400));
        fx.failedJobRun("rollup-daily", now.minus(Duration.ofDays(10)));
        fx.failedJobRun("rollup-daily", now.minus(Duration.ofDays(10)).plusSeconds(100));
        fx.runEngine();
        try (GovconClient c = server.grpc(t.ownerKey())) {
            List<Incident> open = active(c);
            assertThat(open).extracting(Incident::getSeverity)
                    .containsExactly(Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM);
            Incident crit = open.get(0);
            assertThat(crit.getSource()).isEqualTo(IncidentSource.INCIDENT_SOURCE_SIGNAL);
            assertThat(crit.getCause()).isEqualTo("signal:LATENCY_DEGRADATION");
            assertThat(crit.getScope().getModel()).isEqualTo("gpt-4o");
            assertThat(open.get(1).getScope().getFeature()).isEqualTo("search");
            Incident job = open.get(2);
            assertThat(job.getSource()).isEqualTo(IncidentSource.INCIDENT_SOURCE_JOB);
            assertThat(job.getCause()).isEqualTo("job_failing:rollup-daily");
            assertThat(job.getOccurrenceCount()).isEqualTo(2);
            assertThat(fx.count("SELECT count(*) FROM risk_signals WHERE signal_id = ? AND incident_id = ?::uuid",
                                high, open.get(1).getId())).isEqualTo(1);
            assertThat(fx.count("SELECT count(*) FROM risk_signals WHERE signal_id = ? AND incident_id IS NULL",
                                low)).isEqualTo(1);
            assertThat(fx.count("SELECT count(*) FROM risk_signals WHERE signal_id = ? AND incident_id IS NOT NULL",
                                critical)).isEqualTo(1);
            // Filters of the open list.
            assertThat(c.incidents().listActiveIncidents(ListActiveIncidentsRequest.newBuilder()
                    .setSource(IncidentSource.INCIDENT_SOURCE_JOB).build()).getIncidentsList())
                    .extracting(Incident::getId).containsExactly(job.getId());
            assertThat(c.incidents().listActiveIncidents(ListActiveIncidentsRequest.newBuilder()
                    .setModel("gpt-4o").build()).getTotalCount()).isEqualTo(1);
            // Paging walks the same order.
            var page1 = c.incidents().listActiveIncidents(ListActiveIncidentsRequest.newBuilder().setPageSize(2).build());
            var page2 = c.incidents().listActiveIncidents(ListActiveIncidentsRequest.newBuilder().setPageSize(2)
                    .setPageToken(page1.getNextPageToken()).build());
            assertThat(page1.getIncidentsList()).extracting(Incident::getId)
                    .containsExactly(open.get(0).getId(), open.get(1).getId());
            assertThat(page2.getIncidentsList()).extracting(Incident::getId).containsExactly(job.getId());
            assertThat(page2.getNextPageToken()).isEmpty();
        }
    }

    @Test
    void lifecycleActiveAcknowledgedResolvedWithIllegalTransitionsRefused() {
        server.clock.set(now);
        var t = fx.tenant("Incidents Lifecycle", now.minus(Duration.ofDays(1)));
        UUID limit = fx.limit(t.id(), "Lifecycle spend", "search");
        fx.violation(t.id(), limit, "BLOCK", now.minusSeconds(600));
        fx.runEngine();
        String viewer = server.post("/api/v1/connectivity/api-keys", "{\"name\":\"v\",\"role\":\"VIEWER\"}", t.ownerKey())
                .json().get("secret").asText();
        try (GovconClient c = server.grpc(t.ownerKey())) {
            String id = active(c).get(0).getId();
            String base = "/api/v1/incidents/" + id;
            assertThat(server.post(base + "/acknowledge", "{}", viewer).status()).isEqualTo(403);
            assertThat(server.get(base, viewer).status()).isEqualTo(200);

            server.clock.set(now.plusSeconds(120));
            Reply ack = server.post(base + "/acknowledge", "{\"note\":\"looking\"}", t.ownerKey());
            assertThat(ack.status()).as(ack.toString()).isEqualTo(200);
            JsonNode acked = ack.json().get("incident");
            assertThat(acked.get("state").asText()).isEqualTo("INCIDENT_STATE_ACKNOWLEDGED");
            assertThat(acked.get("time_to_acknowledge").asText()).isEqualTo("720s");
            assertThat(acked.get("acknowledged_by").get("label").asText()).startsWith("owner@");

            Reply again = server.post(base + "/acknowledge", "{}", t.ownerKey());
            assertThat(again.status()).isEqualTo(400);
            assertThat(again.json().get("grpc-code").asText()).isEqualTo("FAILED_PRECONDITION");

            Reply noNote = server.post(base + "/resolve", "{}", t.ownerKey());
            assertThat(noNote.status()).isEqualTo(400);
            assertThat(noNote.json().get("message").asText()).startsWith("resolution_note:");

            server.clock.set(now.plusSeconds(1200));
            Reply resolved = server.post(base + "/resolve", "{\"resolution_note\":\"raised the limit\"}", t.ownerKey());
            assertThat(resolved.status()).as(resolved.toString()).isEqualTo(200);
            assertThat(resolved.json().get("incident").get("state").asText()).isEqualTo("INCIDENT_STATE_RESOLVED");
            assertThat(resolved.json().get("incident").get("time_to_resolve").asText()).isEqualTo("1800s");

            for (String step : new String[] {"/acknowledge", "/resolve"}) {
                Reply late = server.post(base + step, step.equals("/resolve") ? "{\"resolution_note\":\"again\"}" : "{}",
                                         t.ownerKey());
                assertThat(late.status()).isEqualTo(400);
                assertThat(late.json().get("grpc-code").asText()).isEqualTo("FAILED_PRECONDITION");
            }
            assertThat(kinds(c, id)).containsExactly(IncidentEventKind.INCIDENT_EVENT_KIND_OPENED,
                    IncidentEventKind.INCIDENT_EVENT_KIND_ACKNOWLEDGED, IncidentEventKind.INCIDENT_EVENT_KIND_RESOLVED);

            IncidentResolution res = c.incidents().getResolvedIncident(
                    GetResolvedIncidentRequest.newBuilder().setId(id).build());
            assertThat(res.getResolutionNote()).isEqualTo("raised the limit");
            assertThat(res.getTimeToAcknowledge().getSeconds()).isEqualTo(720);
            assertThat(res.getTimeToResolve().getSeconds()).isEqualTo(1800);
            assertThat(res.getResolvedBy().getLabel()).startsWith("owner@");
            assertThat(res.getLifecycleEventsList()).hasSize(3);
            assertThat(server.get("/api/v1/incidents/resolved/" + id, t.ownerKey()).json()
                               .get("resolution_note").asText()).isEqualTo("raised the limit");

            // The same cause after resolution opens a new incident.
            fx.violation(t.id(), limit, "BLOCK", now.plusSeconds(1300));
            server.clock.set(now.plusSeconds(1400));
            fx.runEngine();
            List<Incident> open = active(c);
            assertThat(open).hasSize(1);
            assertThat(open.get(0).getId()).isNotEqualTo(id);
            assertThat(server.get("/api/v1/incidents/resolved/" + open.get(0).getId(), t.ownerKey()).status())
                    .isEqualTo(404);

            // Resolving straight from ACTIVE records the acknowledgement too.
            server.clock.set(now.plusSeconds(1500));
            Incident direct = c.incidents().resolveIncident(ResolveIncidentRequest.newBuilder()
                    .setId(open.get(0).getId()).setResolutionNote("duplicate").build()).getIncident();
            assertThat(direct.getTimeToAcknowledge()).isEqualTo(direct.getTimeToResolve());
            assertThat(direct.getTimeToResolve().getSeconds()).isEqualTo(200);
        }
        UUID tenant = UUID.fromString(t.id());
        assertThat(fx.count("SELECT count(*) FROM audit_ledger WHERE tenant_id = ? AND action = 'incident.acknowledged'",
                            tenant)).isEqualTo(1);
        assertThat(fx.count("SELECT count(*) FROM audit_ledger WHERE tenant_id = ? AND action = 'incident.resolved'",
                            tenant)).isEqualTo(2);
    }

    @Test
    void autoResolveAfterTheTenantsQuietPeriodIsRecordedAsSuch() {
        server.clock.set(now);
        var t = fx.tenant("Incidents Quiet", now.minus(Duration.ofDays(1)));
        try (GovconClient owner = server.grpc(t.ownerKey())) {
            Profile profile = owner.accounts().updateProfile(UpdateProfileRequest.newBuilder()
                    .setIncidentAutoResolveAfter(com.google.protobuf.Duration.newBuilder().setSeconds(7200)).build());
            assertThat(profile.getIncidentAutoResolveAfter().getSeconds()).isEqualTo(7200);
        }
        UUID limit = fx.limit(t.id(), "Quiet spend", "search");
        fx.violation(t.id(), limit, "BLOCK", now.minusSeconds(3600));
        fx.runEngine();
        try (GovconClient c = server.grpc(t.ownerKey())) {
            String id = active(c).get(0).getId();
            server.clock.set(now.plusSeconds(3599));
            fx.runEngine();
            assertThat(active(c)).hasSize(1);
            server.clock.set(now.plusSeconds(3600));
            fx.runEngine();
            assertThat(active(c)).isEmpty();
            Incident done = c.incidents().getIncident(GetIncidentRequest.newBuilder().setId(id).build());
            assertThat(done.getAutoResolved()).isTrue();
            assertThat(done.getResolvedBy().getId()).isEqualTo(IncidentEngineJob.NAME);
            assertThat(kinds(c, id)).endsWith(IncidentEventKind.INCIDENT_EVENT_KIND_AUTO_RESOLVED);
        }
        assertThat(fx.count("SELECT count(*) FROM audit_ledger WHERE tenant_id = ? AND action = 'incident.auto_resolved'",
                            UUID.fromString(t.id()))).isEqualTo(1);

        try (GovconClient owner = server.grpc(t.ownerKey())) {
            Profile off = owner.accounts().updateProfile(UpdateProfileRequest.newBuilder()
                    .addClearFields("incident_auto_resolve_after").build());
            assertThat(off.hasIncidentAutoResolveAfter()).as("cleared: incidents wait for a person").isFalse();
        }
    }

    static com.google.protobuf.Duration minutes(double m) {
        long nanos = Math.round(m * 60_000_000_000d);
        return com.google.protobuf.Duration.newBuilder().setSeconds(nanos / 1_000_000_000).setNanos((int) (nanos % 1_000_000_000))
                .build();
    }

    @Test
    void statsTrendsPatternsAndHistoryEqualHandComputedValues() {
        Instant day = now.truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(3));
        Instant t0 = day.plus(Duration.ofHours(2));
        var t = fx.tenant("Incidents Stats", day.minus(Duration.ofDays(1)));
        UUID l1 = fx.limit(t.id(), "L1", "search");
        UUID l2 = fx.limit(t.id(), "L2", "chat");
        fx.violation(t.id(), l1, "BLOCK", t0);
        fx.violation(t.id(), l2, "BLOCK", t0);
        fx.signal(t.id(), "COST_SPIKE", "FEATURE", "chat", "CRITICAL", t0);
        server.clock.set(t0.plusSeconds(60));
        fx.runEngine();
        try (GovconClient c = server.grpc(t.ownerKey())) {
            List<Incident> open = active(c);
            String inc3 = open.get(0).getId();
            String inc1 = open.stream().filter(i -> i.getCause().endsWith(l1.toString())).findFirst().orElseThrow().getId();
            String inc2 = open.stream().filter(i -> i.getCause().endsWith(l2.toString())).findFirst().orElseThrow().getId();
            server.clock.set(t0.plus(Duration.ofMinutes(5)));
            c.incidents().acknowledgeIncident(AcknowledgeIncidentRequest.newBuilder().setId(inc3).build());
            server.clock.set(t0.plus(Duration.ofMinutes(10)));
            c.incidents().acknowledgeIncident(AcknowledgeIncidentRequest.newBuilder().setId(inc1).build());
            server.clock.set(t0.plus(Duration.ofMinutes(30)));
            c.incidents().resolveIncident(ResolveIncidentRequest.newBuilder().setId(inc2).setResolutionNote("n").build());
            server.clock.set(t0.plus(Duration.ofMinutes(70)));
            c.incidents().resolveIncident(ResolveIncidentRequest.newBuilder().setId(inc1).setResolutionNote("n").build());
            server.clock.set(t0.plus(Duration.ofMinutes(120)));
            c.incidents().resolveIncident(ResolveIncidentRequest.newBuilder().setId(inc3).setResolutionNote("n").build());
            // L1 comes back: a second incident of the same fingerprint, with one more occurrence.
            fx.violation(t.id(), l1, "BLOCK", t0.plus(Duration.ofMinutes(80)));
            fx.violation(t.id(), l1, "BLOCK", t0.plus(Duration.ofMinutes(100)));
            server.clock.set(t0.plus(Duration.ofMinutes(121)));
            fx.runEngine();
            String inc4 = active(c).get(0).getId();

            GetResolutionStatsResponse stats = c.incidents().getResolutionStats(GetResolutionStatsRequest.newBuilder()
                    .setStartTime(Times.ts(day)).setEndTime(Times.ts(day.plus(Duration.ofDays(1)))).build());
            assertThat(stats.getBySeverityList()).extracting(IncidentResolutionStats::getSeverity)
                    .containsExactly(Severity.LOW, Severity.MEDIUM, Severity.HIGH, Severity.CRITICAL);
            IncidentResolutionStats low = stats.getBySeverity(0);
            assertThat(low.getResolvedCount()).isZero();
            assertThat(low.hasMeanTimeToResolve()).isFalse();
            IncidentResolutionStats high = stats.getBySeverity(2);
            assertThat(high.getResolvedCount()).isEqualTo(2);
            assertThat(high.getMeanTimeToAcknowledge()).isEqualTo(minutes(20));
            assertThat(high.getMeanTimeToResolve()).isEqualTo(minutes(50));
            assertThat(high.getMedianTimeToResolve()).isEqualTo(minutes(50));
            assertThat(high.getP90TimeToResolve()).isEqualTo(minutes(66));
            IncidentResolutionStats crit = stats.getBySeverity(3);
            assertThat(crit.getResolvedCount()).isEqualTo(1);
            assertThat(crit.getMeanTimeToAcknowledge()).isEqualTo(minutes(5));
            assertThat(crit.getMeanTimeToResolve()).isEqualTo(minutes(120));
            IncidentResolutionStats all = stats.getOverall();
            assertThat(all.getResolvedCount()).isEqualTo(3);
            assertThat(all.getMeanTimeToAcknowledge()).isEqualTo(minutes(15));
            assertThat(all.getMeanTimeToResolve()).isEqualTo(minutes(220.0 / 3));
            assertThat(all.getMedianTimeToResolve()).isEqualTo(minutes(70));
            assertThat(all.getP90TimeToResolve()).isEqualTo(minutes(110));
            assertThat(stats.getOpenCount()).isEqualTo(1);

            List<IncidentTrendPoint> points = c.incidents().getIncidentTrends(GetIncidentTrendsRequest.newBuilder()
                    .setStartTime(Times.ts(day.minus(Duration.ofDays(1))))
                    .setEndTime(Times.ts(day.plus(Duration.ofDays(2)))).build()).getPointsList();
            assertThat(points).hasSize(12);
            assertThat(points).extracting(p -> Times.instant(p.getBucketStartTime())).containsSubsequence(
                    day.minus(Duration.ofDays(1)), day, day.plus(Duration.ofDays(1)));
            for (IncidentTrendPoint p : points) {
                boolean theDay = Times.instant(p.getBucketStartTime()).equals(day);
                long opened = !theDay ? 0 : p.getSeverity() == Severity.HIGH ? 3 : p.getSeverity() == Severity.CRITICAL ? 1 : 0;
                long resolved = !theDay ? 0 : p.getSeverity() == Severity.HIGH ? 2 : p.getSeverity() == Severity.CRITICAL ? 1 : 0;
                long occurrences = !theDay ? 0 : p.getSeverity() == Severity.HIGH ? 4 : p.getSeverity() == Severity.CRITICAL ? 1 : 0;
                assertThat(List.of(p.getOpenedCount(), p.getResolvedCount(), p.getOccurrenceCount())).as(p.toString())
                        .containsExactly(opened, resolved, occurrences);
            }

            List<IncidentPattern> patterns = c.incidents().listIncidentPatterns(ListIncidentPatternsRequest.newBuilder()
                    .setStartTime(Times.ts(day)).setEndTime(Times.ts(day.plus(Duration.ofDays(1)))).build())
                    .getPatternsList();
            assertThat(patterns).hasSize(1);
            IncidentPattern p = patterns.get(0);
            assertThat(p.getCause()).isEqualTo("limit_exceeded:" + l1);
            assertThat(p.getIncidentCount()).isEqualTo(2);
            assertThat(p.getOccurrenceCount()).isEqualTo(3);
            assertThat(Times.instant(p.getFirstSeenTime())).isEqualTo(t0);
            assertThat(Times.instant(p.getLastSeenTime())).isEqualTo(t0.plus(Duration.ofMinutes(100)));
            assertThat(p.getMeanTimeBetweenOccurrences()).isEqualTo(minutes(50));
            assertThat(p.getLatestIncidentId()).isEqualTo(inc4);
            assertThat(p.getLatestState()).isEqualTo(IncidentState.INCIDENT_STATE_ACTIVE);
            assertThat(p.getMaxSeverity()).isEqualTo(Severity.HIGH);
            assertThat(c.incidents().listIncidentPatterns(ListIncidentPatternsRequest.newBuilder()
                    .setStartTime(Times.ts(day)).setEndTime(Times.ts(day.plus(Duration.ofDays(1))))
                    .setMinOccurrences(1).build()).getPatternsCount()).isEqualTo(3);

            ListHistoricalIncidentsResponse history = c.incidents().listHistoricalIncidents(
                    ListHistoricalIncidentsRequest.newBuilder().setStartTime(Times.ts(day))
                            .setEndTime(Times.ts(day.plus(Duration.ofDays(1)))).build());
            assertThat(history.getTotalCount()).isEqualTo(4);
            assertThat(history.getIncidents(0).getId()).isEqualTo(inc4);
            assertThat(c.incidents().listHistoricalIncidents(ListHistoricalIncidentsRequest.newBuilder()
                    .setStartTime(Times.ts(day)).setFingerprint(p.getFingerprint()).build()).getIncidentsList())
                    .extracting(Incident::getId).containsExactly(inc4, inc1);
            JsonNode resolved = server.get("/api/v1/incidents/resolved?start_time=" + day + "&page_size=2",
                                           t.ownerKey()).json();
            assertThat(resolved.get("total_count").asLong()).isEqualTo(3);
            assertThat(resolved.get("incidents").get(0).get("id").asText()).isEqualTo(inc3);
            JsonNode next = server.get("/api/v1/incidents/resolved?start_time=" + day + "&page_size=2&page_token="
                                       + resolved.get("next_page_token").asText(), t.ownerKey()).json();
            assertThat(next.get("incidents").get(0).get("id").asText()).isEqualTo(inc2);
        }
    }

    @Test
    void badInputIsRefusedNamingTheFieldAndOtherTenantsIncidentsAreNotFound() {
        server.clock.set(now);
        var t = fx.tenant("Incidents Input", now.minus(Duration.ofDays(1)));
        var other = fx.tenant("Incidents Other", now.minus(Duration.ofDays(1)));
        UUID theirs = fx.limit(other.id(), "Theirs", "search");
        fx.violation(other.id(), theirs, "BLOCK", now.minusSeconds(60));
        fx.runEngine();
        String theirId;
        try (GovconClient c = server.grpc(other.ownerKey())) {
            theirId = active(c).get(0).getId();
        }
        String[][] bad = {
                {"GET", "/api/v1/incidents/not-a-uuid", "id"},
                {"GET", "/api/v1/incidents/not-a-uuid/timeline", "id"},
                {"POST", "/api/v1/incidents/not-a-uuid/acknowledge", "id"},
                {"POST", "/api/v1/incidents/" + theirId + "/resolve", "resolution_note"},
                {"GET", "/api/v1/incidents/resolved/nope", "id"},
                {"GET", "/api/v1/incidents/active?page_size=5000", "page_size"},
                {"GET", "/api/v1/incidents/active?page_token=garbage", "page_token"},
                {"GET", "/api/v1/incidents/active?state=INCIDENT_STATE_RESOLVED", "state"},
                {"GET", "/api/v1/incidents/active?severity=HUGE", "severity"},
                {"GET", "/api/v1/incidents/active?feature=" + "x".repeat(300), "feature"},
                {"GET", "/api/v1/incidents/" + theirId + "/timeline?page_token=zz", "page_token"},
                {"GET", "/api/v1/incidents/resolved?start_time=2026-01-02T00:00:00Z&end_time=2026-01-01T00:00:00Z", "end_time"},
                {"GET", "/api/v1/incidents/resolved?start_time=yesterday", "start_time"},
                {"GET", "/api/v1/incidents/resolved/stats?end_time=later", "end_time"},
                {"GET", "/api/v1/incidents/historical?page_token=nope", "page_token"},
                {"GET", "/api/v1/incidents/historical?source=SOMEWHERE", "source"},
                {"GET", "/api/v1/incidents/trends?start_time=2020-01-01T00:00:00Z", "start_time"},
                {"GET", "/api/v1/incidents/trends?granularity=FORTNIGHT", "granularity"},
                {"GET", "/api/v1/incidents/patterns?min_occurrences=-1", "min_occurrences"},
                {"GET", "/api/v1/incidents/patterns?page_token=bad", "page_token"},
        };
        for (String[] b : bad) {
            Reply r = server.send(b[0], b[1], b[0].equals("POST") ? "{}" : null, t.ownerKey());
            assertThat(r.status()).as(b[1] + " " + r).isEqualTo(400);
            assertThat(r.json().get("message").asText()).as(b[1] + " " + r).startsWith(b[2] + ":");
        }
        String[][] notFound = {
                {"GET", "/api/v1/incidents/" + theirId},
                {"GET", "/api/v1/incidents/" + theirId + "/timeline"},
                {"POST", "/api/v1/incidents/" + theirId + "/acknowledge"},
                {"POST", "/api/v1/incidents/" + theirId + "/resolve"},
                {"GET", "/api/v1/incidents/resolved/" + theirId},
                {"GET", "/api/v1/incidents/" + UUID.randomUUID()},
        };
        for (String[] n : notFound) {
            String body = n[1].endsWith("/resolve") ? "{\"resolution_note\":\"x\"}" : n[0].equals("POST") ? "{}" : null;
            Reply r = server.send(n[0], n[1], body, t.ownerKey());
            assertThat(r.status()).as(n[1] + " " + r).isEqualTo(404);
        }
        // Nothing of the other tenant shows in this tenant's lists.
        for (String list : new String[] {"active", "historical", "resolved", "patterns?min_occurrences=1"}) {
            String body = server.get("/api/v1/incidents/" + list, t.ownerKey()).body();
            assertThat(body).doesNotContain(theirId);
        }
        assertThat(server.get("/api/v1/incidents/active/by-severity", t.ownerKey()).json()
                           .path("total_open_count").asLong()).isZero();
        assertThat(server.get("/api/v1/incidents/active", null).status()).isEqualTo(401);
    }
}
