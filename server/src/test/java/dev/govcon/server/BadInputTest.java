package dev.govcon.server;

import static dev.govcon.server.testing.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;

import dev.govcon.proto.v1.CreateApiKeyRequest;
import dev.govcon.proto.v1.InviteUserRequest;
import dev.govcon.proto.v1.ListApiKeysRequest;
import dev.govcon.proto.v1.ListInvitationsRequest;
import dev.govcon.proto.v1.ListUsersRequest;
import dev.govcon.proto.v1.Role;
import dev.govcon.proto.v1.RotateApiKeyRequest;
import dev.govcon.proto.v1.UpdateProfileRequest;
import dev.govcon.proto.v1.UpdateUserRoleRequest;
import dev.govcon.sdk.GovconClient;
import dev.govcon.server.audit.AuditMapper;
import dev.govcon.server.testing.RunningServer;
import dev.govcon.server.testing.RunningServer.Reply;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * Every implemented endpoint that takes input, fed input it must refuse: each answer is 400
 * (INVALID_ARGUMENT over gRPC) with a message that names the offending field, and nothing is
 * written: keys, members, invitations, profile and audit ledger are exactly as before.
 */
class BadInputTest {
    private static final String KEYS = "/api/v1/connectivity/api-keys";
    private static final String USERS = "/api/v1/accounts/users";
    private static final String INVITATIONS = "/api/v1/accounts/invitations";
    private static final String PROFILE = "/api/v1/accounts/profile";

    static RunningServer server;
    static RunningServer.Tenant tenant;
    /** A VIEWER service key, a MEMBER who accepted an invitation, and a pending invitation. */
    static String keyId;
    static String memberId;
    static String invitationId;
    static String invitationToken;

    @BeforeAll
    static void start() {
        server = RunningServer.start();
        tenant = server.newTenant("Bad Input Co");
        String owner = tenant.ownerKey();

        Reply key = server.post(KEYS, "{\"name\":\"ci\",\"role\":\"VIEWER\"}", owner);
        assertThat(key.status()).as(key.toString()).isEqualTo(200);
        keyId = key.json().get("api_key").get("id").asText();

        Reply invited = server.post(USERS + "/invite", "{\"email\":\"member@badinput.example\",\"role\":\"MEMBER\"}", owner);
        assertThat(invited.status()).as(invited.toString()).isEqualTo(200);
        Reply accepted = server.post(INVITATIONS + "/accept",
                "{\"token\":\"" + invited.json().get("token").asText() + "\"}", null);
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(200);
        memberId = accepted.json().get("user").get("id").asText();

        Reply pending = server.post(USERS + "/invite", "{\"email\":\"pending@badinput.example\",\"role\":\"VIEWER\","
                                                      + "\"display_name\":\"Pending Person\"}", owner);
        assertThat(pending.status()).as(pending.toString()).isEqualTo(200);
        invitationId = pending.json().get("invitation").get("id").asText();
        invitationToken = pending.json().get("token").asText();

        Reply profile = server.put(PROFILE, "{\"display_name\":\"Bad Input\",\"country\":\"FR\","
                                            + "\"time_zone\":\"Europe/Paris\",\"website\":\"https://badinput.example\"}", owner);
        assertThat(profile.status()).as(profile.toString()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    // ---- what the tenant has, to prove a refused request wrote nothing ----

    record State(JsonNode keys, JsonNode users, JsonNode invitations, JsonNode profile, int auditRows) {
    }

    static State state() {
        String owner = tenant.ownerKey();
        JsonNode keys = ok(server.get(KEYS + "?include_inactive=true&page_size=1000", owner)).get("api_keys");
        // last_used_at moves every time the owner key is used: not something a refusal writes.
        keys.forEach(k -> ((ObjectNode) k).remove("last_used_at"));
        return new State(keys,
                ok(server.get(USERS + "?page_size=1000", owner)).get("users"),
                ok(server.get(INVITATIONS + "?page_size=1000", owner)).get("invitations"),
                ok(server.get(PROFILE, owner)),
                server.database.read(s -> s.getMapper(AuditMapper.class)
                        .latest(UUID.fromString(tenant.id()), 10000).size()));
    }

    private static JsonNode ok(Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json();
    }

    // ---- REST ----

    /** {@code path} and {@code body} may hold {key}, {user}, {invitation}, {token}. */
    record Bad(String label, String method, String path, String body, boolean anonymous, String field) {
        @Override
        public String toString() {
            return label;
        }
    }

    private static Bad bad(String label, String method, String path, String body, String field) {
        return new Bad(label, method, path, body, false, field);
    }

    private static String x(int n) {
        return "x".repeat(n);
    }

    /** A syntactically valid address of exactly {@code n} characters. */
    private static String email(int n) {
        return "a".repeat(n - "@example.com".length()) + "@example.com";
    }

    static Stream<Bad> restCases() {
        List<Bad> c = new ArrayList<>();

        // Lists: page size, page token, filters.
        for (String list : List.of(KEYS, USERS, INVITATIONS)) {
            String name = list.substring(list.lastIndexOf('/') + 1);
            c.add(bad(name + " page_size=-1", "GET", list + "?page_size=-1", null, "page_size"));
            c.add(bad(name + " page_size=1001", "GET", list + "?page_size=1001", null, "page_size"));
            c.add(bad(name + " page_size=abc", "GET", list + "?page_size=abc", null, "page_size"));
            c.add(bad(name + " page_size=1.5", "GET", list + "?page_size=1.5", null, "page_size"));
            c.add(bad(name + " page_token=not-a-token", "GET", list + "?page_token=not-a-token", null, "page_token"));
            c.add(bad(name + " page_token=%%", "GET", list + "?page_token=%25%25", null, "page_token"));
        }
        c.add(bad("users role=GOD", "GET", USERS + "?role=GOD", null, "role"));
        c.add(bad("users role=99", "GET", USERS + "?role=99", null, "role"));

        // CreateApiKey
        c.add(bad("create key: malformed JSON", "POST", KEYS, "{\"name\":\"k\",", "body"));
        c.add(bad("create key: body is a list", "POST", KEYS, "[1,2]", "body"));
        c.add(bad("create key: empty body", "POST", KEYS, "", "name"));
        c.add(bad("create key: name missing", "POST", KEYS, "{\"role\":\"VIEWER\"}", "name"));
        c.add(bad("create key: name blank", "POST", KEYS, "{\"name\":\"   \",\"role\":\"VIEWER\"}", "name"));
        c.add(bad("create key: name is an object", "POST", KEYS, "{\"name\":{\"a\":1},\"role\":\"VIEWER\"}", "name"));
        c.add(bad("create key: name 101 chars", "POST", KEYS, "{\"name\":\"" + x(101) + "\",\"role\":\"VIEWER\"}", "name"));
        c.add(bad("create key: role missing", "POST", KEYS, "{\"name\":\"k\"}", "role"));
        c.add(bad("create key: role ROLE_UNSPECIFIED", "POST", KEYS, "{\"name\":\"k\",\"role\":\"ROLE_UNSPECIFIED\"}", "role"));
        c.add(bad("create key: role GOD", "POST", KEYS, "{\"name\":\"k\",\"role\":\"GOD\"}", "role"));
        c.add(bad("create key: role 99", "POST", KEYS, "{\"name\":\"k\",\"role\":99}", "role"));
        c.add(bad("create key: role is an object", "POST", KEYS, "{\"name\":\"k\",\"role\":{\"x\":1}}", "role"));
        c.add(bad("create key: unknown field", "POST", KEYS, "{\"name\":\"k\",\"role\":\"VIEWER\",\"colour\":\"red\"}", "colour"));
        c.add(bad("create key: user_id not a UUID", "POST", KEYS, "{\"name\":\"k\",\"role\":\"VIEWER\",\"user_id\":\"bob\"}", "user_id"));
        c.add(bad("create key: user_id short-form UUID", "POST", KEYS, "{\"name\":\"k\",\"role\":\"VIEWER\",\"user_id\":\"1-1-1-1-1\"}", "user_id"));
        c.add(bad("create key: expires_at in the past", "POST", KEYS,
                  "{\"name\":\"k\",\"role\":\"VIEWER\",\"expires_at\":\"2001-01-01T00:00:00Z\"}", "expires_at"));
        c.add(bad("create key: expires_at not a time", "POST", KEYS,
                  "{\"name\":\"k\",\"role\":\"VIEWER\",\"expires_at\":\"tomorrow\"}", "expires_at"));
        c.add(bad("create key: expires_at a number", "POST", KEYS,
                  "{\"name\":\"k\",\"role\":\"VIEWER\",\"expires_at\":1893456000}", "expires_at"));

        // RevokeApiKey
        c.add(bad("revoke key: id not a UUID", "DELETE", KEYS + "/not-a-uuid", null, "id"));
        c.add(bad("revoke key: id with trailing junk", "DELETE", KEYS + "/{key}x", null, "id"));

        // RotateApiKey
        c.add(bad("rotate key: id not a UUID", "POST", KEYS + "/not-a-uuid/rotate", "{}", "id"));
        c.add(bad("rotate key: malformed JSON", "POST", KEYS + "/{key}/rotate", "{\"grace_period\":", "body"));
        c.add(bad("rotate key: grace_period negative", "POST", KEYS + "/{key}/rotate", "{\"grace_period\":\"-1s\"}", "grace_period"));
        c.add(bad("rotate key: grace_period 30 days + 1s", "POST", KEYS + "/{key}/rotate", "{\"grace_period\":\"2592001s\"}", "grace_period"));
        c.add(bad("rotate key: grace_period abc", "POST", KEYS + "/{key}/rotate", "{\"grace_period\":\"abc\"}", "grace_period"));
        c.add(bad("rotate key: grace_period a number", "POST", KEYS + "/{key}/rotate", "{\"grace_period\":86400}", "grace_period"));
        c.add(bad("rotate key: unknown field", "POST", KEYS + "/{key}/rotate", "{\"grace\":\"60s\"}", "grace"));

        // InviteUser
        String invite = USERS + "/invite";
        c.add(bad("invite: malformed JSON", "POST", invite, "{\"email\":", "body"));
        c.add(bad("invite: body is a string", "POST", invite, "\"hello\"", "body"));
        c.add(bad("invite: email missing", "POST", invite, "{\"role\":\"MEMBER\"}", "email"));
        c.add(bad("invite: email not an address", "POST", invite, "{\"email\":\"nobody\",\"role\":\"MEMBER\"}", "email"));
        c.add(bad("invite: email 255 chars", "POST", invite, "{\"email\":\"" + email(255) + "\",\"role\":\"MEMBER\"}", "email"));
        c.add(bad("invite: email is an object", "POST", invite, "{\"email\":{\"a\":\"b\"},\"role\":\"MEMBER\"}", "email"));
        c.add(bad("invite: role missing", "POST", invite, "{\"email\":\"new@badinput.example\"}", "role"));
        c.add(bad("invite: role GOD", "POST", invite, "{\"email\":\"new@badinput.example\",\"role\":\"GOD\"}", "role"));
        c.add(bad("invite: role 99", "POST", invite, "{\"email\":\"new@badinput.example\",\"role\":99}", "role"));
        c.add(bad("invite: role INGEST", "POST", invite, "{\"email\":\"new@badinput.example\",\"role\":\"INGEST\"}", "role"));
        c.add(bad("invite: display_name 201 chars", "POST", invite,
                  "{\"email\":\"new@badinput.example\",\"role\":\"MEMBER\",\"display_name\":\"" + x(201) + "\"}", "display_name"));
        c.add(bad("invite: unknown field", "POST", invite, "{\"email\":\"new@badinput.example\",\"role\":\"MEMBER\",\"team\":\"a\"}", "team"));

        // UpdateUserRole
        c.add(bad("update role: id not a UUID", "PUT", USERS + "/not-a-uuid/role", "{\"role\":\"ADMIN\"}", "id"));
        c.add(bad("update role: malformed JSON", "PUT", USERS + "/{user}/role", "{role:ADMIN}", "body"));
        c.add(bad("update role: role missing", "PUT", USERS + "/{user}/role", "{}", "role"));
        c.add(bad("update role: role GOD", "PUT", USERS + "/{user}/role", "{\"role\":\"GOD\"}", "role"));
        c.add(bad("update role: role 99", "PUT", USERS + "/{user}/role", "{\"role\":99}", "role"));
        c.add(bad("update role: role INGEST", "PUT", USERS + "/{user}/role", "{\"role\":\"INGEST\"}", "role"));
        c.add(bad("update role: unknown field", "PUT", USERS + "/{user}/role", "{\"role\":\"ADMIN\",\"why\":\"x\"}", "why"));

        // RemoveUser
        c.add(bad("remove user: id not a UUID", "DELETE", USERS + "/not-a-uuid", null, "id"));
        c.add(bad("remove user: id with trailing junk", "DELETE", USERS + "/{user}0", null, "id"));

        // AcceptInvitation (no API key: the token is the credential)
        String accept = INVITATIONS + "/accept";
        c.add(new Bad("accept: malformed JSON", "POST", accept, "{\"token\"", true, "body"));
        c.add(new Bad("accept: token missing", "POST", accept, "{}", true, "token"));
        c.add(new Bad("accept: token not a token", "POST", accept, "{\"token\":\"letmein\"}", true, "token"));
        c.add(new Bad("accept: token 201 chars", "POST", accept, "{\"token\":\"" + x(201) + "\"}", true, "token"));
        c.add(new Bad("accept: token is an object", "POST", accept, "{\"token\":{\"n\":1}}", true, "token"));
        c.add(new Bad("accept: display_name 201 chars with a valid token", "POST", accept,
                      "{\"token\":\"{token}\",\"display_name\":\"" + x(201) + "\"}", true, "display_name"));
        c.add(new Bad("accept: unknown field with a valid token", "POST", accept,
                      "{\"token\":\"{token}\",\"role\":\"OWNER\"}", true, "role"));

        // CancelInvitation
        c.add(bad("cancel invitation: id not a UUID", "DELETE", INVITATIONS + "/not-a-uuid", null, "id"));
        c.add(bad("cancel invitation: id with trailing junk", "DELETE", INVITATIONS + "/{invitation}-1", null, "id"));

        // UpdateProfile
        c.add(bad("profile: malformed JSON", "PUT", PROFILE, "{\"country\":\"DE\"", "body"));
        c.add(bad("profile: time_zone Mars/Olympus", "PUT", PROFILE, "{\"time_zone\":\"Mars/Olympus\"}", "time_zone"));
        c.add(bad("profile: auto-resolve 0s", "PUT", PROFILE, "{\"incident_auto_resolve_after\":\"0s\"}",
                  "incident_auto_resolve_after"));
        c.add(bad("profile: auto-resolve 91 days", "PUT", PROFILE, "{\"incident_auto_resolve_after\":\"7862400s\"}",
                  "incident_auto_resolve_after"));
        c.add(bad("profile: auto-resolve with nanos", "PUT", PROFILE,
                  "{\"incident_auto_resolve_after\":\"600.5s\"}", "incident_auto_resolve_after"));
        c.add(bad("profile: auto-resolve set and cleared", "PUT", PROFILE,
                  "{\"incident_auto_resolve_after\":\"600s\",\"clear_fields\":[\"incident_auto_resolve_after\"]}",
                  "incident_auto_resolve_after"));
        c.add(bad("profile: time_zone is a number", "PUT", PROFILE, "{\"time_zone\":{\"offset\":2}}", "time_zone"));
        c.add(bad("profile: country FRA", "PUT", PROFILE, "{\"country\":\"FRA\"}", "country"));
        c.add(bad("profile: country 1A", "PUT", PROFILE, "{\"country\":\"1A\"}", "country"));
        c.add(bad("profile: website ftp", "PUT", PROFILE, "{\"website\":\"ftp://badinput.example\"}", "website"));
        c.add(bad("profile: website not a URL", "PUT", PROFILE, "{\"website\":\"bad input dot example\"}", "website"));
        c.add(bad("profile: website 501 chars", "PUT", PROFILE, "{\"website\":\"https://" + x(493) + "\"}", "website"));
        c.add(bad("profile: display_name 201 chars", "PUT", PROFILE, "{\"display_name\":\"" + x(201) + "\"}", "display_name"));
        c.add(bad("profile: billing_email not an address", "PUT", PROFILE, "{\"billing_email\":\"billing\"}", "billing_email"));
        c.add(bad("profile: security_email 255 chars", "PUT", PROFILE, "{\"security_email\":\"" + email(255) + "\"}", "security_email"));
        c.add(bad("profile: clear_fields names a field that cannot be cleared", "PUT", PROFILE, "{\"clear_fields\":[\"name\"]}", "clear_fields"));
        c.add(bad("profile: clear_fields not a list", "PUT", PROFILE, "{\"clear_fields\":{\"website\":true}}", "clear_fields"));
        c.add(bad("profile: name is not editable", "PUT", PROFILE, "{\"name\":\"Renamed\"}", "name"));
        c.add(bad("profile: one good field, one bad", "PUT", PROFILE, "{\"display_name\":\"Renamed\",\"country\":\"FRA\"}", "country"));
        return c.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("restCases")
    void restRefusesNamingTheFieldAndWritesNothing(Bad bad) {
        State before = state();
        String path = fill(bad.path());
        String body = bad.body() == null ? null : fill(bad.body());

        Reply reply = server.send(bad.method(), path, body, bad.anonymous() ? null : tenant.ownerKey());

        assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
        JsonNode json = reply.json();
        assertThat(json.get("code").asInt()).as(reply.toString()).isEqualTo(Status.Code.INVALID_ARGUMENT.value());
        assertThat(json.get("grpc-code").asText()).as(reply.toString()).isEqualTo("INVALID_ARGUMENT");
        assertThat(json.get("message").asText()).as(reply.toString()).startsWith(bad.field() + ":");
        assertThat(state()).isEqualTo(before);
    }

    private static String fill(String text) {
        return text.replace("{key}", keyId).replace("{user}", memberId)
                   .replace("{invitation}", invitationId).replace("{token}", invitationToken);
    }

    @Test
    void anAcceptanceRefusedForItsDisplayNameLeavesTheInvitationPending() {
        // A refused acceptance must not have used up the invitation.
        Reply refused = server.post(INVITATIONS + "/accept",
                "{\"token\":\"" + invitationToken + "\",\"display_name\":\"" + x(201) + "\"}", null);
        assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
        JsonNode pending = ok(server.get(INVITATIONS, tenant.ownerKey())).get("invitations");
        assertThat(pending.findValuesAsText("id")).contains(invitationId);
        assertThat(pending.findValuesAsText("status")).containsOnly("INVITATION_PENDING");
    }

    @Test
    void aRefusedProfileUpdateKeepsEveryField() {
        JsonNode before = ok(server.get(PROFILE, tenant.ownerKey()));
        Reply reply = server.put(PROFILE, "{\"display_name\":\"Renamed\",\"website\":\"https://renamed.example\","
                                          + "\"time_zone\":\"Nowhere/Land\"}", tenant.ownerKey());
        assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
        assertThat(reply.json().get("message").asText()).startsWith("time_zone:");
        JsonNode after = ok(server.get(PROFILE, tenant.ownerKey()));
        assertThat(after.get("display_name").asText()).isEqualTo("Bad Input");
        assertThat(after.get("website").asText()).isEqualTo("https://badinput.example");
        assertThat(after.get("time_zone").asText()).isEqualTo("Europe/Paris");
        assertThat(after).isEqualTo(before);
    }

    // ---- refusals found missing by an earlier version of this test ----

    @Test
    void aOneElementListWhereAScalarGoesIsRefused() {
        State before = state();
        assertRefused(server.put(USERS + "/" + memberId + "/role", "{\"role\":[\"ADMIN\"]}", tenant.ownerKey()), "role");
        assertRefused(server.post(KEYS, "{\"name\":[\"listy\"],\"role\":\"VIEWER\"}", tenant.ownerKey()), "name");
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void anUnknownQueryParameterIsRefused() {
        for (String list : List.of(KEYS, USERS, INVITATIONS)) {
            assertRefused(server.get(list + "?page_sise=5", tenant.ownerKey()), "page_sise");
        }
    }

    @Test
    void aQueryValueThatIsNotABooleanIsRefused() {
        assertRefused(server.get(KEYS + "?include_inactive=maybe", tenant.ownerKey()), "include_inactive");
    }

    @Test
    void aCountryThatIsNotAnIsoCodeIsRefused() {
        State before = state();
        assertRefused(server.put(PROFILE, "{\"country\":\"XX\"}", tenant.ownerKey()), "country");
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void aFixedOffsetIsNotAnIanaTimeZone() {
        State before = state();
        assertRefused(server.put(PROFILE, "{\"time_zone\":\"+02:00\"}", tenant.ownerKey()), "time_zone");
        assertThat(state()).isEqualTo(before);
    }

    // ---- gRPC ----

    record GrpcBad(String label, String field, Consumer<GovconClient> call) {
        @Override
        public String toString() {
            return label;
        }
    }

    static Stream<GrpcBad> grpcCases() {
        return Stream.of(
                new GrpcBad("CreateApiKey role unset", "role", g -> g.connectivity().createApiKey(
                        CreateApiKeyRequest.newBuilder().setName("k").build())),
                new GrpcBad("CreateApiKey role number 99", "role", g -> g.connectivity().createApiKey(
                        CreateApiKeyRequest.newBuilder().setName("k").setRoleValue(99).build())),
                new GrpcBad("CreateApiKey name 101 chars", "name", g -> g.connectivity().createApiKey(
                        CreateApiKeyRequest.newBuilder().setName(x(101)).setRole(Role.VIEWER).build())),
                new GrpcBad("CreateApiKey expires_at in the past", "expires_at", g -> g.connectivity().createApiKey(
                        CreateApiKeyRequest.newBuilder().setName("k").setRole(Role.VIEWER)
                                .setExpiresAt(Timestamp.newBuilder().setSeconds(978_307_200L)).build())),
                new GrpcBad("CreateApiKey expires_at out of Timestamp range", "expires_at", g -> g.connectivity().createApiKey(
                        CreateApiKeyRequest.newBuilder().setName("k").setRole(Role.VIEWER)
                                .setExpiresAt(Timestamp.newBuilder().setSeconds(Long.MAX_VALUE)).build())),
                new GrpcBad("ListApiKeys page_size 5000", "page_size", g -> g.connectivity().listApiKeys(
                        ListApiKeysRequest.newBuilder().setPageSize(5000).build())),
                new GrpcBad("ListApiKeys page_size -1", "page_size", g -> g.connectivity().listApiKeys(
                        ListApiKeysRequest.newBuilder().setPageSize(-1).build())),
                new GrpcBad("ListUsers page_token garbage", "page_token", g -> g.accounts().listUsers(
                        ListUsersRequest.newBuilder().setPageToken("garbage").build())),
                new GrpcBad("ListUsers role number 99", "role", g -> g.accounts().listUsers(
                        ListUsersRequest.newBuilder().setRoleValue(99).build())),
                new GrpcBad("ListInvitations page_size 1001", "page_size", g -> g.accounts().listInvitations(
                        ListInvitationsRequest.newBuilder().setPageSize(1001).build())),
                new GrpcBad("InviteUser role number 99", "role", g -> g.accounts().inviteUser(
                        InviteUserRequest.newBuilder().setEmail("grpc@badinput.example").setRoleValue(99).build())),
                new GrpcBad("UpdateUserRole id not a UUID", "id", g -> g.accounts().updateUserRole(
                        UpdateUserRoleRequest.newBuilder().setId("nope").setRole(Role.ADMIN).build())),
                new GrpcBad("UpdateUserRole role number 99", "role", g -> g.accounts().updateUserRole(
                        UpdateUserRoleRequest.newBuilder().setId(memberId).setRoleValue(99).build())),
                new GrpcBad("RotateApiKey grace_period -1s", "grace_period", g -> g.connectivity().rotateApiKey(
                        RotateApiKeyRequest.newBuilder().setId(keyId)
                                .setGracePeriod(Duration.newBuilder().setSeconds(-1)).build())),
                new GrpcBad("UpdateProfile country FRA", "country", g -> g.accounts().updateProfile(
                        UpdateProfileRequest.newBuilder().setDisplayName("Renamed").setCountry("FRA").build())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("grpcCases")
    void grpcRefusesWithInvalidArgumentNamingTheFieldAndWritesNothing(GrpcBad bad) {
        State before = state();
        try (GovconClient client = server.grpc(tenant.ownerKey())) {
            assertThatThrownBy(() -> bad.call().accept(client))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).as(e.getStatus().toString())
                                .isEqualTo(Status.Code.INVALID_ARGUMENT);
                        assertThat(e.getStatus().getDescription()).startsWith(bad.field() + ":");
                    });
        }
        assertThat(state()).isEqualTo(before);
    }
}
