package dev.govcon.server.policies;

import dev.govcon.proto.v1.Scope;

/**
 * Where a rule or limit applies. Each field is either empty ("any") or must equal the call's
 * value exactly; an empty scope is tenant-wide. A scope that names several fields applies only
 * where all of them match (e.g. feature "chat" AND model "gpt-4o").
 */
public record ControlScope(String feature, String model, String endUser, String apiKeyId,
                           String provider, String environment) {
    public static final ControlScope TENANT = new ControlScope("", "", "", "", "", "");

    public static ControlScope of(Scope s) {
        return new ControlScope(s.getFeature(), s.getModel(), s.getEndUser(), s.getApiKeyId(),
                                s.getProvider(), s.getEnvironment());
    }

    public Scope toProto() {
        return Scope.newBuilder().setFeature(feature).setModel(model).setEndUser(endUser)
                .setApiKeyId(apiKeyId).setProvider(provider).setEnvironment(environment).build();
    }

    public boolean isTenantWide() {
        return equals(TENANT);
    }

    /** True when this control scope covers a call or run with the given (concrete) scope. */
    public boolean matches(ControlScope call) {
        return field(feature, call.feature) && field(model, call.model)
                && field(endUser, call.endUser) && field(apiKeyId, call.apiKeyId)
                && field(provider, call.provider) && field(environment, call.environment);
    }

    private static boolean field(String control, String call) {
        return control.isEmpty() || control.equals(call);
    }
}
