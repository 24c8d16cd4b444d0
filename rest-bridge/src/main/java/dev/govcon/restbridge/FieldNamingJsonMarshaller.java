package dev.govcon.restbridge;

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
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import com.linecorp.armeria.common.grpc.GrpcJsonMarshaller;

import io.grpc.MethodDescriptor;
import io.grpc.Status;

/**
 * Reads request JSON with protobuf's own parser, which rejects values a field cannot hold
 * (unknown enum names, wrong types), and, when it does, says which field: the console gets
 * {@code "role: ..."} instead of a bare parse error. Unknown fields are rejected too, so a typo
 * ({@code page_sise}) is an error rather than a silently ignored filter. (protobuf's lenient mode
 * would also turn unknown enum names into the default value, which is worse.) Responses are
 * written by Armeria's marshaller with proto field names.
 */
final class FieldNamingJsonMarshaller implements GrpcJsonMarshaller {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFormat.Parser PARSER = JsonFormat.parser();

    private final GrpcJsonMarshaller writer;

    FieldNamingJsonMarshaller(GrpcJsonMarshaller writer) {
        this.writer = writer;
    }

    @Override
    public <T> void serializeMessage(MethodDescriptor.Marshaller<T> marshaller, T message, OutputStream os)
            throws IOException {
        writer.serializeMessage(marshaller, message, os);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T deserializeMessage(MethodDescriptor.Marshaller<T> marshaller, InputStream is) throws IOException {
        if (!(marshaller instanceof MethodDescriptor.PrototypeMarshaller<T> prototyped)
            || !(prototyped.getMessagePrototype() instanceof Message prototype)) {
            return writer.deserializeMessage(marshaller, is);
        }
        String json = new String(is.readAllBytes(), StandardCharsets.UTF_8);
        Message.Builder builder = prototype.newBuilderForType();
        if (json.indexOf('[') >= 0) {
            // protobuf's parser (through Gson) takes ["x"] for "x"; a list is only for a list.
            String misplacedList = misplacedList(json, prototype.getDescriptorForType());
            if (misplacedList != null) {
                throw Status.INVALID_ARGUMENT.withDescription(misplacedList).asRuntimeException();
            }
        }
        try {
            PARSER.merge(json.isBlank() ? "{}" : json, builder);
            return (T) builder.build();
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            throw Status.INVALID_ARGUMENT.withDescription(diagnose(json, prototype.getDescriptorForType()))
                    .asRuntimeException();
        }
    }

    private static String misplacedList(String json, Descriptor type) {
        try {
            JsonNode root = MAPPER.readTree(json);
            return root instanceof ObjectNode object ? misplacedList(object, type, "") : null;
        } catch (IOException e) {
            return null; // the parser reports malformed JSON itself
        }
    }

    private static String misplacedList(ObjectNode object, Descriptor type, String prefix) {
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            FieldDescriptor field = find(type, entry.getKey());
            if (field == null || field.isRepeated() || isDynamicJson(field)) {
                continue;
            }
            if (entry.getValue().isArray()) {
                return prefix + field.getName() + ": " + describe(field, entry.getValue());
            }
            if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE && entry.getValue() instanceof ObjectNode nested) {
                String inner = misplacedList(nested, field.getMessageType(), prefix + field.getName() + ".");
                if (inner != null) {
                    return inner;
                }
            }
        }
        return null;
    }

    /** Struct, Value and ListValue hold arbitrary JSON, lists included. */
    private static boolean isDynamicJson(FieldDescriptor field) {
        return field.getJavaType() == FieldDescriptor.JavaType.MESSAGE
               && field.getMessageType().getFullName().matches("google\\.protobuf\\.(Struct|Value|ListValue)");
    }

    /** Finds the first field whose value does not parse; only runs for bad requests. */
    static String diagnose(String json, Descriptor type) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return "body: is not valid JSON (" + e.getOriginalMessage() + ")";
        } catch (IOException e) {
            return "body: is not valid JSON";
        }
        if (!(root instanceof ObjectNode object)) {
            return "body: must be a JSON object";
        }
        String field = firstBadField(object, type, "");
        return field == null ? "body: does not match " + type.getName() : field;
    }

    private static String firstBadField(ObjectNode object, Descriptor type, String prefix) {
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            FieldDescriptor field = find(type, entry.getKey());
            if (field == null) {
                return prefix + entry.getKey() + ": is not a field of " + type.getName();
            }
            ObjectNode alone = MAPPER.createObjectNode().set(entry.getKey(), entry.getValue());
            try {
                PARSER.merge(alone.toString(), com.google.protobuf.DynamicMessage.newBuilder(type));
            } catch (InvalidProtocolBufferException | RuntimeException e) {
                String name = prefix + field.getName();
                if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE && field.isRepeated()
                    && !field.isMapField() && entry.getValue().isArray()) {
                    for (int i = 0; i < entry.getValue().size(); i++) {
                        if (entry.getValue().get(i) instanceof ObjectNode element) {
                            String inner = firstBadField(element, field.getMessageType(), name + "[" + i + "].");
                            if (inner != null) {
                                return inner;
                            }
                        }
                    }
                }
                if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !field.isRepeated()
                    && !field.getMessageType().getFullName().startsWith("google.protobuf.")
                    && entry.getValue() instanceof ObjectNode nested) {
                    String inner = firstBadField(nested, field.getMessageType(), name + ".");
                    if (inner != null) {
                        return inner;
                    }
                }
                return name + ": " + describe(field, entry.getValue());
            }
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

    private static String describe(FieldDescriptor field, JsonNode value) {
        String shown = value.toString();
        if (shown.length() > 60) {
            shown = shown.substring(0, 57) + "...";
        }
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
