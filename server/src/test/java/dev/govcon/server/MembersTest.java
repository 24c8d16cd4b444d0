package dev.govcon.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.govcon.server.testing.RunningServer;
import dev.govcon.server.testing.RunningServer.Reply;

/** Members and invitations: joining, roles, removal, and the tenant never losing its last OWNER. */
class MembersTest {
    static RunningServer server;

    @BeforeAll
    static void start() {
        server = RunningServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    record Joined(String userId, String key) {
    }

    static JsonNode invite(RunningServer.Tenant t, String email, String role, String byKey) {
        Reply reply = server.post("/api/v1/accounts/users/invite",
                                  "{\"email\":\"" + email + "\",\"role\":\"" + role + "\"}", byKey);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json();
    }

    static Joined join(RunningServer.Tenant t, String email, String role) {
        String token = invite(t, email, role, t.ownerKey()).get("token").asText();
        Reply accepted = server.post("/api/v1/accounts/invitations/accept",
                                     "{\"token\":\"" + token + "\",\"display_name\":\"New Person\"}", null);
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(200);
        return new Joined(accepted.json().get("user").get("id").asText(), accepted.json().get("api_key_secret").asText());
    }

    static List<String> emails(RunningServer.Tenant t) {
        List<String> out = new ArrayList<>();
        server.get("/api/v1/accounts/users", t.ownerKey()).json().get("users").forEach(u -> out.add(u.get("email").asText()));
        return out;
    }

    @Test
    void anInviteeAcceptsWithoutAKeyAndGetsAPersonalKeyWithTheInvitedRole() {
        var t = server.newTenant("Join Acme");
        JsonNode created = invite(t, "ada@join.example", "ADMIN", t.ownerKey());
        assertThat(created.get("invitation").get("status").asText()).isEqualTo("INVITATION_PENDING");
        assertThat(server.get("/api/v1/accounts/invitations", t.ownerKey()).json().get("invitations")).hasSize(1);

        Reply accepted = server.post("/api/v1/accounts/invitations/accept",
                                     "{\"token\":\"" + created.get("token").asText() + "\"}", null);
        assertThat(accepted.status()).isEqualTo(200);
        JsonNode body = accepted.json();
        assertThat(body.get("tenant_id").asText()).isEqualTo(t.id());
        assertThat(body.get("user").get("role").asText()).isEqualTo("ADMIN");
        String key = body.get("api_key_secret").asText();

        // The personal key acts with the member's role and is bound to the member.
        assertThat(server.get("/api/v1/accounts/profile", key).status()).isEqualTo(200);
        assertThat(server.post("/api/v1/connectivity/api-keys", "{\"name\":\"svc\",\"role\":\"INGEST\"}", key).status())
                .isEqualTo(200);
        assertThat(emails(t)).containsExactly("owner@joinacme.example", "ada@join.example");
        assertThat(server.get("/api/v1/accounts/invitations", t.ownerKey()).json().get("invitations")).isEmpty();

        // A token works once.
        Reply again = server.post("/api/v1/accounts/invitations/accept",
                                  "{\"token\":\"" + created.get("token").asText() + "\"}", null);
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.json().get("message").asText()).contains("INVITATION_ACCEPTED");
    }

    @Test
    void cancelledExpiredAndDuplicateInvitationsAreRefused() {
        var t = server.newTenant("Invite Rules");
        JsonNode first = invite(t, "bo@rules.example", "VIEWER", t.ownerKey());
        Reply duplicate = server.post("/api/v1/accounts/users/invite",
                                      "{\"email\":\"BO@rules.example\",\"role\":\"VIEWER\"}", t.ownerKey());
        assertThat(duplicate.status()).isEqualTo(409);

        String id = first.get("invitation").get("id").asText();
        assertThat(server.delete("/api/v1/accounts/invitations/" + id, t.ownerKey()).json().get("status").asText())
                .isEqualTo("INVITATION_CANCELLED");
        assertThat(server.delete("/api/v1/accounts/invitations/" + id, t.ownerKey()).status()).isEqualTo(400);
        Reply cancelled = server.post("/api/v1/accounts/invitations/accept",
                                      "{\"token\":\"" + first.get("token").asText() + "\"}", null);
        assertThat(cancelled.status()).isEqualTo(400);

        JsonNode second = invite(t, "cy@rules.example", "MEMBER", t.ownerKey());
        server.clock.advance(Duration.ofDays(8));
        assertThat(server.get("/api/v1/accounts/invitations", t.ownerKey()).json().get("invitations")).isEmpty();
        Reply expired = server.post("/api/v1/accounts/invitations/accept",
                                    "{\"token\":\"" + second.get("token").asText() + "\"}", null);
        assertThat(expired.status()).isEqualTo(400);
        assertThat(expired.json().get("message").asText()).contains("EXPIRED");
        // An expired invitation does not block a new one.
        invite(t, "cy@rules.example", "MEMBER", t.ownerKey());
        assertThat(emails(t)).containsExactly("owner@inviterules.example");

        Reply unknown = server.post("/api/v1/accounts/invitations/accept",
                                    "{\"token\":\"gci_" + t.id().replace("-", "") + "_" + "x".repeat(40) + "\"}", null);
        assertThat(unknown.status()).isEqualTo(404);
    }

    @Test
    void onlyAnOwnerInvitesAnOwner() {
        var t = server.newTenant("Owner Invites");
        Joined admin = join(t, "admin@oi.example", "ADMIN");
        Reply refused = server.post("/api/v1/accounts/users/invite",
                                    "{\"email\":\"o2@oi.example\",\"role\":\"OWNER\"}", admin.key());
        assertThat(refused.status()).isEqualTo(403);
        invite(t, "o2@oi.example", "OWNER", t.ownerKey());
    }

    @Test
    void theLastOwnerCanNeitherBeDemotedNorRemoved() {
        var t = server.newTenant("Last Owner");
        Reply demote = server.put("/api/v1/accounts/users/" + t.ownerUserId() + "/role", "{\"role\":\"ADMIN\"}", t.ownerKey());
        assertThat(demote.status()).isEqualTo(400);
        assertThat(demote.json().get("message").asText()).contains("at least one OWNER");
        assertThat(server.delete("/api/v1/accounts/users/" + t.ownerUserId(), t.ownerKey()).status()).isEqualTo(400);

        Joined second = join(t, "second@lo.example", "OWNER");
        Reply demoted = server.put("/api/v1/accounts/users/" + t.ownerUserId() + "/role", "{\"role\":\"ADMIN\"}", t.ownerKey());
        assertThat(demoted.status()).isEqualTo(200);
        assertThat(demoted.json().get("role").asText()).isEqualTo("ADMIN");
        // The first owner's key now acts as ADMIN: it cannot touch the remaining OWNER.
        AuthenticationTest.awaitStatus(server, t.ownerKey(), 200, Duration.ofSeconds(2));
        assertThat(server.delete("/api/v1/accounts/users/" + second.userId(), t.ownerKey()).status()).isEqualTo(403);
        assertThat(server.delete("/api/v1/accounts/users/" + second.userId(), second.key()).status()).isEqualTo(400);
    }

    @Test
    void twoOwnersSteppingDownAtOnceLeaveOneOwner() throws Exception {
        var t = server.newTenant("Race Owners");
        Joined other = join(t, "other@race.example", "OWNER");
        CompletableFuture<Integer> a = CompletableFuture.supplyAsync(() -> server.put(
                "/api/v1/accounts/users/" + t.ownerUserId() + "/role", "{\"role\":\"MEMBER\"}", t.ownerKey()).status());
        CompletableFuture<Integer> b = CompletableFuture.supplyAsync(() -> server.put(
                "/api/v1/accounts/users/" + other.userId() + "/role", "{\"role\":\"MEMBER\"}", other.key()).status());
        assertThat(List.of(a.get(), b.get())).containsExactlyInAnyOrder(200, 400);
        long owners = 0;
        for (JsonNode u : server.get("/api/v1/accounts/users?role=OWNER", other.key()).json().get("users")) {
            owners++;
        }
        assertThat(owners).isEqualTo(1);
    }

    @Test
    void aDemotedMembersPersonalKeyLosesThePowerAndARemovedMembersKeyStops() {
        var t = server.newTenant("Demotion");
        Joined admin = join(t, "admin@demotion.example", "ADMIN");
        String body = "{\"name\":\"x\",\"role\":\"INGEST\"}";
        assertThat(server.post("/api/v1/connectivity/api-keys", body, admin.key()).status()).isEqualTo(200);

        Reply changed = server.put("/api/v1/accounts/users/" + admin.userId() + "/role", "{\"role\":\"VIEWER\"}", t.ownerKey());
        assertThat(changed.json().get("role").asText()).isEqualTo("VIEWER");
        awaitPost(body, admin.key(), 403);
        assertThat(server.get("/api/v1/accounts/profile", admin.key()).status()).isEqualTo(200);

        Reply removed = server.delete("/api/v1/accounts/users/" + admin.userId(), t.ownerKey());
        assertThat(removed.status()).isEqualTo(200);
        assertThat(removed.json().has("removed_at")).isTrue();
        AuthenticationTest.awaitStatus(server, admin.key(), 401, Duration.ofSeconds(2));
        assertThat(emails(t)).containsExactly("owner@demotion.example");
        assertThat(server.delete("/api/v1/accounts/users/" + admin.userId(), t.ownerKey()).status()).isEqualTo(404);
    }

    @Test
    void usersArePagedOldestFirst() {
        var t = server.newTenant("Paging");
        for (int i = 0; i < 3; i++) {
            join(t, "m" + i + "@paging.example", "VIEWER");
        }
        List<String> seen = new ArrayList<>();
        String token = "";
        do {
            JsonNode page = server.get("/api/v1/accounts/users?page_size=2&page_token=" + token, t.ownerKey()).json();
            assertThat(page.get("users").size()).isLessThanOrEqualTo(2);
            page.get("users").forEach(u -> seen.add(u.get("email").asText()));
            token = page.get("next_page_token").asText();
        } while (!token.isEmpty());
        assertThat(seen).containsExactly("owner@paging.example", "m0@paging.example", "m1@paging.example",
                                         "m2@paging.example");
    }

    @Test
    void theProfileIsUpdatedAndContactsComeFromMembersAndProfile() {
        var t = server.newTenant("Profile Co");
        join(t, "admin@profile.example", "ADMIN");
        join(t, "viewer@profile.example", "VIEWER");
        Reply updated = server.put("/api/v1/accounts/profile",
                "{\"display_name\":\"Profile Company\",\"time_zone\":\"Europe/Paris\",\"billing_email\":\"bills@profile.example\","
                + "\"website\":\"https://profile.example\",\"country\":\"fr\"}", t.ownerKey());
        assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
        JsonNode profile = server.get("/api/v1/accounts/profile", t.ownerKey()).json();
        assertThat(profile.get("display_name").asText()).isEqualTo("Profile Company");
        assertThat(profile.get("time_zone").asText()).isEqualTo("Europe/Paris");
        assertThat(profile.get("country").asText()).isEqualTo("FR");

        Reply cleared = server.put("/api/v1/accounts/profile", "{\"clear_fields\":[\"website\"]}", t.ownerKey());
        assertThat(cleared.json().get("website").asText()).isEmpty();
        assertThat(cleared.json().get("display_name").asText()).isEqualTo("Profile Company");

        List<String> contacts = new ArrayList<>();
        server.get("/api/v1/accounts/profile/contacts", t.ownerKey()).json().get("contacts")
              .forEach(c -> contacts.add(c.get("kind").asText() + " " + c.get("email").asText()));
        assertThat(contacts).containsExactly("CONTACT_OWNER owner@profileco.example",
                                             "CONTACT_ADMIN admin@profile.example",
                                             "CONTACT_BILLING bills@profile.example");
    }

    private static void awaitPost(String body, String key, int status) {
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        int last;
        do {
            last = server.post("/api/v1/connectivity/api-keys", body, key).status();
        } while (last != status && System.nanoTime() < deadline);
        assertThat(last).isEqualTo(status);
    }
}
