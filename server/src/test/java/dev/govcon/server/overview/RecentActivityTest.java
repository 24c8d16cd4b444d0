package dev.govcon.server.overview;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.govcon.proto.v1.Actor;
import dev.govcon.proto.v1.ListRecentActivityRequest;
import dev.govcon.proto.v1.ListRecentActivityResponse;
import dev.govcon.proto.v1.RecentActivityItem;
import dev.govcon.proto.v1.RecentActivityType;
import dev.govcon.proto.v1.RunStatus;
import dev.govcon.proto.v1.Severity;
import dev.govcon.sdk.GovconClient;
import dev.govcon.server.testing.RunFixtures;
import dev.govcon.server.testing.RunningServer;
import dev.govcon.server.wire.Times;

/**
 * The recent-activity feed: every source merged newest first (ties by id), paged by a cursor
 * that stays stable while items arrive, filtered by type and window.
 */
class RecentActivityTest {
    static RunningServer server;
    static OverviewFixtures fx;
    static RunningServer.Tenant acme;
    static UUID tenantId;
    static GovconClient client;
    static Instant now;
    /** Every item expected in the default feed, by id, with its time. */
    static final List<Expected> expected = new ArrayList<>();

    record Expected(String id, Instant at, RecentActivityType type) {
    }

    @BeforeAll
    static void start() {
        server = RunningServer.start();
        fx = new OverviewFixtures(new RunFixtures(server.database.dataSource()));
        acme = server.newTenant("Feed Acme");
        tenantId = UUID.fromString(acme.id());
        client = server.grpc(acme.ownerKey());
        // Everything happens in the hours before the clock's now; policy changes are written by
        // the API below with the database's time, which is later than the clock's start.
        now = server.clock.instant();
        Instant t = now.minus(Duration.ofHours(5));
        run("r-ok-1", "SUCCEEDED", t.plusSeconds(10));
        run("r-fail-1", "FAILED", t.plusSeconds(20));
        run("r-blocked", "BLOCKED", t.plusSeconds(30));
        run("r-timeout", "TIMED_OUT", t.plusSeconds(40));
        fx.run(tenantId, "r-cancelled", "CANCELLED", 5, t.plusSeconds(45)); // not in the feed
        // A run and a violation at the same instant: the id breaks the tie ("violation:" > "run:").
        run("r-tie", "SUCCEEDED", t.plusSeconds(50));
        UUID v1 = fx.violation(tenantId, "Daily spend", "BLOCK", t.plusSeconds(50));
        expected.add(new Expected("violation:" + v1, t.plusSeconds(50), RecentActivityType.RECENT_ACTIVITY_VIOLATION));
        UUID v2 = fx.violation(tenantId, "Daily spend", "WARN", t.plusSeconds(60));
        expected.add(new Expected("violation:" + v2, t.plusSeconds(60), RecentActivityType.RECENT_ACTIVITY_VIOLATION));
        UUID open = fx.incident(tenantId, "Spend spike", "HIGH", "ACTIVE", t.plusSeconds(70));
        expected.add(new Expected("incident-opened:" + open, t.plusSeconds(70),
                                  RecentActivityType.RECENT_ACTIVITY_INCIDENT_OPENED));
        UUID done = fx.incident(tenantId, "Error burst", "MEDIUM", "RESOLVED", t.plusSeconds(80));
        expected.add(new Expected("incident-opened:" + done, t.plusSeconds(80),
                                  RecentActivityType.RECENT_ACTIVITY_INCIDENT_OPENED));
        expected.add(new Expected("incident-resolved:" + done, t.plusSeconds(140),
                                  RecentActivityType.RECENT_ACTIVITY_INCIDENT_RESOLVED));
        for (int i = 0; i < 6; i++) {
            run("r-bulk-" + i, i % 3 == 0 ? "FAILED" : "SUCCEEDED", t.plusSeconds(200 + i));
        }
        // Older than the default 7 days: only a window that reaches back shows it.
        fx.run(tenantId, "r-ancient", "SUCCEEDED", 5, now.minus(Duration.ofDays(8)));
        // Two policy changes through the API (audit ledger rows).
        RunningServer.Reply created = server.post("/api/v1/policy-limits",
                "{\"limit\":{\"name\":\"Feed cap\",\"kind\":\"LIMIT_KIND_SPEND_PER_DAY\",\"amount\":\"5000000\","
                + "\"action\":\"BLOCK\"}}", acme.ownerKey());
        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        String limitId = created.json().get("limit").get("id").asText();
        RunningServer.Reply deleted = server.delete("/api/v1/policy-limits/" + limitId, acme.ownerKey());
        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
        for (var row : auditRows()) {
            expected.add(row);
        }
        // Another tenant's items never show.
        UUID other = UUID.fromString(server.newTenant("Feed Other").id());
        fx.run(other, "other-run", "SUCCEEDED", 5, t.plusSeconds(15));
        fx.violation(other, "Other", "BLOCK", t.plusSeconds(16));
        expected.sort(Expected_NEWEST_FIRST);
    }

    static final java.util.Comparator<Expected> Expected_NEWEST_FIRST = java.util.Comparator
            .comparing(Expected::at).reversed()
            .thenComparing((a, b) -> -RecentActivity.compareBytes(a.id(), b.id()));

    static void run(String runId, String status, Instant end) {
        fx.run(tenantId, runId, status, 1000, end);
        expected.add(new Expected("run:" + runId, end, status.equals("SUCCEEDED")
                ? RecentActivityType.RECENT_ACTIVITY_RUN_COMPLETED : RecentActivityType.RECENT_ACTIVITY_RUN_FAILED));
    }

    static List<Expected> auditRows() {
        List<Expected> out = new ArrayList<>();
        try (var c = server.database.dataSource().getConnection();
             var ps = c.prepareStatement("SELECT audit_id, occurred_at FROM audit_ledger WHERE tenant_id = ?"
                                         + " AND resource_type = 'policy_limit'")) {
            ps.setObject(1, tenantId);
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Expected("policy-change:" + rs.getObject(1), rs.getTimestamp(2).toInstant(),
                                         RecentActivityType.RECENT_ACTIVITY_POLICY_CHANGED));
                }
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        assertThat(out).hasSizeGreaterThanOrEqualTo(1);
        return out;
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    static ListRecentActivityResponse page(int size, String token) {
        return client.overview().listRecentActivity(
                ListRecentActivityRequest.newBuilder().setPageSize(size).setPageToken(token).build());
    }

    static List<String> ids(List<RecentActivityItem> items) {
        return items.stream().map(RecentActivityItem::getId).toList();
    }

    @Test
    void everySourceIsMergedNewestFirstWithTiesById() {
        ListRecentActivityResponse all = page(1000, "");
        assertThat(ids(all.getItemsList())).containsExactlyElementsOf(expected.stream().map(Expected::id).toList());
        assertThat(all.getNextPageToken()).isEmpty();
        for (RecentActivityItem item : all.getItemsList()) {
            Expected e = expected.stream().filter(x -> x.id().equals(item.getId())).findFirst().orElseThrow();
            assertThat(Times.instant(item.getOccurredAt())).as(item.getId()).isEqualTo(e.at());
            assertThat(item.getType()).as(item.getId()).isEqualTo(e.type());
        }
    }

    @Test
    void eachSourceCarriesItsDetail() {
        List<RecentActivityItem> items = page(1000, "").getItemsList();
        RecentActivityItem blocked = find(items, "run:r-blocked");
        assertThat(blocked.getType()).isEqualTo(RecentActivityType.RECENT_ACTIVITY_RUN_FAILED);
        assertThat(blocked.getRun().getStatus()).isEqualTo(RunStatus.BLOCKED);
        assertThat(blocked.getRun().getCostMicros()).isEqualTo(1000);
        assertThat(blocked.getRun().getError()).isEqualTo("boom");
        assertThat(blocked.getTitle()).isEqualTo("Run r-blocked was blocked (gpt-4o, search)");

        RecentActivityItem violation = items.stream()
                .filter(i -> i.getType() == RecentActivityType.RECENT_ACTIVITY_VIOLATION).findFirst().orElseThrow();
        assertThat(violation.getSeverity()).isEqualTo(Severity.MEDIUM); // the WARN, newest
        assertThat(violation.getViolation().getControlName()).isEqualTo("Daily spend");
        assertThat(violation.getTitle()).isEqualTo("'Daily spend' warned: over budget");

        RecentActivityItem resolved = items.stream()
                .filter(i -> i.getType() == RecentActivityType.RECENT_ACTIVITY_INCIDENT_RESOLVED).findFirst().orElseThrow();
        assertThat(resolved.getIncident().getTitle()).isEqualTo("Error burst");
        assertThat(resolved.getSeverity()).isEqualTo(Severity.MEDIUM);
        assertThat(resolved.getActor().getLabel()).isEqualTo("ops@example.com");

        RecentActivityItem change = items.stream()
                .filter(i -> i.getType() == RecentActivityType.RECENT_ACTIVITY_POLICY_CHANGED).reduce((a, b) -> b)
                .orElseThrow();
        assertThat(change.getPolicyChange().getAction()).isEqualTo("policy_limit.created");
        assertThat(change.getPolicyChange().getResourceType()).isEqualTo("policy_limit");
        assertThat(change.getActor().getType()).isIn(Actor.Type.USER, Actor.Type.API_KEY);
    }

    static RecentActivityItem find(List<RecentActivityItem> items, String id) {
        return items.stream().filter(i -> i.getId().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void pagesAreStableWhileNewItemsArrive() {
        List<String> all = ids(page(1000, "").getItemsList());
        List<String> seen = new ArrayList<>();
        ListRecentActivityResponse p = page(4, "");
        seen.addAll(ids(p.getItemsList()));
        // A newer item arrives between pages: it belongs before the cursor, so later pages neither
        // repeat nor skip anything.
        UUID late = fx.violation(tenantId, "Late", "LOG", Instant.now().plusSeconds(60));
        while (!p.getNextPageToken().isEmpty()) {
            p = page(4, p.getNextPageToken());
            assertThat(p.getItemsCount()).isBetween(1, 4);
            seen.addAll(ids(p.getItemsList()));
        }
        assertThat(seen).containsExactlyElementsOf(all);
        assertThat(ids(page(1, "").getItemsList())).containsExactly("violation:" + late);
        // Leave the feed as the other tests expect it (violations are append-only: the
        // superuser test login skips the trigger for this one cleanup).
        fx.sql.execute("SET LOCAL session_replication_role = replica",
                       "DELETE FROM limit_violations WHERE tenant_id = '" + tenantId + "' AND violation_id = '" + late + "'");
    }

    @Test
    void typesAndWindowNarrowTheFeed() {
        ListRecentActivityResponse failed = client.overview().listRecentActivity(ListRecentActivityRequest.newBuilder()
                .setPageSize(100).addTypes(RecentActivityType.RECENT_ACTIVITY_RUN_FAILED).build());
        assertThat(ids(failed.getItemsList())).containsExactlyElementsOf(expected.stream()
                .filter(e -> e.type() == RecentActivityType.RECENT_ACTIVITY_RUN_FAILED).map(Expected::id).toList());
        assertThat(ids(failed.getItemsList())).contains("run:r-blocked", "run:r-timeout", "run:r-fail-1");

        Instant from = now.minus(Duration.ofHours(5)).plusSeconds(45);
        Instant to = now.minus(Duration.ofHours(5)).plusSeconds(71);
        ListRecentActivityResponse window = client.overview().listRecentActivity(ListRecentActivityRequest.newBuilder()
                .setStartTime(Times.ts(from)).setEndTime(Times.ts(to)).build());
        assertThat(ids(window.getItemsList())).containsExactlyElementsOf(expected.stream()
                .filter(e -> !e.at().isBefore(from) && e.at().isBefore(to)).map(Expected::id).toList());

        ListRecentActivityResponse longAgo = client.overview().listRecentActivity(ListRecentActivityRequest.newBuilder()
                .setStartTime(Times.ts(now.minus(Duration.ofDays(9)))).setEndTime(Times.ts(now.minus(Duration.ofDays(7))))
                .build());
        assertThat(ids(longAgo.getItemsList())).containsExactly("run:r-ancient");
    }

    @Test
    void restTakesRepeatedTypesAndPagesWithTokens() {
        RunningServer.Reply reply = server.get("/api/v1/overview/recent-activity?page_size=2"
                + "&types=RECENT_ACTIVITY_VIOLATION&types=RECENT_ACTIVITY_INCIDENT_OPENED", acme.ownerKey());
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        JsonNode body = reply.json();
        List<String> wanted = expected.stream()
                .filter(e -> e.type() == RecentActivityType.RECENT_ACTIVITY_VIOLATION
                             || e.type() == RecentActivityType.RECENT_ACTIVITY_INCIDENT_OPENED)
                .map(Expected::id).toList();
        assertThat(body.get("items")).hasSize(2);
        assertThat(body.get("items").get(0).get("id").asText()).isEqualTo(wanted.get(0));
        assertThat(body.get("items").get(0).has("occurred_at")).isTrue();
        String token = body.get("next_page_token").asText();
        RunningServer.Reply next = server.get("/api/v1/overview/recent-activity?page_size=2&page_token=" + token
                + "&types=RECENT_ACTIVITY_VIOLATION&types=RECENT_ACTIVITY_INCIDENT_OPENED", acme.ownerKey());
        assertThat(next.json().get("items").get(0).get("id").asText()).isEqualTo(wanted.get(2));
    }
}
