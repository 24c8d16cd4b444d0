package dev.govcon.restbridge;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.linecorp.armeria.common.grpc.GrpcJsonMarshaller;

import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.protobuf.ProtoUtils;

/**
 * Reads request JSON strictly and, when a body does not fit, says which field: the console gets
 * {@code "role: ..."} instead of a bare parse error. Unknown fields, unknown enum names, wrong
 * types and a list where a single value goes are all rejected, so a typo ({@code page_sise}) is
 * an error rather than a silently ignored filter. Responses are written with proto field names.
 *
 * <p>Both directions use Armeria's own marshaller (protobuf-jackson: streaming Jackson with
 * generated per-type code), configured to refuse unknown fields; it also refuses a list where one
 * value goes (protobuf's JsonFormat, used here before, took {@code ["x"]} for {@code "x"}). Only
 * a refused body is looked at again, field by field, to name the field; a good request pays for
 * one streaming parse and nothing else.
 */
final class FieldNamingJsonMarshaller implements GrpcJsonMarshaller {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final GrpcJsonMarshaller json;

    /** {@code json} must refuse unknown fields (Armeria's default ignores them). */
    FieldNamingJsonMarshaller(GrpcJsonMarshaller json) {
        this.json = json;
    }

    @Override
    public <T> void serializeMessage(MethodDescriptor.Marshaller<T> marshaller, T message, OutputStream os)
            throws IOException {
        json.serializeMessage(marshaller, message, os);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T deserializeMessage(MethodDescriptor.Marshaller<T> marshaller, InputStream is) throws IOException {
        if (!(marshaller instanceof MethodDescriptor.PrototypeMarshaller<T> prototyped)
            || !(prototyped.getMessagePrototype() instanceof Message prototype)) {
            return json.deserializeMessage(marshaller, is);
        }
        byte[] body = is.readAllBytes();
        if (isBlank(body)) {
            return (T) prototype.getDefaultInstanceForType();
        }
        try {
            return json.deserializeMessage(marshaller, new ByteArrayInputStream(body));
        } catch (IOException | RuntimeException e) {
            throw Status.INVALID_ARGUMENT.withDescription(diagnose(new String(body, StandardCharsets.UTF_8), prototype, e))
                    .asRuntimeException();
        }
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code alone} (one field of a body) parses as {@code prototype}'s type. */
    private boolean parses(ObjectNode alone, Message prototype) {
        try {
            json.deserializeMessage(ProtoUtils.marshaller(prototype), new ByteArrayInputStream(MAPPER.writeValueAsBytes(alone)));
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Finds the first field whose value does not parse, trying each alone with the same parser
     * (so what it refuses is what gets named); only runs for refused bodies.
     */
    String diagnose(String body, Message prototype, Exception refusal) {
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return "body: is not valid JSON (" + e.getOriginalMessage() + ")";
        } catch (IOException e) {
            return "body: is not valid JSON";
        }
        if (!(root instanceof ObjectNode object)) {
            return "body: must be a JSON object";
        }
        String field = firstBadField(object, prototype, "");
        // Each field parses alone, so the parser refused the whole (a field given twice).
        return field == null
               ? "body: does not match " + prototype.getDescriptorForType().getName() + " (" + refusal.getMessage() + ")"
               : field;
    }

    private String firstBadField(ObjectNode object, Message prototype, String prefix) {
        Descriptor type = prototype.getDescriptorForType();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            FieldDescriptor field = find(type, entry.getKey());
            if (field == null) {
                return prefix + entry.getKey() + ": is not a field of " + type.getName();
            }
            if (parses(MAPPER.createObjectNode().set(entry.getKey(), entry.getValue()), prototype)) {
                continue;
            }
            String name = prefix + field.getName();
            JsonNode value = entry.getValue();
            boolean ownMessage = field.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !field.isMapField()
                                 && !field.getMessageType().getFullName().startsWith("google.protobuf.");
            if (ownMessage) {
                Message nested = prototype.newBuilderForType().newBuilderForField(field).getDefaultInstanceForType();
                if (field.isRepeated() && value.isArray()) {
                    for (int i = 0; i < value.size(); i++) {
                        if (!(value.get(i) instanceof ObjectNode element)) {
                            return name + "[" + i + "]: expects an object of type " + field.getMessageType().getName()
                                   + "; got " + shorten(value.get(i));
                        }
                        String inner = firstBadField(element, nested, name + "[" + i + "].");
                        if (inner != null) {
                            return inner;
                        }
                    }
                } else if (!field.isRepeated() && value instanceof ObjectNode element) {
                    String inner = firstBadField(element, nested, name + ".");
                    if (inner != null) {
                        return inner;
                    }
                }
            }
            return name + ": " + describe(field, value);
        }
        return null;
    }

    private static FieldDescriptor find(Descriptor type, String key) {
        for (FieldDescriptor f : type.getFields()) {
            if (f.getName().equals(key) || f.getJsonName().equals(key)) {
                return f;
            }
        }
        return null;
    }

    private static String shorten(JsonNode value) {
        String shown = value.toString();
        return shown.length() > 60 ? shown.substring(0, 57) + "..." : shown;
    }

    private static String describe(FieldDescriptor field, JsonNode value) {
        String shown = shorten(value);
        if (field.isRepeated() && !field.isMapField()) {
            return "expects a list; got " + shown;
        }
        return switch (field.getJavaType()) {
            case ENUM -> shown + " is not one of " + field.getEnumType().getValues().stream()
                    .filter(v -> v.getNumber() != 0).map(v -> v.getName()).toList();
            case INT, LONG -> "expects a whole number; got " + shown;
            case FLOAT, DOUBLE -> "expects a number; got " + shown;
            case BOOLEAN -> "expects true or false; got " + shown;
            case STRING -> "expects a string; got " + shown;
            case MESSAGE -> switch (field.getMessageType().getFullName()) {
                case "google.protobuf.Timestamp" -> "expects an RFC 3339 time such as 2026-01-31T12:00:00Z; got " + shown;
                case "google.protobuf.Duration" -> "expects a duration in seconds such as \"86400s\"; got " + shown;
                default -> "expects an object of type " + field.getMessageType().getName() + "; got " + shown;
            };
            default -> "has an invalid value " + shown;
        };
    }
}
