package dev.govcon.server.connectivity;

import dev.govcon.proto.v1.SdkSetupStep.Kind;

/** The title of each setup step, and the Java a user needs to do it. */
final class SetupSnippets {
    private SetupSnippets() {
    }

    static String title(Kind kind) {
        return switch (kind) {
            case API_KEY_CREATED -> "Create an API key for your application";
            case INTEGRATION_REGISTERED -> "Register your application with the Java SDK";
            case FIRST_HEARTBEAT -> "Receive the first heartbeat";
            case FIRST_RUN -> "Record your first LLM run";
            case FIRST_GUARD_CHECK -> "Ask the guard before an LLM call";
            case FIRST_CONTROL -> "Create your first control (a rule or a limit)";
            default -> kind.name();
        };
    }

    static String snippet(Kind kind) {
        return switch (kind) {
            case API_KEY_CREATED -> """
                    // With an ADMIN or OWNER key: an INGEST key for the application. The secret is shown once.
                    try (GovconClient admin = GovconClient.builder()
                            .target("govcon.example.com:443")
                            .apiKey(System.getenv("GOVCON_ADMIN_KEY"))
                            .build()) {
                        CreatedApiKey key = admin.connectivity().createApiKey(CreateApiKeyRequest.newBuilder()
                                .setName("my-app").setRole(Role.INGEST).build());
                        System.out.println(key.getSecret());   // store it as GOVCON_API_KEY
                    }
                    """;
            case INTEGRATION_REGISTERED, FIRST_HEARTBEAT -> """
                    // Registers the application on start, then sends a heartbeat every 60 s until closed.
                    GovconClient govcon = GovconClient.builder()
                            .target("govcon.example.com:443")
                            .apiKey(System.getenv("GOVCON_API_KEY"))
                            .integration("my-app")           // the name shown under Integrations
                            .environment("production")
                            .build();
                    """;
            case FIRST_RUN -> """
                    // After each LLM call: record what it did (batched, never blocks the caller).
                    RunRecorder recorder = govcon.newRecorder();
                    recorder.record(Run.newBuilder()
                            .setModel("gpt-4o").setProvider("openai").setFeature("search")
                            .setStatus(RunStatus.SUCCEEDED)
                            .setInputTokens(1200).setOutputTokens(300).setLatencyMs(850)
                            .build());
                    """;
            case FIRST_GUARD_CHECK -> """
                    // Before each LLM call: is it allowed?
                    CheckGuardResponse decision = govcon.runtime().checkGuard(CheckGuardRequest.newBuilder()
                            .setModel("gpt-4o").setProvider("openai").setFeature("search")
                            .setEstimatedInputTokens(1200).setMaxOutputTokens(500)
                            .build());
                    """;
            case FIRST_CONTROL -> """
                    // With an ADMIN or OWNER key: a daily spend limit of $50 for the whole tenant.
                    admin.policies().createPolicyLimit(CreatePolicyLimitRequest.newBuilder()
                            .setLimit(PolicyLimit.newBuilder()
                                    .setName("daily spend")
                                    .setKind(LimitKind.LIMIT_KIND_SPEND_PER_DAY)
                                    .setAmount(50_000_000)            // micro-dollars
                                    .setAction(ControlAction.BLOCK))
                            .build());
                    """;
            default -> "";
        };
    }
}
