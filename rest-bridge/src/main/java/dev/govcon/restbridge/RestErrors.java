package dev.govcon.restbridge;

import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.HttpStatusException;
import com.linecorp.armeria.server.ServerErrorHandler;
import com.linecorp.armeria.server.ServiceRequestContext;

/**
 * Requests the transcoder rejects before any service sees them (a body that is not JSON, a
 * query parameter that is not a number) get the same JSON error shape as every other error,
 * naming what was wrong, instead of a bare "400 Bad Request".
 */
final class RestErrors implements ServerErrorHandler {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Override
    public HttpResponse onServiceException(ServiceRequestContext ctx, Throwable cause) {
        if (!(cause instanceof HttpStatusException hse) || hse.httpStatus() != HttpStatus.BAD_REQUEST) {
            return null;
        }
        return invalidArgument(explain(ctx, hse.getCause()));
    }

    private static String explain(ServiceRequestContext ctx, Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof JsonProcessingException json) {
                return "body: is not valid JSON (" + json.getOriginalMessage() + ")";
            }
            if (t instanceof NumberFormatException nfe) {
                return badQueryNumber(ctx, nfe);
            }
        }
        if (cause != null && cause.getMessage() != null && cause.getMessage().startsWith("Unexpected JSON")) {
            return "body: must be a JSON object";
        }
        return cause == null || cause.getMessage() == null ? "request: malformed" : "request: " + cause.getMessage();
    }

    /** NumberFormatException says 'For input string: "abc"'; name the parameter that held it. */
    private static String badQueryNumber(ServiceRequestContext ctx, NumberFormatException nfe) {
        String message = String.valueOf(nfe.getMessage());
        int open = message.indexOf('"');
        int close = message.lastIndexOf('"');
        String input = open >= 0 && close > open ? message.substring(open + 1, close) : null;
        if (input != null) {
            for (Map.Entry<String, String> param : ctx.queryParams()) {
                if (param.getValue().equals(input)) {
                    return param.getKey() + ": expects a whole number; got \"" + input + "\"";
                }
            }
        }
        return "query: a parameter expects a number (" + message + ")";
    }

    static HttpResponse invalidArgument(String message) {
        try {
            return HttpResponse.of(HttpStatus.BAD_REQUEST, MediaType.JSON_UTF_8, MAPPER.writeValueAsString(
                    Map.of("code", 3, "grpc-code", "INVALID_ARGUMENT", "message", message)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
