package dev.govcon.server.lessons;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.govcon.proto.v1.AcceptPolicyProposalRequest;
import dev.govcon.proto.v1.AcceptPolicyProposalResponse;
import dev.govcon.proto.v1.ControlAction;
import dev.govcon.proto.v1.DeferPolicyProposalRequest;
import dev.govcon.proto.v1.GetLessonRequest;
import dev.govcon.proto.v1.GetLessonStatsRequest;
import dev.govcon.proto.v1.GetLessonStatsResponse;
import dev.govcon.proto.v1.Lesson;
import dev.govcon.proto.v1.LessonFact;
import dev.govcon.proto.v1.LessonKind;
import dev.govcon.proto.v1.ListLessonsRequest;
import dev.govcon.proto.v1.ListPolicyProposalsRequest;
import dev.govcon.proto.v1.PolicyKind;
import dev.govcon.proto.v1.PolicyProposal;
import dev.govcon.proto.v1.PolicyProposalStatus;
import dev.govcon.proto.v1.PolicySource;
import dev.govcon.proto.v1.RuleType;
import dev.govcon.proto.v1.Severity;
import dev.govcon.sdk.GovconClient;
import dev.govcon.server.incidents.IncidentEngineJob;
import dev.govcon.server.policies.ViolationMapper;
import dev.govcon.server.policies.ViolationRow;
import dev.govcon.server.testing.RunFixtures;
import dev.govcon.server.testing.RunningServer;
import dev.govcon.server.testing.RunningServer.Reply;
import dev.govcon.server.wire.Times;

/**
 * Lessons mined from a seeded history (runs, a limit crossed on several days, the incident it
 * opened), the proposals they yield, accepting one (the guard then enforces its control) and
 * deferring another (hidden, then back). Bad input and other tenants' ids on every endpoint.
 */
class LessonsTest {
    static RunningServer server;
    static RunFixtures sql;
    static RunningServer.Tenant acme;
    static RunningServer.Tenant other;
    static Instant now;
    static UUID chatLimit;
    static List<UUID> chatViolations;

    @BeforeAll
    static void start() {
        server = RunningServer.start();
        sql = new RunFixtures(server.database.dataSource());
        now = server.clock.instant().truncatedTo(ChronoUnit.SECONDS);
        acme = tenant("Lessons Acme");
        other = tenant("Lessons Other");
        UUID tenant = UUID.fromString(acme.id());
        Instant today = now.truncatedTo(ChronoUnit.DAYS);
        // Feature search, no control: gpt-4o fails 2 of 40 runs, bad-model 15 of 30; $0.10 a run,
        // 30 runs on the busiest day ($3.00).
        int[][] perDay = {{20, 1, 10, 5}, {10, 1, 10, 5}, {10, 0, 10, 5}};
        int n = 0;
        for (int d = 0; d < 3; d++) {
            Instant end = today.minus(Duration.ofDays(d + 1)).plus(Duration.ofHours(12));
            int[] p = perDay[d];
            for (int i = 0; i < p[0]; i++) {
                run(tenant, "g-" + n++, "gpt-4o", i < p[1] ? "FAILED" : "SUCCEEDED", end);
            }
            for (int i = 0; i < p[2]; i++) {
                run(tenant, "b-" + n++, "bad-model", i < p[3] ? "FAILED" : "SUCCEEDED", end);
            }
        }
        sql.rebuildRollups(tenant);
        // Feature chat: its daily limit stopped calls on 4 of the last 7 days.
        chatLimit = UUID.randomUUID();
        sql.update("""
                   INSERT INTO policy_limits (tenant_id, limit_id, name, limit_kind, amount, scope_feature, action,
                                              status, source, created_at, updated_at)
                   VALUES (?, ?, 'Chat daily spend', 'SPEND_PER_DAY', 2000000, 'chat', 'BLOCK', 'ACTIVE', 'MANUAL',
                           now(), now())
                   """, tenant, chatLimit);
        chatViolations = new java.util.ArrayList<>();
        for (int d = 1; d <= 4; d++) {
            chatViolations.add(violation(tenant, chatLimit, today.minus(Duration.ofDays(d)).plus(Duration.ofHours(15))));
        }
        // Mined a minute ago: list windows end now, exclusive.
        server.clock.set(now.minusSeconds(60));
        assertThat(server.server.jobs().runNow(IncidentEngineJob.NAME).error()).isEmpty();
        assertThat(server.server.jobs().runNow(LessonMinerJob.NAME).error()).isEmpty();
        server.clock.set(now);
    }

    static RunningServer.Tenant tenant(String name) {
        RunningServer.Tenant t = server.newTenant(name);
        sql.update("UPDATE tenants SET created_at = ? WHERE tenant_id = ?",
                   Timestamp.from(now.minus(Duration.ofDays(40))), UUID.fromString(t.id()));
        return t;
    }

    static void run(UUID tenant, String id, String model, String status, Instant end) {
        sql.insertRecord(tenant, new RunFixtures.Finished(id, model, "openai", "search", "u-1", "production", status,
                                                          end.minusSeconds(2), end, 100, 50, 0, 0, 0, 100_000, "PRICE_TABLE",
                                                          false, 2000, status.equals("FAILED") ? "boom" : "", "{}"));
    }

    static UUID violation(UUID tenant, UUID limit, Instant at) {
        UUID id = UUID.randomUUID();
        ViolationRow row = new ViolationRow(tenant, id, "LIMIT", limit, "Chat daily spend", "SPEND_PER_DAY", "BLOCK",
                                            "GUARD_CHECK", "chat", "gpt-4o", "", "", "openai", "production", at, "", "",
                                            "over", 2_100_000, 2_000_000, 300_000, "", "{}");
        server.database.inTransaction(s -> s.getMapper(ViolationMapper.class).insertBatch(List.of(row)));
        return id;
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Lesson lesson(GovconClient c, LessonKind kind) {
        List<Lesson> found = c.policies().listLessons(ListLessonsRequest.newBuilder().setKind(kind).build()).getLessonsList();
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    static PolicyProposal proposalOf(GovconClient c, Lesson lesson) {
        return c.policies().listPolicyProposals(ListPolicyProposalsRequest.newBuilder().setLessonId(lesson.getId())
                                                        .build()).getProposals(0);
    }

    static LessonFact fact(Lesson l, String name) {
        return l.getEvidence().getFactsList().stream().filter(f -> f.getName().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void lessonsCarryTheirEvidenceAndNumbers() {
        try (GovconClient c = server.grpc(acme.ownerKey())) {
            assertThat(c.policies().listLessons(ListLessonsRequest.getDefaultInstance()).getTotalCount()).isEqualTo(3);

            Lesson breach = lesson(c, LessonKind.LESSON_KIND_REPEATED_LIMIT_BREACH);
            assertThat(breach.getTitle()).isEqualTo("Feature chat crossed its daily spend limit on 4 of the last 7 days");
            assertThat(breach.getControlId()).isEqualTo(chatLimit.toString());
            assertThat(breach.getSeverity()).isEqualTo(Severity.MEDIUM);
            assertThat(fact(breach, "days over limit").getCount()).isEqualTo(4);
            assertThat(fact(breach, "days over limit").getBaselineCount()).isEqualTo(7);
            assertThat(fact(breach, "cost of stopped calls").getAmountMicros()).isEqualTo(1_200_000);
            assertThat(breach.getEvidence().getViolationIdsList())
                    .containsExactlyInAnyOrderElementsOf(chatViolations.stream().map(UUID::toString).toList());
            JsonNode incidents = server.get("/api/v1/incidents/active?source=INCIDENT_SOURCE_VIOLATION", acme.ownerKey())
                    .json().get("incidents");
            assertThat(incidents).hasSize(1);
            String incident = incidents.get(0).get("id").asText();
            assertThat(breach.getEvidence().getIncidentIdsList()).containsExactly(incident);

            Lesson outlier = lesson(c, LessonKind.LESSON_KIND_MODEL_FAILURE_OUTLIER);
            assertThat(outlier.getTitle()).isEqualTo("Model bad-model fails 10.0x more than its peers for feature search");
            assertThat(outlier.getScope().getFeature()).isEqualTo("search");
            assertThat(outlier.getScope().getModel()).isEqualTo("bad-model");
            assertThat(outlier.getSeverity()).isEqualTo(Severity.HIGH);
            assertThat(fact(outlier, "failure rate vs peers").getRatio()).isEqualTo(0.5);
            assertThat(fact(outlier, "failure rate vs peers").getBaselineRatio()).isEqualTo(0.05);

            Lesson ungoverned = lesson(c, LessonKind.LESSON_KIND_UNGOVERNED_SPEND);
            assertThat(ungoverned.getTitle())
                    .isEqualTo("No control governs feature search, which spent $7.00 in the last 30 days");
            assertThat(fact(ungoverned, "ungoverned spend").getAmountMicros()).isEqualTo(7_000_000);
            assertThat(fact(ungoverned, "highest daily spend").getAmountMicros()).isEqualTo(3_000_000);
            assertThat(ungoverned.getSeverity()).isEqualTo(Severity.LOW);

            // The same over REST, with its evidence.
            JsonNode json = server.get("/api/v1/policies/lessons/" + breach.getId(), acme.ownerKey()).json();
            assertThat(json.get("evidence").get("violation_ids")).hasSize(4);
            assertThat(json.get("proposal_status").asText()).isIn("POLICY_PROPOSAL_STATUS_PENDING",
                                                                  "POLICY_PROPOSAL_STATUS_ACCEPTED",
                                                                  "POLICY_PROPOSAL_STATUS_DEFERRED");
        }
    }

    @Test
    void proposalsAreConcreteSimulatedAndNeverCreatedTwice() {
        try (GovconClient c = server.grpc(acme.ownerKey())) {
            PolicyProposal cap = proposalOf(c, lesson(c, LessonKind.LESSON_KIND_UNGOVERNED_SPEND));
            assertThat(cap.getKind()).isEqualTo(PolicyKind.POLICY_KIND_LIMIT);
            assertThat(cap.getLimit().getAmount()).isEqualTo(5_000_000);
            assertThat(cap.getLimit().getScope().getFeature()).isEqualTo("search");
            assertThat(cap.getLimit().getAction()).isEqualTo(ControlAction.BLOCK);
            assertThat(cap.getSimulatedEffect().getRunsEvaluated()).isEqualTo(70);
            assertThat(cap.getSimulatedEffect().getCostEvaluatedMicros()).isEqualTo(7_000_000);
            assertThat(cap.getSimulatedEffect().getProposed().getBlockedRuns()).isZero();

            PolicyProposal warn = proposalOf(c, lesson(c, LessonKind.LESSON_KIND_REPEATED_LIMIT_BREACH));
            assertThat(warn.getLimit().getAmount()).isEqualTo(1_600_000);
            assertThat(warn.getLimit().getAction()).isEqualTo(ControlAction.WARN);
            assertThat(warn.getLimit().getScope().getFeature()).isEqualTo("chat");

            PolicyProposal deny = proposalOf(c, lesson(c, LessonKind.LESSON_KIND_MODEL_FAILURE_OUTLIER));
            assertThat(deny.getKind()).isEqualTo(PolicyKind.POLICY_KIND_RULE);
            assertThat(deny.getRule().getType()).isEqualTo(RuleType.RULE_TYPE_MODEL_DENY_LIST);
            assertThat(deny.getRule().getModelsList()).containsExactly("bad-model");
            assertThat(deny.hasSimulatedEffect()).isFalse();

            server.clock.set(now.minusSeconds(30));
            assertThat(server.server.jobs().runNow(LessonMinerJob.NAME).error()).isEmpty();
            server.clock.set(now);
            assertThat(sql.queryLong("SELECT count(*) FROM lessons WHERE tenant_id = ?", UUID.fromString(acme.id())))
                    .isEqualTo(3);
            assertThat(sql.queryLong("SELECT count(*) FROM policy_proposals WHERE tenant_id = ?",
                                     UUID.fromString(acme.id()))).isEqualTo(3);
            Lesson again = lesson(c, LessonKind.LESSON_KIND_REPEATED_LIMIT_BREACH);
            assertThat(Times.instant(again.getLastDetectedTime())).isAfter(Times.instant(again.getFirstDetectedTime()));
        }
    }

    @Test
    void acceptingCreatesAControlTheGuardEnforcesAndDeferringHidesThenReturns() {
        server.clock.set(now);
        try (GovconClient c = server.grpc(acme.ownerKey())) {
            Reply before = server.post("/api/v1/guard/check", "{\"model\":\"bad-model\",\"feature\":\"search\"}",
                                       acme.ownerKey());
            assertThat(before.json().get("decision").asText()).isEqualTo("GUARD_DECISION_ALLOW");

            PolicyProposal deny = proposalOf(c, lesson(c, LessonKind.LESSON_KIND_MODEL_FAILURE_OUTLIER));
            Reply accepted = server.post("/api/v1/policy-proposals/" + deny.getId() + "/accept", "{\"note\":\"yes\"}",
                                         acme.ownerKey());
            assertThat(accepted.status()).as(accepted.toString()).isEqualTo(200);
            JsonNode body = accepted.json();
            assertThat(body.get("proposal").get("status").asText()).isEqualTo("POLICY_PROPOSAL_STATUS_ACCEPTED");
            String ruleId = body.get("policy").get("id").asText();
            assertThat(body.get("proposal").get("created_control_id").asText()).isEqualTo(ruleId);
            assertThat(body.get("policy").get("source").asText()).isEqualTo("POLICY_SOURCE_PROPOSAL");

            var rule = c.policies().getPolicyRule(dev.govcon.proto.v1.GetPolicyRuleRequest.newBuilder().setId(ruleId).build());
            assertThat(rule.getSource()).isEqualTo(PolicySource.POLICY_SOURCE_PROPOSAL);
            assertThat(rule.getSourceRefId()).isEqualTo(deny.getId());

            // Every replica's guard hears the change; this one answers DENY once it has.
            String decision = "";
            for (int i = 0; i < 100 && !decision.equals("GUARD_DECISION_DENY"); i++) {
                decision = server.post("/api/v1/guard/check", "{\"model\":\"bad-model\",\"feature\":\"search\"}",
                                       acme.ownerKey()).json().get("decision").asText();
                sleep(50);
            }
            assertThat(decision).isEqualTo("GUARD_DECISION_DENY");
            assertThat(server.post("/api/v1/guard/check", "{\"model\":\"gpt-4o\",\"feature\":\"search\"}",
                                   acme.ownerKey()).json().get("decision").asText()).isEqualTo("GUARD_DECISION_ALLOW");

            Reply twice = server.post("/api/v1/policy-proposals/" + deny.getId() + "/accept", "{}", acme.ownerKey());
            assertThat(twice.status()).isEqualTo(400);
            assertThat(twice.json().get("grpc-code").asText()).isEqualTo("FAILED_PRECONDITION");
            Reply deferAccepted = server.post("/api/v1/policy-proposals/" + deny.getId() + "/defer", "{}", acme.ownerKey());
            assertThat(deferAccepted.json().get("grpc-code").asText()).isEqualTo("FAILED_PRECONDITION");
            UUID tenant = UUID.fromString(acme.id());
            assertThat(sql.queryLong("SELECT count(*) FROM audit_ledger WHERE tenant_id = ? AND action = "
                                     + "'policy_proposal.accepted' AND resource_id = ?", tenant, deny.getId())).isEqualTo(1);
            assertThat(sql.queryLong("SELECT count(*) FROM audit_ledger WHERE tenant_id = ? AND action = "
                                     + "'policy_rule.created' AND resource_id = ?", tenant, ruleId)).isEqualTo(1);

            // Defer the spend cap for two days: gone from PENDING, back after.
            PolicyProposal cap = proposalOf(c, lesson(c, LessonKind.LESSON_KIND_UNGOVERNED_SPEND));
            Instant until = now.plus(Duration.ofDays(2));
            PolicyProposal deferred = c.policies().deferPolicyProposal(DeferPolicyProposalRequest.newBuilder()
                    .setId(cap.getId()).setDeferUntil(Times.ts(until)).setNote("after the launch").build()).getProposal();
            assertThat(deferred.getStatus()).isEqualTo(PolicyProposalStatus.POLICY_PROPOSAL_STATUS_DEFERRED);
            assertThat(Times.instant(deferred.getDeferredUntil())).isEqualTo(until);
            assertThat(pending(c)).doesNotContain(cap.getId());
            assertThat(c.policies().listPolicyProposals(ListPolicyProposalsRequest.newBuilder()
                    .setStatus(PolicyProposalStatus.POLICY_PROPOSAL_STATUS_DEFERRED).build()).getProposalsList())
                    .extracting(PolicyProposal::getId).containsExactly(cap.getId());

            GetLessonStatsResponse stats = c.policies().getLessonStats(GetLessonStatsRequest.getDefaultInstance());
            assertThat(stats.getLessonCount()).isEqualTo(3);
            assertThat(stats.getWithProposalCount()).isEqualTo(3);
            assertThat(stats.getProposalsAcceptedCount()).isEqualTo(1);
            assertThat(stats.getProposalsDeferredCount()).isEqualTo(1);
            assertThat(stats.getProposalsPendingCount()).isEqualTo(1);
            assertThat(stats.getAcceptanceRatio()).isEqualTo(0.5);
            assertThat(stats.getByKindList()).filteredOn(k -> k.getKind() == LessonKind.LESSON_KIND_RECURRING_INCIDENT)
                    .singleElement().satisfies(k -> assertThat(k.getCount()).isZero());

            server.clock.set(until);
            assertThat(pending(c)).contains(cap.getId());
            server.clock.set(now);
        }
    }

    static List<String> pending(GovconClient c) {
        return c.policies().listPolicyProposals(ListPolicyProposalsRequest.newBuilder()
                .setStatus(PolicyProposalStatus.POLICY_PROPOSAL_STATUS_PENDING).build()).getProposalsList().stream()
                .map(PolicyProposal::getId).toList();
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void badInputIsRefusedNamingTheFieldAndOtherTenantsIdsAreNotFound() {
        String lessonId;
        String proposalId;
        try (GovconClient c = server.grpc(acme.ownerKey())) {
            Lesson l = lesson(c, LessonKind.LESSON_KIND_REPEATED_LIMIT_BREACH);
            lessonId = l.getId();
            proposalId = proposalOf(c, l).getId();
        }
        String[][] bad = {
                {"GET", "/api/v1/policies/lessons?page_size=-2", "page_size"},
                {"GET", "/api/v1/policies/lessons?page_token=xyz", "page_token"},
                {"GET", "/api/v1/policies/lessons?kind=LESSON_KIND_NOPE", "kind"},
                {"GET", "/api/v1/policies/lessons?start_time=2026-01-02T00:00:00Z&end_time=2026-01-01T00:00:00Z", "end_time"},
                {"GET", "/api/v1/policies/lessons?feature=" + "f".repeat(300), "feature"},
                {"GET", "/api/v1/policies/lessons/not-an-id", "id"},
                {"GET", "/api/v1/policies/lessons/stats?start_time=soon", "start_time"},
                {"GET", "/api/v1/policy-proposals?status=MAYBE", "status"},
                {"GET", "/api/v1/policy-proposals?lesson_id=abc", "lesson_id"},
                {"GET", "/api/v1/policy-proposals?page_token=abc", "page_token"},
                {"POST", "/api/v1/policy-proposals/abc/accept", "id"},
                {"POST", "/api/v1/policy-proposals/" + proposalId + "/accept|{\"status\":\"POLICY_STATUS_DISABLED\"}", "status"},
                {"POST", "/api/v1/policy-proposals/abc/defer", "id"},
                {"POST", "/api/v1/policy-proposals/" + proposalId + "/defer|{\"defer_until\":\"2020-01-01T00:00:00Z\"}",
                 "defer_until"},
                {"POST", "/api/v1/policy-proposals/" + proposalId + "/defer|{\"defer_until\":\"2099-01-01T00:00:00Z\"}",
                 "defer_until"},
        };
        for (String[] b : bad) {
            String[] pathBody = b[1].split("\\|", 2);
            Reply r = server.send(b[0], pathBody[0], pathBody.length > 1 ? pathBody[1] : b[0].equals("POST") ? "{}" : null,
                                  acme.ownerKey());
            assertThat(r.status()).as(b[1] + " " + r).isEqualTo(400);
            assertThat(r.json().get("message").asText()).as(b[1] + " " + r).startsWith(b[2] + ":");
        }
        String[][] notFound = {
                {"GET", "/api/v1/policies/lessons/" + lessonId},
                {"POST", "/api/v1/policy-proposals/" + proposalId + "/accept"},
                {"POST", "/api/v1/policy-proposals/" + proposalId + "/defer"},
                {"GET", "/api/v1/policies/lessons/" + UUID.randomUUID()},
        };
        for (String[] n : notFound) {
            Reply r = server.send(n[0], n[1], n[0].equals("POST") ? "{}" : null, other.ownerKey());
            assertThat(r.status()).as(n[1] + " " + r).isEqualTo(404);
        }
        assertThat(server.get("/api/v1/policy-proposals", other.ownerKey()).body()).doesNotContain(proposalId);
        assertThat(server.get("/api/v1/policies/lessons", other.ownerKey()).body()).doesNotContain(lessonId);
        String viewer = server.post("/api/v1/connectivity/api-keys", "{\"name\":\"v\",\"role\":\"VIEWER\"}", acme.ownerKey())
                .json().get("secret").asText();
        assertThat(server.post("/api/v1/policy-proposals/" + proposalId + "/accept", "{}", viewer).status())
                .isEqualTo(403);
        assertThat(server.get("/api/v1/policy-proposals", viewer).status()).isEqualTo(200);
    }

    @Test
    void warningsThatRepeatWhileNobodyChangesTheControlAreALesson() {
        RunningServer.Tenant t = tenant("Lessons Warned");
        UUID tenant = UUID.fromString(t.id());
        UUID ignored = warnLimit(tenant, "Ignored warning", now.minus(Duration.ofDays(10)));
        UUID tuned = warnLimit(tenant, "Tuned warning", now.minus(Duration.ofDays(1)));
        Instant today = now.truncatedTo(ChronoUnit.DAYS);
        List<String> expected = new java.util.ArrayList<>();
        for (int d = 1; d <= 3; d++) {
            expected.add(warning(tenant, ignored, today.minus(Duration.ofDays(d)).plus(Duration.ofHours(9))).toString());
            warning(tenant, tuned, today.minus(Duration.ofDays(d)).plus(Duration.ofHours(9)));
        }
        server.clock.set(now.minusSeconds(20));
        assertThat(server.server.jobs().runNow(LessonMinerJob.NAME).error()).isEmpty();
        server.clock.set(now);
        try (GovconClient c = server.grpc(t.ownerKey())) {
            List<Lesson> lessons = c.policies().listLessons(ListLessonsRequest.getDefaultInstance()).getLessonsList();
            assertThat(lessons).hasSize(1);
            Lesson l = lessons.get(0);
            assertThat(l.getKind()).isEqualTo(LessonKind.LESSON_KIND_REPEATED_WARNING);
            assertThat(l.getTitle()).isEqualTo("\"Ignored warning\" warned on 3 of the last 7 days and nobody changed it");
            assertThat(l.getControlId()).isEqualTo(ignored.toString());
            assertThat(l.getSeverity()).isEqualTo(Severity.LOW);
            assertThat(l.getEvidence().getViolationIdsList()).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(l.getProposalId()).isEmpty();
        }
    }

    static UUID warnLimit(UUID tenant, String name, Instant updatedAt) {
        UUID id = UUID.randomUUID();
        sql.update("""
                   INSERT INTO policy_limits (tenant_id, limit_id, name, limit_kind, amount, scope_feature, action,
                                              status, source, created_at, updated_at)
                   VALUES (?, ?, ?, 'TOKENS_PER_DAY', 1000000, 'summarise', 'WARN', 'ACTIVE', 'MANUAL', ?, ?)
                   """, tenant, id, name, Timestamp.from(updatedAt), Timestamp.from(updatedAt));
        return id;
    }

    static UUID warning(UUID tenant, UUID limit, Instant at) {
        UUID id = UUID.randomUUID();
        ViolationRow row = new ViolationRow(tenant, id, "LIMIT", limit, "warned", "TOKENS_PER_DAY", "WARN",
                                            "GUARD_CHECK", "summarise", "gpt-4o", "", "", "openai", "production", at, "",
                                            "", "over", 1_100_000, 1_000_000, 0, "", "{}");
        server.database.inTransaction(s -> s.getMapper(ViolationMapper.class).insertBatch(List.of(row)));
        return id;
    }

    @Test
    void anIncidentThatKeepsComingBackIsALessonWithoutAProposal() {
        RunningServer.Tenant t = tenant("Lessons Recurring");
        UUID tenant = UUID.fromString(t.id());
        UUID limit = UUID.randomUUID();
        sql.update("""
                   INSERT INTO policy_limits (tenant_id, limit_id, name, limit_kind, amount, scope_feature, action,
                                              status, source, created_at, updated_at)
                   VALUES (?, ?, 'Flaky spend', 'SPEND_PER_DAY', 1000, 'ocr', 'BLOCK', 'ACTIVE', 'MANUAL', now(), now())
                   """, tenant, limit);
        List<String> incidents = new java.util.ArrayList<>();
        try (GovconClient c = server.grpc(t.ownerKey())) {
            for (int i = 3; i >= 1; i--) {
                violation(tenant, limit, now.minus(Duration.ofMinutes(10L * i + 1)));
                server.clock.set(now.minus(Duration.ofMinutes(10L * i)));
                assertThat(server.server.jobs().runNow(IncidentEngineJob.NAME).error()).isEmpty();
                String id = c.incidents().listActiveIncidents(dev.govcon.proto.v1.ListActiveIncidentsRequest.newBuilder()
                        .setSource(dev.govcon.proto.v1.IncidentSource.INCIDENT_SOURCE_VIOLATION).build()).getIncidents(0).getId();
                incidents.add(0, id);
                if (i > 1) {
                    c.incidents().resolveIncident(dev.govcon.proto.v1.ResolveIncidentRequest.newBuilder().setId(id)
                            .setResolutionNote("retried").build());
                }
            }
            server.clock.set(now.minusSeconds(20));
            assertThat(server.server.jobs().runNow(LessonMinerJob.NAME).error()).isEmpty();
            server.clock.set(now);
            List<Lesson> lessons = c.policies().listLessons(ListLessonsRequest.getDefaultInstance()).getLessonsList();
            assertThat(lessons).hasSize(1);
            Lesson l = lessons.get(0);
            assertThat(l.getKind()).isEqualTo(LessonKind.LESSON_KIND_RECURRING_INCIDENT);
            assertThat(l.getTitle()).isEqualTo("\"Limit exceeded: Chat daily spend\" came back 3 times in the last 30 days");
            assertThat(l.getSeverity()).isEqualTo(Severity.HIGH);
            assertThat(l.getScope().getFeature()).isEqualTo("ocr");
            assertThat(l.getEvidence().getIncidentIdsList()).containsExactlyElementsOf(incidents);
            assertThat(fact(l, "incidents").getCount()).isEqualTo(3);
            assertThat(l.getProposalId()).isEmpty();
        }
    }

    @Test
    void aLessonIsFoundByIdOverGrpc() {
        try (GovconClient c = server.grpc(acme.ownerKey())) {
            Lesson l = lesson(c, LessonKind.LESSON_KIND_UNGOVERNED_SPEND);
            assertThat(c.policies().getLesson(GetLessonRequest.newBuilder().setId(l.getId()).build()).getTitle())
                    .isEqualTo(l.getTitle());
            assertThat(l.getProposalId()).isNotEmpty();
        }
    }
}
