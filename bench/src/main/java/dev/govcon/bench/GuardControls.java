package dev.govcon.bench;

import java.util.List;

import dev.govcon.proto.v1.CheckGuardRequest;
import dev.govcon.proto.v1.CheckGuardResponse;
import dev.govcon.proto.v1.ControlAction;
import dev.govcon.proto.v1.CreatePolicyLimitRequest;
import dev.govcon.proto.v1.CreatePolicyRuleRequest;
import dev.govcon.proto.v1.GuardDecision;
import dev.govcon.proto.v1.LimitKind;
import dev.govcon.proto.v1.PolicyLimit;
import dev.govcon.proto.v1.PolicyRule;
import dev.govcon.proto.v1.PolicyStatus;
import dev.govcon.proto.v1.RuleType;
import dev.govcon.proto.v1.Scope;
import dev.govcon.sdk.GovconClient;

/**
 * The guard scenarios' tenant: 20 ACTIVE controls, created through the policies API, as a
 * tenant with a real governance setup would have. The checked call (support-chat on
 * gpt-4o-mini at openai, production) falls under {@value #MATCHING} of them — three limits
 * (tenant spend per day, tokens per day of its feature, requests per minute of its model)
 * and three rules (max tokens, a deny list, a provider allow list) that it passes — and
 * outside the scopes of the other 14. Budgets are large enough never to deny in a run.
 */
final class GuardControls {
    static final int MATCHING = 6;
    static final int TOTAL = 20;
    /** Distinct end users the checks rotate through. */
    static final int USERS = 100;
    private static final long PLENTY = 1_000_000_000_000_000L;

    private GuardControls() {
    }

    static CheckGuardRequest request(int user) {
        return CheckGuardRequest.newBuilder().setFeature("support-chat").setModel("gpt-4o-mini").setProvider("openai")
                .setEnvironment("production").setEndUser("user-" + user).setEstimatedInputTokens(800)
                .setMaxOutputTokens(400).build();
    }

    static void create(GovconClient client) {
        // Apply to the checked call.
        limit(client, "Tenant daily spend", LimitKind.LIMIT_KIND_SPEND_PER_DAY, Scope.getDefaultInstance());
        limit(client, "Support chat tokens", LimitKind.LIMIT_KIND_TOKENS_PER_DAY, feature("support-chat"));
        limit(client, "Mini requests per minute", LimitKind.LIMIT_KIND_REQUESTS_PER_MINUTE, model("gpt-4o-mini"));
        rule(client, PolicyRule.newBuilder().setName("Max tokens per run").setType(RuleType.RULE_TYPE_MAX_TOKENS_PER_RUN)
                .setMaxTokens(100_000));
        rule(client, PolicyRule.newBuilder().setName("No legacy models").setType(RuleType.RULE_TYPE_MODEL_DENY_LIST)
                .addAllModels(List.of("gpt-4-32k", "text-davinci-003")));
        rule(client, PolicyRule.newBuilder().setName("Approved providers")
                .setType(RuleType.RULE_TYPE_PROVIDER_ALLOW_LIST).addAllProviders(List.of("openai", "anthropic", "gemini")));
        // Scoped elsewhere.
        for (String f : List.of("search", "summaries", "code-review", "agent")) {
            limit(client, "Daily spend of " + f, LimitKind.LIMIT_KIND_SPEND_PER_DAY, feature(f));
        }
        limit(client, "Sonnet monthly spend", LimitKind.LIMIT_KIND_SPEND_PER_MONTH, model("claude-sonnet-4-5"));
        limit(client, "4o monthly spend", LimitKind.LIMIT_KIND_SPEND_PER_MONTH, model("gpt-4o"));
        limit(client, "Agent concurrency", LimitKind.LIMIT_KIND_CONCURRENT_RUNS, feature("agent"));
        limit(client, "VIP user rate", LimitKind.LIMIT_KIND_REQUESTS_PER_MINUTE,
              Scope.newBuilder().setEndUser("user-vip").build());
        limit(client, "Anthropic tokens", LimitKind.LIMIT_KIND_TOKENS_PER_DAY,
              Scope.newBuilder().setProvider("anthropic").build());
        limit(client, "Staging spend", LimitKind.LIMIT_KIND_SPEND_PER_DAY,
              Scope.newBuilder().setEnvironment("staging").build());
        rule(client, PolicyRule.newBuilder().setName("Classification models").setType(RuleType.RULE_TYPE_MODEL_ALLOW_LIST)
                .addModels("gpt-4.1-nano").setScope(feature("classification")));
        rule(client, PolicyRule.newBuilder().setName("Agent traces").setType(RuleType.RULE_TYPE_REQUIRED_METADATA)
                .addRequiredKeys("trace_id").setScope(feature("agent")));
        rule(client, PolicyRule.newBuilder().setName("4o max tokens").setType(RuleType.RULE_TYPE_MAX_TOKENS_PER_RUN)
                .setMaxTokens(50_000).setScope(model("gpt-4o")));
        rule(client, PolicyRule.newBuilder().setName("Staging models").setType(RuleType.RULE_TYPE_MODEL_DENY_LIST)
                .addModels("gpt-4.1").setScope(Scope.newBuilder().setEnvironment("staging")));
    }

    /** Fails the scenario early if the setup is not what it claims. */
    static void expect(CheckGuardResponse first) {
        if (first.getDecision() != GuardDecision.GUARD_DECISION_ALLOW || first.getMatchedControlsCount() != MATCHING) {
            throw new IllegalStateException("the guard setup is not as intended: " + first.getDecision() + ", "
                                            + first.getMatchedControlsCount() + " controls matched: " + first);
        }
    }

    private static Scope feature(String feature) {
        return Scope.newBuilder().setFeature(feature).build();
    }

    private static Scope model(String model) {
        return Scope.newBuilder().setModel(model).build();
    }

    private static void limit(GovconClient client, String name, LimitKind kind, Scope scope) {
        long amount = kind == LimitKind.LIMIT_KIND_CONCURRENT_RUNS ? 1_000_000 : PLENTY;
        client.policies().createPolicyLimit(CreatePolicyLimitRequest.newBuilder().setLimit(PolicyLimit.newBuilder()
                .setName(name).setKind(kind).setAmount(amount).setScope(scope).setAction(ControlAction.BLOCK)
                .setStatus(PolicyStatus.POLICY_STATUS_ACTIVE)).build());
    }

    private static void rule(GovconClient client, PolicyRule.Builder rule) {
        client.policies().createPolicyRule(CreatePolicyRuleRequest.newBuilder()
                .setRule(rule.setAction(ControlAction.BLOCK).setStatus(PolicyStatus.POLICY_STATUS_ACTIVE)).build());
    }
}
