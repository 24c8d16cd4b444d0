package dev.govcon.restbridge;

import java.util.List;
import java.util.function.Function;

import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.grpc.GrpcJsonMarshaller;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServerErrorHandler;
import com.linecorp.armeria.server.cors.CorsService;
import com.linecorp.armeria.server.cors.CorsServiceBuilder;
import com.linecorp.armeria.server.grpc.GrpcServiceBuilder;
import com.linecorp.armeria.server.grpc.HttpJsonTranscodingOptions;
import com.linecorp.armeria.server.grpc.HttpJsonTranscodingQueryParamMatchRule;
import com.linecorp.armeria.server.grpc.UnframedGrpcErrorHandler;

/**
 * The REST face of the govcon.v1 services: Armeria's HTTP/JSON transcoding driven by the
 * {@code google.api.http} rules of the protos (the only place REST paths are declared).
 *
 * <ul>
 *   <li>JSON bodies keep proto field names ({@code next_page_token}), as the console expects,
 *       and show zero values ({@code "active": false}, {@code "runs": 0}) so every response of a
 *       type has the same shape;</li>
 *   <li>query parameters match by proto name or lowerCamelCase ({@code page_size} or
 *       {@code pageSize});</li>
 *   <li>errors are JSON ({@code {"code": ..., "message": ...}}) with the HTTP status of their
 *       gRPC code (INVALID_ARGUMENT 400, UNAUTHENTICATED 401, PERMISSION_DENIED 403,
 *       NOT_FOUND 404, ALREADY_EXISTS/ABORTED 409, UNIMPLEMENTED 501);</li>
 *   <li>a request body or query value that does not fit its field, or names no field, is 400
 *       naming the field (see {@link #queryParameterCheck}).</li>
 * </ul>
 */
public final class RestTranscoding {
    private RestTranscoding() {
    }

    /** Turns on transcoding for every service added to {@code builder}. */
    public static GrpcServiceBuilder configure(GrpcServiceBuilder builder) {
        return builder
                .enableHttpJsonTranscoding(HttpJsonTranscodingOptions.builder()
                        .queryParamMatchRules(HttpJsonTranscodingQueryParamMatchRule.ORIGINAL_FIELD,
                                              HttpJsonTranscodingQueryParamMatchRule.LOWER_CAMEL_CASE)
                        .errorHandler(UnframedGrpcErrorHandler.ofJson())
                        .build())
                .jsonMarshallerFactory(RestTranscoding::jsonMarshaller);
    }

    /** Request and response JSON of one service's RPCs (also what gRPC-JSON clients get). */
    static GrpcJsonMarshaller jsonMarshaller(io.grpc.ServiceDescriptor service) {
        return new FieldNamingJsonMarshaller(GrpcJsonMarshaller.builder()
                // Compact JSON (the marshaller pretty-printed by default, which the guard
                // check's REST path paid for on every response); unknown fields refused.
                .jsonMarshallerCustomizer(json -> json.preservingProtoFieldNames(true)
                                                .includingDefaultValueFields(true)
                                                .omittingInsignificantWhitespace(true)
                                                .ignoringUnknownFields(false))
                .build(service));
    }

    /**
     * Decorator for the transcoded service: a query parameter that names no field of the RPC's
     * request, or a boolean that is neither true nor false, is 400 naming the parameter.
     */
    public static Function<? super HttpService, ? extends HttpService> queryParameterCheck(
            List<ServiceDescriptor> services) {
        QueryParameterCheck check = new QueryParameterCheck(services);
        return service -> service.decorate(check);
    }

    /** Install on the server: JSON errors naming the field for requests the transcoder rejects. */
    public static ServerErrorHandler errorHandler() {
        return new RestErrors();
    }

    /**
     * CORS for a browser console. Credentials travel in the {@code authorization} header, not
     * cookies, so allowing any origin leaks nothing; {@code allowedOrigins} narrows it.
     */
    public static Function<? super HttpService, CorsService> cors(List<String> allowedOrigins) {
        CorsServiceBuilder cors = allowedOrigins.isEmpty() || allowedOrigins.contains("*")
                                  ? CorsService.builderForAnyOrigin()
                                  : CorsService.builder(allowedOrigins);
        return cors.allowRequestMethods(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT,
                                        HttpMethod.DELETE, HttpMethod.PATCH, HttpMethod.OPTIONS)
                   .allowRequestHeaders("authorization", "content-type", "x-request-id",
                                        "grpc-timeout", "x-grpc-web")
                   .exposeHeaders("grpc-status", "grpc-message", "x-request-id")
                   .maxAge(3600)
                   .newDecorator();
    }
}
