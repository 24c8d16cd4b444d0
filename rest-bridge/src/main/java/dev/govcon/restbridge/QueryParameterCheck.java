package dev.govcon.restbridge;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.QueryParams;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;

import dev.govcon.proto.RestRule;

/**
 * Armeria's transcoder ignores query parameters that match no field and reads any word as
 * {@code false} for a boolean. A console filter with a typo ({@code ?stauts=FAILED}) would then
 * silently return everything, so this decorator answers 400 naming the parameter instead.
 * {@code _} (a browser cache-buster) is the one parameter allowed through.
 */
final class QueryParameterCheck implements DecoratingHttpServiceFunction {
    private record Route(HttpMethod method, Pattern path, int variables, Descriptor request, String rpc) {
    }

    private final List<Route> routes = new ArrayList<>();

    QueryParameterCheck(List<ServiceDescriptor> services) {
        for (RestRule rule : RestRule.of(services)) {
            if (rule.method().equals("GET") || rule.method().equals("DELETE")) {
                String regex = "^" + rule.path().replaceAll("\\{[^}]+}", "[^/]+") + "$";
                routes.add(new Route(HttpMethod.valueOf(rule.method()), Pattern.compile(regex), rule.variables(),
                                     rule.rpc().getInputType(), rule.rpc().getName()));
            }
        }
        // A static segment wins over a variable one, as in the transcoder itself.
        routes.sort(Comparator.comparingInt(Route::variables));
    }

    @Override
    public HttpResponse serve(HttpService delegate, ServiceRequestContext ctx, HttpRequest req) throws Exception {
        if (ctx.query() != null) {
            for (Route route : routes) {
                if (route.method() == req.method() && route.path().matcher(ctx.path()).matches()) {
                    String problem = check(ctx.queryParams(), route);
                    if (problem != null) {
                        return RestErrors.invalidArgument(problem);
                    }
                    break;
                }
            }
        }
        return delegate.serve(ctx, req);
    }

    private static String check(QueryParams params, Route route) {
        for (Map.Entry<String, String> param : params) {
            String name = param.getKey();
            if (name.equals("_")) {
                continue;
            }
            FieldDescriptor field = resolve(route.request(), name);
            if (field == null) {
                return name + ": is not a parameter of " + route.rpc();
            }
            if (field.getJavaType() == FieldDescriptor.JavaType.BOOLEAN
                && !param.getValue().equals("true") && !param.getValue().equals("false")) {
                return name + ": expects true or false; got \"" + param.getValue() + "\"";
            }
        }
        return null;
    }

    /** {@code a.b} reaches a nested field; each part may be the proto name or lowerCamelCase. */
    private static FieldDescriptor resolve(Descriptor type, String dotted) {
        FieldDescriptor field = null;
        Descriptor current = type;
        for (String part : dotted.split("\\.")) {
            if (current == null) {
                return null;
            }
            field = null;
            for (FieldDescriptor f : current.getFields()) {
                if (f.getName().equals(part) || f.getJsonName().equals(part)) {
                    field = f;
                    break;
                }
            }
            if (field == null) {
                return null;
            }
            current = field.getJavaType() == FieldDescriptor.JavaType.MESSAGE ? field.getMessageType() : null;
        }
        return field;
    }
}
