package dev.govcon.server.overview;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.govcon.proto.v1.ApprovalItem;
import dev.govcon.proto.v1.ApprovalKind;
import dev.govcon.proto.v1.DecisionItem;
import dev.govcon.proto.v1.DecisionKind;
import dev.govcon.proto.v1.GetCostSummaryRequest;
import dev.govcon.proto.v1.GetCostSummaryResponse;
import dev.govcon.proto.v1.GetHighlightsRequest;
import dev.govcon.proto.v1.GetHighlightsResponse;
import dev.govcon.proto.v1.ListApprovalsRequest;
import dev.govcon.proto.v1.ListApprovalsResponse;
import dev.govcon.proto.v1.ListDecisionsRequest;
import dev.govcon.proto.v1.ListDecisionsResponse;
import dev.govcon.proto.v1.Role;
import dev.govcon.proto.v1.Severity;
import dev.govcon.sdk.GovconClient;
import dev.govcon.server.testing.MutableClock;
import dev.govcon.server.testing.RunFixtures;
import dev.govcon.server.testing.RunningServer;
import dev.govcon.server.testing.TestDatabase;
import dev.govcon.server.wire.Times;

/**
 * Highlights, the cost summary, decisions and approvals, each against hand-computed values,
 * on a server whose clock stands at 2026-03-10T10:30Z.
 */
class OverviewReadsTest {
    static final Instant NOW = Instant.parse("2026-03-10T10:30:00Z");

    static RunningServer server;
    static OverviewFixtures fx;

    @BeforeAll
    static void start() {
        server = RunningServer.start(TestDatabase.shared(), new MutableClock(NOW));
        fx = new OverviewFixtures(new RunFixtures(server.database.dataSource()));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static UUID id(RunningServer.Tenant t) {
        return UUID.fromString(t.id());
    }

    // ---- Highlights ----

    @Test
    void highlightsCountTheLastTwentyFourHoursAgainstTheDayBefore() {
        RunningServer.Tenant t = server.newTenant("Highlights Co");
        UUID tid = id(t);
        // "Last 24 h" = the rollup hours from 11:00 the day before (10:00 + 1 h - 24 h) to now.
        fx.run(tid, "h1", "SUCCEEDED", 100, NOW.minus(Duration.ofMinutes(20)));
        fx.run(tid, "h2", "SUCCEEDED", 100, NOW.minus(Duration.ofHours(3)));
        fx.run(tid, "h3", "FAILED", 50, NOW.minus(Duration.ofHours(10)));
        fx.run(tid, "h4", "BLOCKED", 0, Instant.parse("2026-03-09T11:00:00Z"));
        fx.run(tid, "h5", "CANCELLED", 7, Instant.parse("2026-03-09T11:59:59Z"));
        // The 24 h before.
        fx.run(tid, "p1", "SUCCEEDED", 1000, Instant.parse("2026-03-09T10:59:59Z"));
        fx.run(tid, "p2", "TIMED_OUT", 2000, Instant.parse("2026-03-08T11:00:00Z"));
        // Older still.
        fx.run(tid, "o1", "SUCCEEDED", 9999, Instant.parse("2026-03-08T10:59:00Z"));
        fx.sql.rebuildRollups(tid);
        fx.sql.insertLive(tid, "live-1", "gpt-4o", "openai", "search", "u", "production", NOW.minusSeconds(5));
        fx.sql.insertLive(tid, "live-2", "gpt-4o", "openai", "search", "u", "production", NOW.minusSeconds(9));
        fx.limit(tid, "Daily", "SPEND_PER_DAY", 1000);
        fx.limit(tid, "Monthly", "SPEND_PER_MONTH", 1000);
        UUID off = fx.limit(tid, "Off", "SPEND_PER_MONTH", 1000);
        fx.sql.update("UPDATE policy_limits SET status = 'DRAFT' WHERE tenant_id = ? AND limit_id = ?", tid, off);
        fx.sql.update("""
                      INSERT INTO policy_rules (tenant_id, rule_id, name, rule_type, action, status, source, created_at, updated_at)
                      VALUES (?, gen_random_uuid(), 'deny', 'MODEL_DENY_LIST', 'BLOCK', 'ACTIVE', 'MANUAL', now(), now()),
                             (?, gen_random_uuid(), 'draft', 'MODEL_DENY_LIST', 'BLOCK', 'DRAFT', 'MANUAL', now(), now())
                      """, tid, tid);
        fx.violation(tid, "Daily", "BLOCK", NOW.minus(Duration.ofHours(1)));
        fx.violation(tid, "Daily", "WARN", NOW.minus(Duration.ofHours(23)));
        fx.violation(tid, "Daily", "WARN", NOW.minus(Duration.ofHours(25)));
        fx.incident(tid, "a", "CRITICAL", "ACTIVE", NOW.minusSeconds(60));
        fx.incident(tid, "b", "HIGH", "ACKNOWLEDGED", NOW.minusSeconds(60));
        fx.incident(tid, "c", "HIGH", "ACTIVE", NOW.minusSeconds(60));
        fx.incident(tid, "d", "LOW", "RESOLVED", NOW.minusSeconds(600));
        fx.proposal(tid, "pending", "HIGH", "PENDING", NOW.minusSeconds(60), null);
        fx.proposal(tid, "back from deferral", "LOW", "DEFERRED", NOW.minusSeconds(600), NOW.minusSeconds(1));
        fx.proposal(tid, "still deferred", "LOW", "DEFERRED", NOW.minusSeconds(600), NOW.plusSeconds(3600));
        fx.proposal(tid, "accepted", "LOW", "ACCEPTED", NOW.minusSeconds(600), null);

        GetHighlightsResponse h;
        try (GovconClient c = server.grpc(t.ownerKey())) {
            h = c.overview().getHighlights(GetHighlightsRequest.getDefaultInstance());
        }
        assertThat(h.getRunsLast24H()).isEqualTo(5);
        assertThat(h.getFailedRunsLast24H()).isEqualTo(2); // FAILED and BLOCKED
        assertThat(h.getSpendLast24HMicros()).isEqualTo(257);
        assertThat(h.getRunsPrevious24H()).isEqualTo(2);
        assertThat(h.getSpendPrevious24HMicros()).isEqualTo(3000);
        assertThat(h.getLiveRuns()).isEqualTo(2);
        assertThat(h.getActiveRules()).isEqualTo(1);
        assertThat(h.getActiveLimits()).isEqualTo(2);
        assertThat(h.getViolationsLast24H()).isEqualTo(2);
        assertThat(h.getOpenProposals()).isEqualTo(2);
        assertThat(h.getActiveIncidents()).isEqualTo(3);
        assertThat(h.getActiveIncidentsBySeverityList()).extracting(s -> s.getSeverity() + "=" + s.getCount())
                .containsExactly("CRITICAL=1", "HIGH=2", "MEDIUM=0", "LOW=0");
        assertThat(Times.instant(h.getAsOf())).isEqualTo(NOW);

        JsonNode rest = server.get("/api/v1/overview/highlights", t.ownerKey()).json();
        assertThat(rest.get("runs_last_24h").asText()).isEqualTo("5");
        assertThat(rest.get("active_incidents_by_severity").get(0).get("severity").asText()).isEqualTo("CRITICAL");
    }

    // ---- Cost summary ----

    @Test
    void costSummaryForecastsTheMonthFromADailyHistoryAndComparesTheMonthlyLimit() {
        RunningServer.Tenant t = server.newTenant("Cost Co");
        UUID tid = id(t);
        // 1.00 $ a day at noon for the 28 days before today, then 0.40 + 0.10 $ today.
        for (int d = 1; d <= 28; d++) {
            fx.run(tid, "day-" + d, "SUCCEEDED", 1_000_000, Instant.parse("2026-03-10T12:00:00Z").minus(Duration.ofDays(d)));
        }
        fx.run(tid, "today-1", "SUCCEEDED", 400_000, Instant.parse("2026-03-10T09:00:00Z"));
        fx.run(tid, "today-2", "FAILED", 100_000, Instant.parse("2026-03-10T10:10:00Z"));
        fx.sql.rebuildRollups(tid);
        UUID tight = fx.limit(tid, "Company cap", "SPEND_PER_MONTH", 20_000_000);
        fx.limit(tid, "Loose cap", "SPEND_PER_MONTH", 50_000_000);
        fx.limit(tid, "Search cap", "SPEND_PER_MONTH", 1_000_000, "search"); // scoped: not tenant-wide
        fx.limit(tid, "Daily", "SPEND_PER_DAY", 100);

        GetCostSummaryResponse c;
        try (GovconClient client = server.grpc(t.ownerKey())) {
            c = client.overview().getCostSummary(GetCostSummaryRequest.getDefaultInstance());
        }
        assertThat(c.getTimeZone()).isEqualTo("UTC");
        assertThat(c.getTodayMicros()).isEqualTo(500_000);
        assertThat(c.getMonthToDateMicros()).isEqualTo(9_500_000); // March 1-9 and today
        // A flat history: Holt forecasts 1.00 $ a day for today and the 21 days after, with no spread.
        assertThat(c.getForecastMonthEndMicros()).isEqualTo(31_000_000);
        assertThat(c.getForecastLowerMicros()).isEqualTo(31_000_000);
        assertThat(c.getForecastUpperMicros()).isEqualTo(31_000_000);
        assertThat(c.getMonthlyLimitId()).isEqualTo(tight.toString());
        assertThat(c.getMonthlyLimitMicros()).isEqualTo(20_000_000);
        assertThat(c.getMonthToDateLimitRatio()).isEqualTo(0.475);
        assertThat(c.getForecastLimitRatio()).isEqualTo(1.55);
        assertThat(Times.instant(c.getMonthStart())).isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));
        assertThat(Times.instant(c.getMonthEnd())).isEqualTo(Instant.parse("2026-04-01T00:00:00Z"));
    }

    @Test
    void costSummaryIsExactInAZoneWhoseDaysStartOnTheHalfHour() {
        RunningServer.Tenant t = server.newTenant("Kolkata Co");
        UUID tid = id(t);
        fx.sql.update("UPDATE tenants SET time_zone = 'Asia/Kolkata' WHERE tenant_id = ?", tid);
        // Today in Kolkata began at 2026-03-09T18:30Z; both runs fall in the rollup hour 18:00Z.
        fx.run(tid, "yesterday", "SUCCEEDED", 7, Instant.parse("2026-03-09T18:10:00Z"));
        fx.run(tid, "today", "SUCCEEDED", 11, Instant.parse("2026-03-09T18:40:00Z"));
        fx.run(tid, "later", "SUCCEEDED", 13, Instant.parse("2026-03-10T09:00:00Z"));
        fx.run(tid, "last-month", "SUCCEEDED", 1000, Instant.parse("2026-02-28T18:29:00Z")); // Mar 1 00:-- is 18:30Z
        fx.sql.rebuildRollups(tid);
        GetCostSummaryResponse c;
        try (GovconClient client = server.grpc(t.ownerKey())) {
            c = client.overview().getCostSummary(GetCostSummaryRequest.getDefaultInstance());
        }
        assertThat(c.getTimeZone()).isEqualTo("Asia/Kolkata");
        assertThat(c.getTodayMicros()).isEqualTo(24);
        assertThat(c.getMonthToDateMicros()).isEqualTo(31);
        assertThat(Times.instant(c.getMonthStart())).isEqualTo(Instant.parse("2026-02-28T18:30:00Z"));
        // The month cannot end below what is already spent.
        assertThat(c.getForecastLowerMicros()).isGreaterThanOrEqualTo(31);
        assertThat(c.getForecastMonthEndMicros()).isBetween(c.getForecastLowerMicros(), c.getForecastUpperMicros());
        assertThat(c.hasMonthlyLimitMicros()).isFalse();
        assertThat(c.getMonthToDateLimitRatio()).isZero();
    }

    @Test
    void withLessThanThreeDaysOfHistoryTheForecastIsTheDailyAverageSoFar() {
        RunningServer.Tenant t = server.newTenant("New Co");
        UUID tid = id(t);
        fx.run(tid, "yesterday", "SUCCEEDED", 300, Instant.parse("2026-03-09T08:00:00Z"));
        fx.run(tid, "today", "SUCCEEDED", 700, Instant.parse("2026-03-10T08:00:00Z"));
        fx.sql.rebuildRollups(tid);
        GetCostSummaryResponse c;
        try (GovconClient client = server.grpc(t.ownerKey())) {
            c = client.overview().getCostSummary(GetCostSummaryRequest.getDefaultInstance());
        }
        // 1000 over 10 days elapsed (today counted whole), times 31 days; no interval.
        assertThat(c.getMonthToDateMicros()).isEqualTo(1000);
        assertThat(c.getForecastMonthEndMicros()).isEqualTo(3100);
        assertThat(c.getForecastLowerMicros()).isZero();
        assertThat(c.getForecastUpperMicros()).isZero();
    }

    // ---- Decisions ----

    @Test
    void decisionsListWhatWaitsForAPersonMostUrgentFirst() {
        RunningServer.Tenant t = server.newTenant("Decisions Co");
        UUID tid = id(t);
        UUID critical = fx.incident(tid, "Payments down", "CRITICAL", "ACTIVE", NOW.minus(Duration.ofHours(1)));
        UUID low = fx.incident(tid, "Odd latency", "LOW", "ACTIVE", NOW.minus(Duration.ofHours(3)));
        fx.incident(tid, "Being handled", "HIGH", "ACKNOWLEDGED", NOW.minus(Duration.ofHours(3)));
        UUID proposal = fx.proposal(tid, "Cap search spend", "HIGH", "PENDING", NOW.minus(Duration.ofDays(1)), null);
        fx.proposal(tid, "Deferred", "HIGH", "DEFERRED", NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(1)));
        String soon = createKey(t, "ci soon", NOW.plus(Duration.ofDays(2)));
        String later = createKey(t, "ci later", NOW.plus(Duration.ofDays(10)));
        createKey(t, "far", NOW.plus(Duration.ofDays(20)));
        String revoked = createKey(t, "revoked", NOW.plus(Duration.ofDays(1)));
        assertThat(server.delete("/api/v1/connectivity/api-keys/" + revoked, t.ownerKey()).status()).isEqualTo(200);
        // A rotated key keeps working for its grace period: that is not a decision; its successor
        // inherits the expiry and is one.
        String rotated = createKey(t, "rotated", NOW.plus(Duration.ofDays(5)));
        RunningServer.Reply rot = server.post("/api/v1/connectivity/api-keys/" + rotated + "/rotate", "{}", t.ownerKey());
        assertThat(rot.status()).as(rot.toString()).isEqualTo(200);
        String successor = rot.json().get("api_key").get("id").asText();

        ListDecisionsResponse all;
        try (GovconClient c = server.grpc(t.ownerKey())) {
            all = c.overview().listDecisions(ListDecisionsRequest.newBuilder().setPageSize(100).build());
        }
        assertThat(all.getItemsList()).extracting(DecisionItem::getResourceId).containsExactly(
                critical.toString(), soon, proposal.toString(), successor, later, low.toString());
        assertThat(all.getTotalCount()).isEqualTo(6);
        DecisionItem key = all.getItems(1);
        assertThat(key.getKind()).isEqualTo(DecisionKind.DECISION_KIND_RENEW_API_KEY);
        assertThat(key.getSeverity()).isEqualTo(Severity.HIGH);
        assertThat(key.getRequiredRole()).isEqualTo(Role.ADMIN);
        assertThat(Times.instant(key.getDueAt())).isEqualTo(NOW.plus(Duration.ofDays(2)));
        assertThat(key.getReason()).startsWith("Expires in 2 days");
        DecisionItem incident = all.getItems(0);
        assertThat(incident.getKind()).isEqualTo(DecisionKind.DECISION_KIND_ACKNOWLEDGE_INCIDENT);
        assertThat(incident.getResourceType()).isEqualTo("incident");
        assertThat(incident.getRequiredRole()).isEqualTo(Role.MEMBER);
        assertThat(incident.getReason()).isEqualTo("Open for 60 minutes with 2 occurrences; nobody has acknowledged it");
        assertThat(all.getItems(2).getKind()).isEqualTo(DecisionKind.DECISION_KIND_REVIEW_PROPOSAL);
        assertThat(all.getItems(2).getSeverity()).isEqualTo(Severity.HIGH);
        assertThat(all.getItems(2).getResourceType()).isEqualTo("policy_proposal");
        assertThat(all.getItems(3).getSeverity()).isEqualTo(Severity.MEDIUM);
        assertThat(Times.instant(all.getItems(3).getDueAt())).isEqualTo(NOW.plus(Duration.ofDays(5)));

        // Paged by twos, the same order; a kind filter keeps only that kind.
        try (GovconClient c = server.grpc(t.ownerKey())) {
            List<String> paged = new java.util.ArrayList<>();
            String token = "";
            do {
                ListDecisionsResponse p = c.overview().listDecisions(
                        ListDecisionsRequest.newBuilder().setPageSize(2).setPageToken(token).build());
                p.getItemsList().forEach(i -> paged.add(i.getResourceId()));
                token = p.getNextPageToken();
            } while (!token.isEmpty());
            assertThat(paged).containsExactlyElementsOf(all.getItemsList().stream().map(DecisionItem::getResourceId).toList());
            ListDecisionsResponse keys = c.overview().listDecisions(ListDecisionsRequest.newBuilder()
                    .addKinds(DecisionKind.DECISION_KIND_RENEW_API_KEY).build());
            assertThat(keys.getItemsList()).extracting(DecisionItem::getResourceId).containsExactly(soon, successor, later);
            assertThat(keys.getTotalCount()).isEqualTo(3);
        }
    }

    static String createKey(RunningServer.Tenant t, String name, Instant expires) {
        RunningServer.Reply r = server.post("/api/v1/connectivity/api-keys",
                "{\"name\":\"" + name + "\",\"role\":\"VIEWER\",\"expires_at\":\"" + expires + "\"}", t.ownerKey());
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json().get("api_key").get("id").asText();
    }

    // ---- Approvals ----

    @Test
    void approvalsListPendingProposalsAndInvitationsOldestFirst() {
        RunningServer.Tenant t = server.newTenant("Approvals Co");
        UUID tid = id(t);
        UUID old = fx.proposal(tid, "Cap chat spend", "MEDIUM", "PENDING", NOW.minus(Duration.ofDays(3)), null);
        fx.proposal(tid, "Accepted", "MEDIUM", "ACCEPTED", NOW.minus(Duration.ofDays(4)), null);
        String first = invite(t, "ann@approvals.example", "ADMIN");
        server.clock.advance(Duration.ofSeconds(5));
        String second = invite(t, "bob@approvals.example", "VIEWER");
        String cancelled = invite(t, "cat@approvals.example", "MEMBER");
        assertThat(server.delete("/api/v1/accounts/invitations/" + cancelled, t.ownerKey()).status()).isEqualTo(200);
        String expired = invite(t, "dan@approvals.example", "MEMBER");
        fx.sql.update("UPDATE invitations SET created_at = ?, expires_at = ? WHERE tenant_id = ? AND invitation_id = ?",
                      OverviewFixtures.ts(NOW.minus(Duration.ofDays(8))), OverviewFixtures.ts(NOW.minusSeconds(1)), tid,
                      UUID.fromString(expired));
        server.clock.set(NOW);

        ListApprovalsResponse all;
        try (GovconClient c = server.grpc(t.ownerKey())) {
            all = c.overview().listApprovals(ListApprovalsRequest.newBuilder().setPageSize(100).build());
            assertThat(all.getItemsList()).extracting(ApprovalItem::getResourceId)
                    .containsExactly(old.toString(), first, second);
            assertThat(all.getTotalCount()).isEqualTo(3);
            ApprovalItem proposal = all.getItems(0);
            assertThat(proposal.getKind()).isEqualTo(ApprovalKind.APPROVAL_KIND_POLICY_PROPOSAL);
            assertThat(proposal.getSummary())
                    .isEqualTo("Over the last 120 runs it would have blocked 7 and warned 3, preventing $2.50");
            ApprovalItem invitation = all.getItems(1);
            assertThat(invitation.getKind()).isEqualTo(ApprovalKind.APPROVAL_KIND_INVITATION);
            assertThat(invitation.getTitle()).isEqualTo("Invitation of ann@approvals.example as ADMIN");
            assertThat(invitation.getRequestedBy().getLabel()).isEqualTo("owner@approvalsco.example");
            assertThat(invitation.hasExpiresAt()).isTrue();

            ListApprovalsResponse p1 = c.overview().listApprovals(ListApprovalsRequest.newBuilder().setPageSize(2).build());
            ListApprovalsResponse p2 = c.overview().listApprovals(ListApprovalsRequest.newBuilder().setPageSize(2)
                    .setPageToken(p1.getNextPageToken()).build());
            assertThat(p1.getItemsList()).extracting(ApprovalItem::getResourceId).containsExactly(old.toString(), first);
            assertThat(p2.getItemsList()).extracting(ApprovalItem::getResourceId).containsExactly(second);
            assertThat(p2.getNextPageToken()).isEmpty();

            ListApprovalsResponse invitations = c.overview().listApprovals(ListApprovalsRequest.newBuilder()
                    .addKinds(ApprovalKind.APPROVAL_KIND_INVITATION).build());
            assertThat(invitations.getItemsList()).extracting(ApprovalItem::getResourceId).containsExactly(first, second);
        }
    }

    static String invite(RunningServer.Tenant t, String email, String role) {
        RunningServer.Reply r = server.post("/api/v1/accounts/users/invite",
                "{\"email\":\"" + email + "\",\"role\":\"" + role + "\"}", t.ownerKey());
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json().get("invitation").get("id").asText();
    }
}
