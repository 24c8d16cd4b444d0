package dev.govcon.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Duration;

import dev.govcon.proto.v1.CancelInvitationRequest;
import dev.govcon.proto.v1.CreateApiKeyRequest;
import dev.govcon.proto.v1.ListApiKeysRequest;
import dev.govcon.proto.v1.ListInvitationsRequest;
import dev.govcon.proto.v1.ListUsersRequest;
import dev.govcon.proto.v1.RemoveUserRequest;
import dev.govcon.proto.v1.RevokeApiKeyRequest;
import dev.govcon.proto.v1.Role;
import dev.govcon.proto.v1.RotateApiKeyRequest;
import dev.govcon.proto.v1.UpdateUserRoleRequest;
import dev.govcon.sdk.GovconClient;
import dev.govcon.server.audit.AuditMapper;
import dev.govcon.server.testing.RunningServer;
import dev.govcon.server.testing.RunningServer.Reply;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * Tenant A's OWNER aims every id-taking endpoint at tenant B's resources. Each answer is
 * NOT_FOUND, indistinguishable from an id that never existed, and B is left exactly as it was.
 */
class TenantIsolationTest {
    private static final String KEYS = "/api/v1/connectivity/api-keys";
    private static final String USERS = "/api/v1/accounts/users";
    private static final String INVITATIONS = "/api/v1/accounts/invitations";

    static RunningServer server;
    static RunningServer.Tenant a;
    static RunningServer.Tenant b;
    /** B's resources: a service key (and its secret), a MEMBER with a personal key, a pending invitation. */
    static String bKeyId;
    static String bKeySecret;
    static String bMemberId;
    static String bMemberKey;
    static String bInvitationId;

    @BeforeAll
    static void start() {
        server = RunningServer.start();
        a = server.newTenant("Isolation Alpha");
        b = server.newTenant("Isolation Bravo");

        // A has resources of its own, so its lists are not trivially empty.
        ok(server.post(KEYS, "{\"name\":\"alpha ci\",\"role\":\"INGEST\"}", a.ownerKey()));
        ok(server.post(USERS + "/invite", "{\"email\":\"pending@alpha.example\",\"role\":\"VIEWER\"}", a.ownerKey()));

        JsonNode key = ok(server.post(KEYS, "{\"name\":\"bravo ci\",\"role\":\"ADMIN\"}", b.ownerKey()));
        bKeyId = key.get("api_key").get("id").asText();
        bKeySecret = key.get("secret").asText();
        JsonNode invited = ok(server.post(USERS + "/invite",
                "{\"email\":\"member@bravo.example\",\"role\":\"MEMBER\"}", b.ownerKey()));
        JsonNode accepted = ok(server.post(INVITATIONS + "/accept",
                "{\"token\":\"" + invited.get("token").asText() + "\"}", null));
        bMemberId = accepted.get("user").get("id").asText();
        bMemberKey = accepted.get("api_key_secret").asText();
        bInvitationId = ok(server.post(USERS + "/invite",
                "{\"email\":\"pending@bravo.example\",\"role\":\"ADMIN\"}", b.ownerKey()))
                .get("invitation").get("id").asText();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static JsonNode ok(Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json();
    }

    // ---- B's state, as B sees it ----

    record State(JsonNode keys, JsonNode users, JsonNode invitations, int auditRows) {
    }

    static State stateOfB() {
        JsonNode keys = ok(server.get(KEYS + "?include_inactive=true&page_size=1000", b.ownerKey())).get("api_keys");
        keys.forEach(k -> ((ObjectNode) k).remove("last_used_at"));
        return new State(keys,
                ok(server.get(USERS + "?page_size=1000", b.ownerKey())).get("users"),
                ok(server.get(INVITATIONS + "?page_size=1000", b.ownerKey())).get("invitations"),
                server.database.read(s -> s.getMapper(AuditMapper.class)
                        .latest(UUID.fromString(b.id()), 10000).size()));
    }

    private static void assertBUntouched(State before) {
        assertThat(stateOfB()).isEqualTo(before);
        // B's key still authenticates, B's member still holds the same role, the invitation is pending.
        assertThat(server.get(KEYS, bKeySecret).status()).isEqualTo(200);
        assertThat(server.get(USERS, bMemberKey).status()).isEqualTo(200);
        JsonNode users = ok(server.get(USERS, b.ownerKey())).get("users");
        assertThat(users.findValues("id").stream().map(JsonNode::asText)).contains(bMemberId);
        users.forEach(u -> {
            if (u.get("id").asText().equals(bMemberId)) {
                assertThat(u.get("role").asText()).isEqualTo("MEMBER");
            }
        });
        JsonNode invitations = ok(server.get(INVITATIONS, b.ownerKey())).get("invitations");
        assertThat(invitations).anySatisfy(i -> {
            assertThat(i.get("id").asText()).isEqualTo(bInvitationId);
            assertThat(i.get("status").asText()).isEqualTo("INVITATION_PENDING");
        });
        JsonNode bKey = null;
        for (JsonNode k : ok(server.get(KEYS, b.ownerKey())).get("api_keys")) {
            if (k.get("id").asText().equals(bKeyId)) {
                bKey = k;
            }
        }
        assertThat(bKey).as("B's key is listed as active").isNotNull();
        assertThat(bKey.get("active").asBoolean()).isTrue();
        assertThat(bKey.has("revoked_at")).isFalse();
        assertThat(bKey.has("expires_at")).as("no grace period was started on B's key").isFalse();
    }

    // ---- REST ----

    /** {@code path} and {@code body} hold {id}: B's resource, or an id that never existed. */
    record Attempt(String label, String method, String path, String body, String what) {
        @Override
        public String toString() {
            return label;
        }

        String bId() {
            return switch (what) {
                case "api key" -> bKeyId;
                case "user" -> bMemberId;
                default -> bInvitationId;
            };
        }
    }

    static Stream<Attempt> restAttempts() {
        return Stream.of(
                new Attempt("revoke B's key", "DELETE", KEYS + "/{id}", null, "api key"),
                new Attempt("rotate B's key", "POST", KEYS + "/{id}/rotate", "{\"grace_period\":\"0s\"}", "api key"),
                new Attempt("rotate B's key, default grace", "POST", KEYS + "/{id}/rotate", "{}", "api key"),
                new Attempt("make B's member OWNER", "PUT", USERS + "/{id}/role", "{\"role\":\"OWNER\"}", "user"),
                new Attempt("make B's member VIEWER", "PUT", USERS + "/{id}/role", "{\"role\":\"VIEWER\"}", "user"),
                new Attempt("remove B's member", "DELETE", USERS + "/{id}", null, "user"),
                new Attempt("cancel B's invitation", "DELETE", INVITATIONS + "/{id}", null, "invitation"),
                new Attempt("create a personal key for B's member", "POST", KEYS,
                            "{\"name\":\"stolen\",\"role\":\"MEMBER\",\"user_id\":\"{id}\"}", "user"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("restAttempts")
    void restAnswers404ForAnotherTenantsIdExactlyAsForAnIdThatNeverExisted(Attempt attempt) {
        State before = stateOfB();
        int aAuditRows = auditRows(a);
        JsonNode aKeys = activeKeyIds(a);

        String bId = attempt.bId();
        String random = UUID.randomUUID().toString();
        Reply other = send(attempt, bId);
        Reply missing = send(attempt, random);

        for (Reply reply : List.of(other, missing)) {
            assertThat(reply.status()).as(reply.toString()).isEqualTo(404);
            assertThat(reply.json().get("code").asInt()).isEqualTo(Status.Code.NOT_FOUND.value());
            assertThat(reply.json().get("grpc-code").asText()).isEqualTo("NOT_FOUND");
        }
        String otherMessage = other.json().get("message").asText();
        assertThat(otherMessage).isEqualTo(attempt.what() + " " + bId + " not found");
        assertThat(missing.json().get("message").asText())
                .isEqualTo(attempt.what() + " " + random + " not found")
                .isEqualTo(otherMessage.replace(bId, random));
        assertNoLeak(other.body());
        assertThat(other.headers().keySet()).isEqualTo(missing.headers().keySet());

        assertBUntouched(before);
        assertThat(auditRows(a)).as("nothing audited in A either").isEqualTo(aAuditRows);
        assertThat(activeKeyIds(a)).isEqualTo(aKeys);
    }

    private static Reply send(Attempt attempt, String id) {
        return server.send(attempt.method(), attempt.path().replace("{id}", id),
                           attempt.body() == null ? null : attempt.body().replace("{id}", id), a.ownerKey());
    }

    /** Nothing of B's besides the id A sent: not its tenant id, names or e-mails. */
    private static void assertNoLeak(String body) {
        assertThat(body).doesNotContain(b.id()).doesNotContainIgnoringCase("bravo")
                .doesNotContain(b.ownerUserId());
    }

    private static int auditRows(RunningServer.Tenant t) {
        return server.database.read(s -> s.getMapper(AuditMapper.class).latest(UUID.fromString(t.id()), 10000).size());
    }

    private static JsonNode activeKeyIds(RunningServer.Tenant t) {
        JsonNode keys = ok(server.get(KEYS + "?include_inactive=true&page_size=1000", t.ownerKey())).get("api_keys");
        keys.forEach(k -> ((ObjectNode) k).remove("last_used_at"));
        return keys;
    }

    // ---- gRPC through the SDK ----

    record GrpcAttempt(String label, String what, BiConsumer<GovconClient, String> call) {
        @Override
        public String toString() {
            return label;
        }
    }

    static Stream<GrpcAttempt> grpcAttempts() {
        return Stream.of(
                new GrpcAttempt("RevokeApiKey", "api key", (g, id) -> g.connectivity().revokeApiKey(
                        RevokeApiKeyRequest.newBuilder().setId(id).build())),
                new GrpcAttempt("RotateApiKey", "api key", (g, id) -> g.connectivity().rotateApiKey(
                        RotateApiKeyRequest.newBuilder().setId(id).setGracePeriod(Duration.newBuilder().setSeconds(0)).build())),
                new GrpcAttempt("UpdateUserRole", "user", (g, id) -> g.accounts().updateUserRole(
                        UpdateUserRoleRequest.newBuilder().setId(id).setRole(Role.ADMIN).build())),
                new GrpcAttempt("RemoveUser", "user", (g, id) -> g.accounts().removeUser(
                        RemoveUserRequest.newBuilder().setId(id).build())),
                new GrpcAttempt("CancelInvitation", "invitation", (g, id) -> g.accounts().cancelInvitation(
                        CancelInvitationRequest.newBuilder().setId(id).build())),
                new GrpcAttempt("CreateApiKey for B's member", "user", (g, id) -> g.connectivity().createApiKey(
                        CreateApiKeyRequest.newBuilder().setName("stolen").setRole(Role.VIEWER).setUserId(id).build())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("grpcAttempts")
    void grpcAnswersNotFoundForAnotherTenantsIdExactlyAsForAnIdThatNeverExisted(GrpcAttempt attempt) {
        State before = stateOfB();
        String bId = switch (attempt.what()) {
            case "api key" -> bKeyId;
            case "user" -> bMemberId;
            default -> bInvitationId;
        };
        String random = UUID.randomUUID().toString();
        try (GovconClient client = server.grpc(a.ownerKey())) {
            Status other = statusOf(() -> attempt.call().accept(client, bId));
            Status missing = statusOf(() -> attempt.call().accept(client, random));
            assertThat(other.getCode()).as(other.toString()).isEqualTo(Status.Code.NOT_FOUND);
            assertThat(missing.getCode()).as(missing.toString()).isEqualTo(Status.Code.NOT_FOUND);
            assertThat(other.getDescription()).isEqualTo(attempt.what() + " " + bId + " not found");
            assertThat(missing.getDescription()).isEqualTo(other.getDescription().replace(bId, random));
            assertNoLeak(other.getDescription());
        }
        assertBUntouched(before);
    }

    private static Status statusOf(Runnable call) {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, call::run);
        assertThat(e).as("the call fails with a status").isNotNull();
        return e.getStatus();
    }

    // ---- lists ----

    @Test
    void aListsNeverShowBsKeysUsersOrInvitations() {
        String aKey = a.ownerKey();
        String restKeys = ok(server.get(KEYS + "?include_inactive=true&page_size=1000", aKey)).toString();
        String restUsers = ok(server.get(USERS + "?page_size=1000", aKey)).toString();
        String restMembers = ok(server.get(USERS + "?role=MEMBER", aKey)).toString();
        String restInvitations = ok(server.get(INVITATIONS + "?page_size=1000", aKey)).toString();
        String contacts = ok(server.get("/api/v1/accounts/profile/contacts", aKey)).toString();
        // A sees its own things...
        assertThat(restKeys).contains("alpha ci");
        assertThat(restUsers).contains(a.ownerUserId());
        assertThat(restInvitations).contains("pending@alpha.example");
        // ...and nothing of B's.
        for (String list : List.of(restKeys, restUsers, restMembers, restInvitations, contacts)) {
            assertThat(list).doesNotContain(bKeyId).doesNotContain(bMemberId).doesNotContain(bInvitationId)
                    .doesNotContain(b.ownerUserId()).doesNotContain(b.id()).doesNotContainIgnoringCase("bravo");
        }

        try (GovconClient client = server.grpc(aKey)) {
            var keys = client.connectivity().listApiKeys(ListApiKeysRequest.newBuilder()
                    .setIncludeInactive(true).setPageSize(1000).build());
            assertThat(keys.getApiKeysList()).isNotEmpty()
                    .noneSatisfy(k -> assertThat(k.getId()).isEqualTo(bKeyId))
                    .allSatisfy(k -> assertThat(k.getName()).doesNotContainIgnoringCase("bravo"));
            var users = client.accounts().listUsers(ListUsersRequest.newBuilder().setPageSize(1000).build());
            assertThat(users.getUsersList()).extracting(u -> u.getId()).containsExactly(a.ownerUserId());
            var invitations = client.accounts().listInvitations(ListInvitationsRequest.newBuilder().setPageSize(1000).build());
            assertThat(invitations.getInvitationsList()).extracting(i -> i.getEmail())
                    .containsExactly("pending@alpha.example");
        }
    }

    @Test
    void bsPageTokenUsedByAShowsNothingOfB() {
        // Page tokens carry only a position, never a tenant: B's token used by A pages A's own keys.
        for (int i = 0; i < 2; i++) {
            ok(server.post(KEYS, "{\"name\":\"bravo extra " + i + "\",\"role\":\"VIEWER\"}", b.ownerKey()));
        }
        String bToken = ok(server.get(KEYS + "?page_size=1", b.ownerKey())).get("next_page_token").asText();
        assertThat(bToken).isNotEmpty();
        Reply reply = server.get(KEYS + "?include_inactive=true&page_token=" + bToken, a.ownerKey());
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(reply.body()).doesNotContainIgnoringCase("bravo").doesNotContain(bKeyId);
    }
}
