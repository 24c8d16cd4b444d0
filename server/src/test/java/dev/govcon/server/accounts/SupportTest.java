package dev.govcon.server.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.govcon.server.testing.RunFixtures;
import dev.govcon.server.testing.RunningServer;
import dev.govcon.server.testing.RunningServer.Reply;

/** Support terms by plan, tickets (with their run), roles, bad input and isolation. */
class SupportTest {
    private static final String SUPPORT = "/api/v1/accounts/support";
    private static final String TICKETS = "/api/v1/accounts/support/tickets";

    static RunningServer server;
    static RunFixtures fixtures;

    @BeforeAll
    static void start() {
        server = RunningServer.start();
        fixtures = new RunFixtures(server.database.dataSource());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String key(RunningServer.Tenant t, String role) {
        return server.post("/api/v1/connectivity/api-keys", "{\"name\":\"" + role + "\",\"role\":\"" + role + "\"}",
                           t.ownerKey()).json().get("secret").asText();
    }

    private static long tickets(RunningServer.Tenant t) {
        return fixtures.queryLong("SELECT count(*) FROM support_tickets WHERE tenant_id = ?", UUID.fromString(t.id()));
    }

    @Test
    void channelsAndResponseTimesFollowThePlan() {
        RunningServer.Tenant t = server.newTenant("Support Plans");
        String viewer = key(t, "VIEWER");
        JsonNode free = server.get(SUPPORT, viewer).json();
        assertThat(free.get("plan_id").asText()).isEqualTo("free");
        assertThat(free.get("channels").findValuesAsText("kind")).containsExactly("email", "portal");
        assertThat(free.get("channels").get(0).get("address").asText()).contains("@");
        assertThat(free.get("sla").findValuesAsText("severity")).containsExactly("LOW", "MEDIUM", "HIGH", "CRITICAL");
        assertThat(free.get("sla").findValues("first_response_hours").stream().map(JsonNode::asInt))
                .containsExactly(120, 72, 48, 24);

        fixtures.update("UPDATE tenants SET plan_id = 'business' WHERE tenant_id = ?", UUID.fromString(t.id()));
        JsonNode business = server.get(SUPPORT, viewer).json();
        assertThat(business.get("channels").findValuesAsText("kind")).containsExactly("email", "portal", "chat", "phone");
        assertThat(business.get("sla").findValues("first_response_hours").stream().map(JsonNode::asInt))
                .containsExactly(24, 8, 4, 1);
    }

    @Test
    void aMemberOpensTicketsAboutItsRunsAndEveryoneListsThem() {
        RunningServer.Tenant t = server.newTenant("Support Tickets");
        String member = key(t, "MEMBER");
        String viewer = key(t, "VIEWER");
        Reply run = server.post("/api/v1/activity/runs/batch", "{\"runs\":[{\"run_id\":\"failing-1\",\"model\":\"gpt-4o\","
                                + "\"status\":\"FAILED\"}]}", member);
        assertThat(run.status()).as(run.toString()).isEqualTo(200);

        Reply created = server.post(TICKETS, "{\"subject\":\"Runs failing\",\"body\":\"Since 10:00 every run fails.\","
                                    + "\"severity\":\"HIGH\",\"run_id\":\"failing-1\"}", member);
        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        JsonNode ticket = created.json();
        assertThat(ticket.get("status").asText()).isEqualTo("TICKET_OPEN");
        assertThat(ticket.get("severity").asText()).isEqualTo("HIGH");
        assertThat(ticket.get("run_id").asText()).isEqualTo("failing-1");
        assertThat(ticket.get("opened_by").get("type").asText()).isEqualTo("API_KEY");
        assertThat(ticket.get("opened_by").get("label").asText()).isEqualTo("MEMBER");
        assertThat(fixtures.queryLong("SELECT count(*) FROM audit_ledger WHERE tenant_id = ? AND action = "
                                      + "'support_ticket.created' AND resource_id = ?", UUID.fromString(t.id()),
                                      ticket.get("id").asText())).isEqualTo(1);

        server.clock.advance(Duration.ofSeconds(1));
        String incident = UUID.randomUUID().toString();
        JsonNode second = server.post(TICKETS, "{\"subject\":\"Question\",\"body\":\"How do budgets reset?\","
                                      + "\"incident_id\":\"" + incident + "\"}", t.ownerKey()).json();
        assertThat(second.get("severity").asText()).as("default").isEqualTo("MEDIUM");
        assertThat(second.get("incident_id").asText()).isEqualTo(incident);

        JsonNode page1 = server.get(TICKETS + "?page_size=1", viewer).json();
        assertThat(page1.get("tickets").findValuesAsText("subject")).containsExactly("Question");
        JsonNode page2 = server.get(TICKETS + "?page_size=1&page_token=" + page1.get("next_page_token").asText(), viewer)
                .json();
        assertThat(page2.get("tickets").findValuesAsText("subject")).containsExactly("Runs failing");
        assertThat(page2.get("next_page_token").asText()).isEmpty();
        assertThat(server.get(TICKETS + "?status=TICKET_OPEN", viewer).json().get("tickets")).hasSize(2);
        assertThat(server.get(TICKETS + "?status=TICKET_CLOSED", viewer).json().get("tickets")).isEmpty();

        assertThat(server.post(TICKETS, "{\"subject\":\"s\",\"body\":\"b\"}", viewer).status()).isEqualTo(403);
        RunningServer.Tenant other = server.newTenant("Support Other");
        assertThat(server.get(TICKETS, other.ownerKey()).json().get("tickets")).isEmpty();
    }

    @Test
    void badTicketsNameTheirFieldAndWriteNothing() {
        RunningServer.Tenant t = server.newTenant("Support Bad Input");
        RunningServer.Tenant other = server.newTenant("Support Bad Input Other");
        assertThat(server.post("/api/v1/activity/runs/batch", "{\"runs\":[{\"run_id\":\"theirs\",\"model\":\"gpt-4o\","
                               + "\"status\":\"SUCCEEDED\"}]}", other.ownerKey()).status()).isEqualTo(200);
        String owner = t.ownerKey();
        String longBody = "x".repeat(10_001);
        String[][] cases = {
            {"{\"body\":\"b\"}", "400", "subject: is required"},
            {"{\"subject\":\"" + "s".repeat(201) + "\",\"body\":\"b\"}", "400", "subject: is longer than 200"},
            {"{\"subject\":\"s\"}", "400", "body: is required"},
            {"{\"subject\":\"s\",\"body\":\"" + longBody + "\"}", "400", "body: is longer than 10000"},
            {"{\"subject\":\"s\",\"body\":\"b\",\"severity\":\"URGENT\"}", "400", "severity"},
            {"{\"subject\":\"s\",\"body\":\"b\",\"incident_id\":\"inc-1\"}", "400", "incident_id: "},
            {"{\"subject\":\"s\",\"body\":\"b\",\"run_id\":\"has spaces\"}", "400", "run_id: "},
            {"{\"subject\":\"s\",\"body\":\"b\",\"run_id\":\"never-ran\"}", "404", "run never-ran not found"},
            // Another tenant's run is exactly as unknown.
            {"{\"subject\":\"s\",\"body\":\"b\",\"run_id\":\"theirs\"}", "404", "run theirs not found"},
        };
        for (String[] c : cases) {
            Reply reply = server.post(TICKETS, c[0], owner);
            assertThat(reply.status()).as(c[2]).isEqualTo(Integer.parseInt(c[1]));
            assertThat(reply.json().get("message").asText()).as(c[2]).startsWith(c[2]);
        }
        assertThat(tickets(t)).isZero();
        assertThat(fixtures.queryLong("SELECT count(*) FROM audit_ledger WHERE tenant_id = ? AND action = "
                                      + "'support_ticket.created'", UUID.fromString(t.id()))).isZero();
        assertThat(server.get(TICKETS + "?status=SOLVED", owner).status()).isEqualTo(400);
    }
}
