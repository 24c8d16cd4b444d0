package dev.govcon.server.policies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.govcon.proto.v1.ControlAction;
import dev.govcon.proto.v1.ControlViolationSummary;
import dev.govcon.proto.v1.GetViolationRequest;
import dev.govcon.proto.v1.GetViolationsByLimitRequest;
import dev.govcon.proto.v1.GetViolationsByLimitResponse;
import dev.govcon.proto.v1.LimitKind;
import dev.govcon.proto.v1.ListViolationsRequest;
import dev.govcon.proto.v1.ListViolationsResponse;
import dev.govcon.proto.v1.PolicyKind;
import dev.govcon.proto.v1.PolicyStatus;
import dev.govcon.proto.v1.PolicyViolation;
import dev.govcon.proto.v1.RuleType;
import dev.govcon.proto.v1.ViolationOrigin;
import dev.govcon.sdk.GovconClient;
import dev.govcon.server.testing.RunFixtures;
import dev.govcon.server.testing.RunningServer;
import dev.govcon.server.testing.RunningServer.Reply;
import dev.govcon.server.wire.Times;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * Violations written the way the guard writes them ({@link ViolationMapper#insertBatch}) and
 * read back over gRPC and REST: every filter, paging, one violation, the per-control summary,
 * and another tenant's violations staying invisible.
 */
class ViolationsTest {
    static final String[] FEATURES = {"search", "chat"};
    static final String[] MODELS = {"gpt-4o", "claude-sonnet", "gemini-pro"};
    static final String[] PROVIDERS = {"openai", "anthropic", "google"};
    static final String[] ACTIONS = {"BLOCK", "WARN", "LOG", "BLOCK"};

    static RunningServer server;
    static RunningServer.Tenant acme;
    static RunningServer.Tenant other;
    static GovconClient client;
    static Instant now;
    static UUID dailySpend;
    static UUID denyList;
    static UUID removedLimit;
    /** Acme's violations of the last 7 days. */
    static final List<ViolationRow> recent = new ArrayList<>();
    static final List<ViolationRow> old = new ArrayList<>();
    static final List<ViolationRow> others = new ArrayList<>();

    @BeforeAll
    static void start() {
        server = RunningServer.start();
        acme = server.newTenant("Violations Acme");
        other = server.newTenant("Violations Other");
        UUID acmeId = UUID.fromString(acme.id());
        ControlFixtures controls = new ControlFixtures(new RunFixtures(server.database.dataSource()));
        // Renamed since its violations were written: the summary shows the current name.
        dailySpend = controls.limit(acmeId, "Daily spend (renamed)", "SPEND_PER_DAY", 100_000_000, 0, "BLOCK", "ACTIVE");
        denyList = controls.rule(acmeId, "No preview models", "MODEL_DENY_LIST", "ENFORCED", "BLOCK", "DISABLED");
        removedLimit = UUID.randomUUID();
        now = server.clock.instant();
        for (int i = 0; i < 40; i++) {
            // Violations 10 and 11 share their instant: the cursor's id breaks the tie.
            Instant at = now.minus(3L * (i == 11 ? 10 : i), ChronoUnit.HOURS).minusSeconds(1020);
            recent.add(violation(acmeId, i, at));
        }
        for (int i = 40; i < 43; i++) {
            old.add(violation(acmeId, i, now.minus(Duration.ofDays(8)).minusSeconds(i)));
        }
        for (int i = 0; i < 5; i++) {
            others.add(violation(UUID.fromString(other.id()), i, now.minusSeconds(600L * i + 5)));
        }
        List<ViolationRow> batch = new ArrayList<>(recent);
        batch.addAll(old);
        batch.addAll(others);
        int written = server.database.<Integer>inTransaction(s -> s.getMapper(ViolationMapper.class).insertBatch(batch));
        assertThat(written).isEqualTo(48);
        client = server.grpc(acme.ownerKey());
    }

    static ViolationRow violation(UUID tenantId, int i, Instant at) {
        int c = i % 3;
        UUID controlId = c == 0 ? dailySpend : c == 1 ? denyList : removedLimit;
        int m = (i / 2) % 3;
        return new ViolationRow(tenantId, UUID.randomUUID(), c == 1 ? "RULE" : "LIMIT", controlId,
                c == 0 ? "Daily spend" : c == 1 ? "No preview models" : "Tokens " + i,
                c == 0 ? "SPEND_PER_DAY" : c == 1 ? "MODEL_DENY_LIST" : "TOKENS_PER_DAY",
                ACTIONS[i % 4], i % 5 == 0 ? "RUN_COMPLETION" : "GUARD_CHECK", FEATURES[i % 2], MODELS[m],
                "user-" + (i % 4), "key-" + (i % 2), PROVIDERS[m], i % 5 < 2 ? "production" : "staging", at,
                i % 5 == 0 ? "run-" + i : "", i % 5 == 0 ? "" : "res-" + i, "violation " + i, 1000L * i,
                100_000L, 1000L * (i + 1), i == 7 ? "inc-7" : "", "{\"team\":\"t" + (i % 3) + "\"}");
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    static List<String> newestFirst(List<ViolationRow> rows, Predicate<ViolationRow> keep) {
        return rows.stream().filter(keep)
                .sorted(Comparator.comparing(ViolationRow::occurredAt)
                                // PostgreSQL orders uuids as unsigned bytes, as their text sorts.
                                .thenComparing(v -> v.violationId().toString()).reversed())
                .map(r -> r.violationId().toString()).toList();
    }

    static List<String> ids(ListViolationsResponse page) {
        return page.getViolationsList().stream().map(PolicyViolation::getId).toList();
    }

    @Test
    void aRetriedBatchWritesNothingTwice() {
        List<ViolationRow> again = new ArrayList<>(recent.subList(0, 5));
        ViolationRow fresh = violation(UUID.fromString(acme.id()), 99, now.minus(Duration.ofDays(20)));
        again.add(fresh);
        int written = server.database.<Integer>inTransaction(s -> s.getMapper(ViolationMapper.class).insertBatch(again));
        assertThat(written).isEqualTo(1);
        assertThat(server.database.<Integer>inTransaction(s -> s.getMapper(ViolationMapper.class).insertBatch(List.of())).intValue())
                .isZero();
        long stored = new RunFixtures(server.database.dataSource())
                .queryLong("SELECT count(*) FROM limit_violations WHERE tenant_id = ?", UUID.fromString(acme.id()));
        assertThat(stored).isEqualTo(44);
    }

    @Test
    void theDefaultListIsTheLastSevenDaysNewestFirst() {
        ListViolationsResponse page = client.policies().listViolations(
                ListViolationsRequest.newBuilder().setPageSize(1000).build());
        assertThat(ids(page)).containsExactlyElementsOf(newestFirst(recent, v -> true));
        assertThat(page.getTotalCount()).isEqualTo(40);
        assertThat(page.getNextPageToken()).isEmpty();
        // A wider window reaches the older ones.
        ListViolationsResponse wide = client.policies().listViolations(ListViolationsRequest.newBuilder()
                .setPageSize(1000).setStartTime(Times.ts(now.minus(Duration.ofDays(9)))).build());
        List<ViolationRow> both = new ArrayList<>(recent);
        both.addAll(old);
        assertThat(ids(wide)).containsExactlyElementsOf(newestFirst(both, v -> true));
    }

    @Test
    void everyFilterNarrowsTheList() {
        assertFiltered(ListViolationsRequest.newBuilder().setControlId(dailySpend.toString()),
                       v -> v.controlId().equals(dailySpend));
        assertFiltered(ListViolationsRequest.newBuilder().setControlKind(PolicyKind.POLICY_KIND_RULE),
                       v -> v.controlKind().equals("RULE"));
        assertFiltered(ListViolationsRequest.newBuilder().setAction(ControlAction.WARN),
                       v -> v.action().equals("WARN"));
        assertFiltered(ListViolationsRequest.newBuilder().setOrigin(ViolationOrigin.VIOLATION_ORIGIN_RUN_COMPLETION),
                       v -> v.origin().equals("RUN_COMPLETION"));
        assertFiltered(ListViolationsRequest.newBuilder().setFeature("chat"), v -> v.feature().equals("chat"));
        assertFiltered(ListViolationsRequest.newBuilder().setModel("claude-sonnet"),
                       v -> v.model().equals("claude-sonnet"));
        assertFiltered(ListViolationsRequest.newBuilder().setEndUser("user-3"), v -> v.endUser().equals("user-3"));
        assertFiltered(ListViolationsRequest.newBuilder().setApiKeyId("key-1"), v -> v.apiKeyId().equals("key-1"));
        assertFiltered(ListViolationsRequest.newBuilder().setProvider("google"), v -> v.provider().equals("google"));
        assertFiltered(ListViolationsRequest.newBuilder().setEnvironment("production"),
                       v -> v.environment().equals("production"));
        assertFiltered(ListViolationsRequest.newBuilder().setControlKind(PolicyKind.POLICY_KIND_LIMIT)
                               .setAction(ControlAction.BLOCK).setFeature("search"),
                       v -> v.controlKind().equals("LIMIT") && v.action().equals("BLOCK") && v.feature().equals("search"));
        Instant from = now.minus(Duration.ofHours(40));
        Instant to = now.minus(Duration.ofHours(10));
        assertFiltered(ListViolationsRequest.newBuilder().setStartTime(Times.ts(from)).setEndTime(Times.ts(to)),
                       v -> !v.occurredAt().isBefore(from) && v.occurredAt().isBefore(to));
    }

    static void assertFiltered(ListViolationsRequest.Builder req, Predicate<ViolationRow> keep) {
        List<String> expected = newestFirst(recent, keep);
        assertThat(expected).isNotEmpty().hasSizeLessThan(40);
        ListViolationsResponse page = client.policies().listViolations(req.setPageSize(1000).build());
        assertThat(ids(page)).as(req.toString()).containsExactlyElementsOf(expected);
        assertThat(page.getTotalCount()).isEqualTo(expected.size());
    }

    @Test
    void pagingWalksEveryViolationOnceWithTheSameTotal() {
        List<String> seen = new ArrayList<>();
        String token = "";
        int pages = 0;
        do {
            ListViolationsResponse page = client.policies().listViolations(
                    ListViolationsRequest.newBuilder().setPageSize(7).setPageToken(token).build());
            assertThat(page.getTotalCount()).isEqualTo(40);
            seen.addAll(ids(page));
            token = page.getNextPageToken();
            pages++;
        } while (!token.isEmpty());
        assertThat(pages).isEqualTo(6);
        assertThat(new HashSet<>(seen)).hasSize(40);
        assertThat(seen).containsExactlyElementsOf(newestFirst(recent, v -> true));
    }

    @Test
    void oneViolationWithEverythingTheGuardWrote() {
        ViolationRow row = recent.get(7);
        PolicyViolation v = client.policies().getViolation(GetViolationRequest.newBuilder()
                .setId(row.violationId().toString()).build());
        assertThat(v.getControlKind()).isEqualTo(PolicyKind.POLICY_KIND_RULE);
        assertThat(v.getRuleType()).isEqualTo(RuleType.RULE_TYPE_MODEL_DENY_LIST);
        assertThat(v.getLimitKind()).isEqualTo(LimitKind.LIMIT_KIND_UNSPECIFIED);
        assertThat(v.getControlId()).isEqualTo(denyList.toString());
        assertThat(v.getAction()).isEqualTo(ControlAction.BLOCK);
        assertThat(v.getOrigin()).isEqualTo(ViolationOrigin.VIOLATION_ORIGIN_GUARD_CHECK);
        assertThat(v.getScope().getFeature()).isEqualTo("chat");
        assertThat(v.getScope().getModel()).isEqualTo("gpt-4o");
        assertThat(v.getScope().getEndUser()).isEqualTo("user-3");
        assertThat(v.getScope().getApiKeyId()).isEqualTo("key-1");
        assertThat(v.getScope().getProvider()).isEqualTo("openai");
        assertThat(v.getScope().getEnvironment()).isEqualTo("staging");
        assertThat(Times.instant(v.getTime())).isEqualTo(row.occurredAt());
        assertThat(v.getReservationId()).isEqualTo("res-7");
        assertThat(v.getMessage()).isEqualTo("violation 7");
        assertThat(v.getObservedValue()).isEqualTo(7000);
        assertThat(v.getLimitAmount()).isEqualTo(100_000);
        assertThat(v.getCostMicros()).isEqualTo(8000);
        assertThat(v.getIncidentId()).isEqualTo("inc-7");
        assertThat(v.getMetadataMap()).isEqualTo(Map.of("team", "t1"));

        PolicyViolation limit = client.policies().getViolation(GetViolationRequest.newBuilder()
                .setId(recent.get(0).violationId().toString()).build());
        assertThat(limit.getLimitKind()).isEqualTo(LimitKind.LIMIT_KIND_SPEND_PER_DAY);
        assertThat(limit.getOrigin()).isEqualTo(ViolationOrigin.VIOLATION_ORIGIN_RUN_COMPLETION);
        assertThat(limit.getRunId()).isEqualTo("run-0");

        JsonNode rest = ok(server.get("/api/v1/policies/violations/" + row.violationId(), acme.ownerKey()));
        assertThat(rest.get("control_kind").asText()).isEqualTo("POLICY_KIND_RULE");
        assertThat(rest.get("rule_type").asText()).isEqualTo("RULE_TYPE_MODEL_DENY_LIST");
        assertThat(rest.get("scope").get("end_user").asText()).isEqualTo("user-3");
        assertThat(rest.get("metadata").get("team").asText()).isEqualTo("t1");
    }

    @Test
    void violationsAreAppendOnlyExceptLinkingAnIncidentOnce() {
        UUID tenantId = UUID.fromString(server.newTenant("Violations append-only").id());
        ViolationRow v = violation(tenantId, 3, now);
        server.database.<Integer>inTransaction(s -> s.getMapper(ViolationMapper.class).insertBatch(List.of(v)));
        RunFixtures sql = new RunFixtures(server.database.dataSource());
        String where = " WHERE tenant_id = ? AND violation_id = ?";

        assertThatThrownBy(() -> sql.update("UPDATE limit_violations SET message = 'edited'" + where, tenantId,
                                            v.violationId()))
                .rootCause().hasMessageContaining("append-only");
        assertThatThrownBy(() -> sql.update("DELETE FROM limit_violations" + where, tenantId, v.violationId()))
                .rootCause().hasMessageContaining("append-only");
        sql.update("UPDATE limit_violations SET incident_id = 'inc-1'" + where, tenantId, v.violationId());
        assertThatThrownBy(() -> sql.update("UPDATE limit_violations SET incident_id = 'inc-2'" + where, tenantId,
                                            v.violationId()))
                .rootCause().hasMessageContaining("append-only");
        assertThat(sql.queryStrings("SELECT incident_id || ' ' || message FROM limit_violations" + where, tenantId,
                                    v.violationId())).containsExactly("inc-1 violation 3");
    }

    @Test
    void anotherTenantsViolationIsNotFound() {
        String theirs = others.get(0).violationId().toString();
        assertThatThrownBy(() -> client.policies().getViolation(GetViolationRequest.newBuilder().setId(theirs).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
        assertThat(server.get("/api/v1/policies/violations/" + theirs, acme.ownerKey()).status()).isEqualTo(404);
        assertThat(server.get("/api/v1/policies/violations/" + UUID.randomUUID(), acme.ownerKey()).status())
                .isEqualTo(404);
        // Their own key sees them; acme's list never does.
        assertThat(server.get("/api/v1/policies/violations/" + theirs, other.ownerKey()).status()).isEqualTo(200);
        Set<String> theirIds = new HashSet<>();
        others.forEach(o -> theirIds.add(o.violationId().toString()));
        assertThat(ids(client.policies().listViolations(ListViolationsRequest.newBuilder().setPageSize(1000).build())))
                .doesNotContainAnyElementsOf(theirIds);
        JsonNode byLimit = ok(server.get("/api/v1/policies/violations/by-limit", other.ownerKey()));
        assertThat(byLimit.get("total_violation_count").asLong()).isEqualTo(5);
    }

    @Test
    void violationsByControlCountWhatEachControlDid() {
        GetViolationsByLimitResponse all = client.policies().getViolationsByLimit(
                GetViolationsByLimitRequest.getDefaultInstance());
        assertThat(all.getTotalViolationCount()).isEqualTo(40);
        assertThat(all.getControlsList()).extracting(ControlViolationSummary::getControlId)
                .containsExactly(dailySpend.toString(), denyList.toString(), removedLimit.toString());
        ControlViolationSummary spend = all.getControls(0);
        assertSummary(spend, dailySpend);
        assertThat(spend.getControlName()).isEqualTo("Daily spend (renamed)");
        assertThat(spend.getControlStatus()).isEqualTo(PolicyStatus.POLICY_STATUS_ACTIVE);
        assertThat(spend.getLimitKind()).isEqualTo(LimitKind.LIMIT_KIND_SPEND_PER_DAY);
        ControlViolationSummary rule = all.getControls(1);
        assertSummary(rule, denyList);
        assertThat(rule.getControlStatus()).isEqualTo(PolicyStatus.POLICY_STATUS_DISABLED);
        assertThat(rule.getRuleType()).isEqualTo(RuleType.RULE_TYPE_MODEL_DENY_LIST);
        ControlViolationSummary gone = all.getControls(2);
        assertSummary(gone, removedLimit);
        // No longer in policy_limits: the latest violation's name and type.
        assertThat(gone.getControlStatus()).isEqualTo(PolicyStatus.POLICY_STATUS_UNSPECIFIED);
        assertThat(gone.getControlName()).isEqualTo("Tokens 2");
        assertThat(gone.getLimitKind()).isEqualTo(LimitKind.LIMIT_KIND_TOKENS_PER_DAY);

        GetViolationsByLimitResponse blockedLimits = client.policies().getViolationsByLimit(
                GetViolationsByLimitRequest.newBuilder().setControlKind(PolicyKind.POLICY_KIND_LIMIT)
                        .setAction(ControlAction.BLOCK).build());
        long expected = recent.stream().filter(v -> v.controlKind().equals("LIMIT") && v.action().equals("BLOCK")).count();
        assertThat(blockedLimits.getTotalViolationCount()).isEqualTo(expected);
        assertThat(blockedLimits.getControlsList()).allSatisfy(c -> {
            assertThat(c.getControlKind()).isEqualTo(PolicyKind.POLICY_KIND_LIMIT);
            assertThat(c.getBlockedCount()).isEqualTo(c.getViolationCount());
        });

        JsonNode rest = ok(server.get("/api/v1/policies/violations/by-limit?control_kind=POLICY_KIND_RULE",
                                      acme.ownerKey()));
        assertThat(rest.get("controls")).hasSize(1);
        assertThat(rest.get("controls").get(0).get("control_status").asText()).isEqualTo("POLICY_STATUS_DISABLED");
    }

    static void assertSummary(ControlViolationSummary s, UUID controlId) {
        List<ViolationRow> mine = recent.stream().filter(v -> v.controlId().equals(controlId)).toList();
        assertThat(s.getViolationCount()).isEqualTo(mine.size());
        assertThat(s.getBlockedCount()).isEqualTo(mine.stream().filter(v -> v.action().equals("BLOCK")).count());
        assertThat(s.getWarnedCount()).isEqualTo(mine.stream().filter(v -> v.action().equals("WARN")).count());
        assertThat(s.getLoggedCount()).isEqualTo(mine.stream().filter(v -> v.action().equals("LOG")).count());
        assertThat(s.getPreventedCostMicros()).isEqualTo(
                mine.stream().filter(v -> v.action().equals("BLOCK")).mapToLong(ViolationRow::costMicros).sum());
        assertThat(Times.instant(s.getFirstViolationTime()))
                .isEqualTo(mine.stream().map(ViolationRow::occurredAt).min(Comparator.naturalOrder()).orElseThrow());
        assertThat(Times.instant(s.getLastViolationTime()))
                .isEqualTo(mine.stream().map(ViolationRow::occurredAt).max(Comparator.naturalOrder()).orElseThrow());
    }

    @Test
    void restListsWithFiltersAndPages() {
        JsonNode page = ok(server.get("/api/v1/policies/violations?feature=chat&action=WARN&page_size=2",
                                      acme.ownerKey()));
        List<String> expected = newestFirst(recent, v -> v.feature().equals("chat") && v.action().equals("WARN"));
        assertThat(page.get("total_count").asLong()).isEqualTo(expected.size());
        assertThat(page.get("violations")).hasSize(2);
        assertThat(page.get("violations").get(0).get("id").asText()).isEqualTo(expected.get(0));
        assertThat(page.get("violations").get(0).get("action").asText()).isEqualTo("WARN");
        String next = page.get("next_page_token").asText();
        JsonNode second = ok(server.get("/api/v1/policies/violations?feature=chat&action=WARN&page_size=2&page_token="
                                        + next, acme.ownerKey()));
        assertThat(second.get("violations").get(0).get("id").asText()).isEqualTo(expected.get(2));
    }

    static JsonNode ok(Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json();
    }
}
