package dev.govcon.proto;

import java.util.List;

import com.google.api.AnnotationsProto;
import com.google.api.HttpRule;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;

/**
 * One RPC's {@code google.api.http} rule read as an HTTP method and a path template
 * ({@code /api/v1/incidents/{id}}): the one reading of the rules for everything that walks
 * them (the REST query check, the contract tests).
 */
public record RestRule(String method, String path, MethodDescriptor rpc) {

    /** The rules of {@code services}, in declaration order; RPCs without a rule are left out. */
    public static List<RestRule> of(List<ServiceDescriptor> services) {
        return services.stream().flatMap(s -> s.getMethods().stream())
                .filter(m -> m.getOptions().hasExtension(AnnotationsProto.http))
                .map(RestRule::of).toList();
    }

    static RestRule of(MethodDescriptor m) {
        HttpRule rule = m.getOptions().getExtension(AnnotationsProto.http);
        return switch (rule.getPatternCase()) {
            case GET -> new RestRule("GET", rule.getGet(), m);
            case POST -> new RestRule("POST", rule.getPost(), m);
            case PUT -> new RestRule("PUT", rule.getPut(), m);
            case DELETE -> new RestRule("DELETE", rule.getDelete(), m);
            case PATCH -> new RestRule("PATCH", rule.getPatch(), m);
            default -> new RestRule(rule.getCustom().getKind(), rule.getCustom().getPath(), m);
        };
    }

    /** The rule's body field ("*", a field name, or "" for none). */
    public String body() {
        return rpc.getOptions().getExtension(AnnotationsProto.http).getBody();
    }

    /** Path variables, as in {@code {id}}. */
    public int variables() {
        return path.split("\\{", -1).length - 1;
    }
}
