package dev.govcon.server.overview;

import static dev.govcon.server.testing.Refusals.assertRefused;
import static dev.govcon.server.testing.Refusals.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.google.protobuf.Timestamp;

import dev.govcon.proto.v1.GetCostSummaryRequest;
import dev.govcon.proto.v1.GetHighlightsRequest;
import dev.govcon.proto.v1.GetPulseRequest;
import dev.govcon.proto.v1.ListApprovalsRequest;
import dev.govcon.proto.v1.ListDecisionsRequest;
import dev.govcon.proto.v1.ListRecentActivityRequest;
import dev.govcon.proto.v1.PulseState;
import dev.govcon.sdk.GovconClient;
import dev.govcon.server.testing.RunFixtures;
import dev.govcon.server.testing.Refusals.BadGet;
import dev.govcon.server.testing.RunningServer;
import dev.govcon.server.testing.RunningServer.Reply;

/**
 * Input the overview refuses (400 naming the field), who may call it, and tenants kept apart:
 * another tenant sees none of this tenant's items, and the deep links it would follow are 404.
 */
class OverviewBadInputTest {
    static final String FEED = "/api/v1/overview/recent-activity";
    static final String DECISIONS = "/api/v1/overview/decisions";
    static final String APPROVALS = "/api/v1/overview/approvals";

    static RunningServer server;
    static OverviewFixtures fx;
    static RunningServer.Tenant acme;
    static RunningServer.Tenant other;

    @BeforeAll
    static void start() {
        server = RunningServer.start();
        fx = new OverviewFixtures(new RunFixtures(server.database.dataSource()));
        acme = server.newTenant("Overview Bad Input");
        other = server.newTenant("Overview Bad Input Other");
    }

    @AfterAll
    static void stop() {
        server.close();
    }


    static Stream<BadGet> cases() {
        return Stream.of(
                new BadGet("feed: page size too big", FEED + "?page_size=1001", "page_size"),
                new BadGet("feed: negative page size", FEED + "?page_size=-1", "page_size"),
                new BadGet("feed: foreign token", FEED + "?page_token=not-a-token", "page_token"),
                new BadGet("feed: unknown type", FEED + "?types=RECENT_ACTIVITY_EXPLOSION", "types"),
                new BadGet("feed: unspecified type", FEED + "?types=RECENT_ACTIVITY_TYPE_UNSPECIFIED", "types"),
                new BadGet("feed: bad start", FEED + "?start_time=yesterday", "start_time"),
                new BadGet("feed: end before start",
                        FEED + "?start_time=2026-01-02T00:00:00Z&end_time=2026-01-01T00:00:00Z", "end_time"),
                new BadGet("decisions: page size", DECISIONS + "?page_size=5000", "page_size"),
                new BadGet("decisions: foreign token", DECISIONS + "?page_token=abc", "page_token"),
                new BadGet("decisions: unknown kind", DECISIONS + "?kinds=DECISION_KIND_PANIC", "kinds"),
                new BadGet("decisions: unspecified kind", DECISIONS + "?kinds=DECISION_KIND_UNSPECIFIED", "kinds"),
                new BadGet("approvals: page size", APPROVALS + "?page_size=-3", "page_size"),
                new BadGet("approvals: foreign token", APPROVALS + "?page_token=%25%25", "page_token"),
                new BadGet("approvals: unknown kind", APPROVALS + "?kinds=APPROVAL_KIND_BRIBE", "kinds"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void refusedNamingTheField(BadGet bad) {
        assertRefused(server.get(bad.path(), acme.ownerKey()), bad.field());
    }

    @Test
    void aTokenOfOneListIsRefusedByAnother() {
        RunningServer.Tenant t = server.newTenant("Overview Tokens");
        for (int i = 0; i < 3; i++) {
            fx.violation(UUID.fromString(t.id()), "x", "LOG", server.clock.instant().minusSeconds(i + 1));
        }
        String feedToken = server.get(FEED + "?page_size=1", t.ownerKey()).json().get("next_page_token").asText();
        assertThat(feedToken).isNotEmpty();
        Reply reply = server.get(DECISIONS + "?page_token=" + feedToken, t.ownerKey());
        assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
        assertThat(reply.json().get("message").asText()).startsWith("page_token:");
    }

    @Test
    void grpcRefusesEnumNumbersAndTimesJsonCannotCarry() {
        Timestamp invalid = Timestamp.newBuilder().setSeconds(1).setNanos(-5).build();
        try (GovconClient c = server.grpc(acme.ownerKey())) {
            assertInvalid(() -> c.overview().listRecentActivity(
                    ListRecentActivityRequest.newBuilder().addTypesValue(42).build()), "types");
            assertInvalid(() -> c.overview().listRecentActivity(
                    ListRecentActivityRequest.newBuilder().setEndTime(invalid).build()), "end_time");
            assertInvalid(() -> c.overview().listDecisions(
                    ListDecisionsRequest.newBuilder().addKindsValue(42).build()), "kinds");
            assertInvalid(() -> c.overview().listApprovals(
                    ListApprovalsRequest.newBuilder().addKindsValue(42).build()), "kinds");
        }
    }


    @Test
    void everyRoleThatReadsMayCallItAndNobodyElse() {
        Reply viewer = server.post("/api/v1/connectivity/api-keys", "{\"name\":\"v\",\"role\":\"VIEWER\"}", acme.ownerKey());
        Reply ingest = server.post("/api/v1/connectivity/api-keys", "{\"name\":\"i\",\"role\":\"INGEST\"}", acme.ownerKey());
        String viewerKey = viewer.json().get("secret").asText();
        String ingestKey = ingest.json().get("secret").asText();
        for (String path : new String[] {"/api/v1/overview/highlights", "/api/v1/overview/pulse",
                "/api/v1/overview/cost-summary", FEED, DECISIONS, APPROVALS}) {
            assertThat(server.get(path, viewerKey).status()).as(path).isEqualTo(200);
            assertThat(server.get(path, ingestKey).status()).as(path).isEqualTo(403);
            assertThat(server.get(path, null).status()).as(path).isEqualTo(401);
        }
    }

    @Test
    void anotherTenantSeesNoneOfItAndItsDeepLinksAreNotFound() {
        UUID acmeId = UUID.fromString(acme.id());
        Instant now = server.clock.instant();
        fx.run(acmeId, "acme-run", "FAILED", 5_000, now.minusSeconds(30));
        fx.sql.rebuildRollups(acmeId);
        fx.violation(acmeId, "Acme cap", "BLOCK", now.minusSeconds(20));
        UUID incident = fx.incident(acmeId, "Acme down", "CRITICAL", "ACTIVE", now.minusSeconds(10));
        UUID proposal = fx.proposal(acmeId, "Acme proposal", "HIGH", "PENDING", now.minusSeconds(10), null);
        UUID limit = fx.limit(acmeId, "Acme monthly", "SPEND_PER_MONTH", 1_000);
        Reply key = server.post("/api/v1/connectivity/api-keys", "{\"name\":\"expiring\",\"role\":\"VIEWER\","
                + "\"expires_at\":\"" + now.plus(Duration.ofDays(1)) + "\"}", acme.ownerKey());
        String keyId = key.json().get("api_key").get("id").asText();
        Reply invitation = server.post("/api/v1/accounts/users/invite",
                "{\"email\":\"zed@acme.example\",\"role\":\"MEMBER\"}", acme.ownerKey());
        String invitationId = invitation.json().get("invitation").get("id").asText();

        try (GovconClient mine = server.grpc(acme.ownerKey()); GovconClient theirs = server.grpc(other.ownerKey())) {
            // Acme sees its own items...
            assertThat(mine.overview().getPulse(GetPulseRequest.getDefaultInstance()).getState())
                    .isEqualTo(PulseState.PULSE_STATE_ACTION);
            assertThat(mine.overview().listDecisions(ListDecisionsRequest.getDefaultInstance()).getItemsList())
                    .extracting(d -> d.getResourceId()).contains(incident.toString(), proposal.toString(), keyId);
            assertThat(mine.overview().listApprovals(ListApprovalsRequest.getDefaultInstance()).getItemsList())
                    .extracting(a -> a.getResourceId()).contains(proposal.toString(), invitationId);
            // ...the other tenant none of them.
            assertThat(theirs.overview().getPulse(GetPulseRequest.getDefaultInstance()).getState())
                    .isEqualTo(PulseState.PULSE_STATE_PROTECTED);
            var h = theirs.overview().getHighlights(GetHighlightsRequest.getDefaultInstance());
            assertThat(h.getRunsLast24H() + h.getViolationsLast24H() + h.getActiveIncidents() + h.getOpenProposals()
                       + h.getActiveLimits()).isZero();
            var cost = theirs.overview().getCostSummary(GetCostSummaryRequest.getDefaultInstance());
            assertThat(cost.getMonthToDateMicros()).isZero();
            assertThat(cost.getMonthlyLimitId()).isEmpty();
            assertThat(theirs.overview().listRecentActivity(ListRecentActivityRequest.getDefaultInstance())
                               .getItemsList()).isEmpty();
            assertThat(theirs.overview().listDecisions(ListDecisionsRequest.getDefaultInstance()).getItemsList())
                    .isEmpty();
            assertThat(theirs.overview().listApprovals(ListApprovalsRequest.getDefaultInstance()).getItemsList())
                    .isEmpty();
        }
        // The deep links of Acme's items are not found for the other tenant.
        assertThat(server.get("/api/v1/policy-limits/" + limit, other.ownerKey()).status()).isEqualTo(404);
        assertThat(server.post("/api/v1/connectivity/api-keys/" + keyId + "/rotate", "{}", other.ownerKey()).status())
                .isEqualTo(404);
        assertThat(server.delete("/api/v1/accounts/invitations/" + invitationId, other.ownerKey()).status())
                .isEqualTo(404);
        assertThat(server.get("/api/v1/policies/violations/" + UUID.randomUUID(), other.ownerKey()).status())
                .isEqualTo(404);
    }
}
