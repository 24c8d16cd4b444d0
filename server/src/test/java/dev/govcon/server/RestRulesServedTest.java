package dev.govcon.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import com.fasterxml.jackson.databind.JsonNode;

import dev.govcon.proto.GovconApi;
import dev.govcon.proto.RestRule;
import dev.govcon.server.testing.RunningServer;
import dev.govcon.server.testing.RunningServer.Reply;

/**
 * Every REST path of the protos' {@code google.api.http} rules is served, not merely declared
 * (the proto module's {@code ContractTest} holds the rules equal to the console's contract,
 * {@code endpoints.tsv}: the inventory's 95 paths and 18 write-side ones). Called by a tenant's
 * owner with nothing in the tenant: a read answers 200 with a JSON object; a path naming an id
 * that is not the tenant's answers the service's own NOT_FOUND; a write with an empty body is
 * refused by the service, naming the field. A rule whose service is not wired for REST (the
 * router's 404 or 405), a service that throws (500) or one not built yet (501) fails here.
 */
class RestRulesServedTest {
    /** Reads whose request has a required query parameter, with a valid value for it. */
    private static final Map<String, String> REQUIRED_QUERY = Map.of(
            "/api/v1/activity/runs/completed/by-dimension", "?dimension=MODEL",
            "/api/v1/activity/runs/live/by-dimension", "?dimension=MODEL");
    /** Writes that accept an empty body (every field optional): a PUT of the profile changes nothing. */
    private static final List<String> EMPTY_BODY_ACCEPTED = List.of("PUT /api/v1/accounts/profile");

    static RunningServer server;
    static RunningServer.Tenant acme;

    @BeforeAll
    static void start() {
        server = RunningServer.start();
        acme = server.newTenant("Contract Acme");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @TestFactory
    Stream<DynamicTest> everyRestRuleIsServed() {
        List<RestRule> rules = RestRule.of(GovconApi.services());
        assertThat(rules).hasSize(113);
        return rules.stream().map(r -> DynamicTest.dynamicTest(r.method() + " " + r.path(), () -> call(r)));
    }

    private static void call(RestRule rule) {
        String e = rule.method() + " " + rule.path();
        boolean namesAnId = rule.variables() > 0;
        boolean writes = !rule.method().equals("GET");
        String path = rule.path().replaceAll("\\{[a-z_]+}", UUID.randomUUID().toString())
                      + REQUIRED_QUERY.getOrDefault(rule.path(), "");
        String body = rule.body().isEmpty() ? null : "{}";
        Reply reply = server.send(rule.method(), path, body, acme.ownerKey());
        JsonNode json = reply.json();
        assertThat(json.isObject()).as("%s answers a JSON object: %s", e, reply).isTrue();

        if (namesAnId && reply.status() == 404) {
            assertThat(json.path("grpc-code").asText()).as("%s: the service's NOT_FOUND, not the router's", e)
                    .isEqualTo("NOT_FOUND");
        } else if (writes && !EMPTY_BODY_ACCEPTED.contains(e)) {
            assertThat(reply.status()).as("%s with an empty body: %s", e, reply).isEqualTo(400);
            assertThat(json.path("grpc-code").asText()).isEqualTo("INVALID_ARGUMENT");
            assertThat(json.path("message").asText()).as("%s names the field", e).matches("[a-z_.]+: .+");
        } else if (namesAnId) {
            throw new AssertionError(e + " with another tenant's (or no one's) id must be 404: " + reply);
        } else {
            assertThat(reply.status()).as("%s: %s", e, reply).isEqualTo(200);
        }
    }
}
