package dev.govcon.restbridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import com.linecorp.armeria.common.grpc.GrpcJsonMarshaller;

import dev.govcon.proto.v1.CheckGuardRequest;
import dev.govcon.proto.v1.CheckGuardResponse;
import dev.govcon.proto.v1.GuardDecision;
import dev.govcon.proto.v1.RecordRunsRequest;
import dev.govcon.proto.v1.Run;
import dev.govcon.proto.v1.RunStatus;
import dev.govcon.proto.v1.RuntimeServiceGrpc;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * The request JSON of every REST call goes through this marshaller: good bodies parse (proto or
 * lowerCamelCase names), bad ones are INVALID_ARGUMENT naming the field, responses keep proto
 * names and zero values.
 */
class FieldNamingJsonMarshallerTest {
    private static final GrpcJsonMarshaller JSON = RestTranscoding.jsonMarshaller(RuntimeServiceGrpc.getServiceDescriptor());
    private static final MethodDescriptor.Marshaller<CheckGuardRequest> CHECK =
            RuntimeServiceGrpc.getCheckGuardMethod().getRequestMarshaller();
    private static final MethodDescriptor.Marshaller<RecordRunsRequest> RECORD =
            RuntimeServiceGrpc.getRecordRunsMethod().getRequestMarshaller();

    private static <T> T read(MethodDescriptor.Marshaller<T> marshaller, String json) throws IOException {
        return JSON.deserializeMessage(marshaller, new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    private static String refusal(MethodDescriptor.Marshaller<?> marshaller, String json) {
        try {
            read(marshaller, json);
        } catch (StatusRuntimeException e) {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            return e.getStatus().getDescription();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("accepted: " + json);
    }

    @Test
    void readsProtoAndCamelCaseNames() throws IOException {
        CheckGuardRequest expected = CheckGuardRequest.newBuilder().setFeature("support-chat").setModel("gpt-4o-mini")
                .setEndUser("user-7").setEstimatedInputTokens(800).setMaxOutputTokens(400).build();
        assertThat(read(CHECK, "{\"feature\":\"support-chat\",\"model\":\"gpt-4o-mini\",\"end_user\":\"user-7\","
                               + "\"estimated_input_tokens\":800,\"max_output_tokens\":400}")).isEqualTo(expected);
        assertThat(read(CHECK, "{\"feature\":\"support-chat\",\"model\":\"gpt-4o-mini\",\"endUser\":\"user-7\","
                               + "\"estimatedInputTokens\":\"800\",\"maxOutputTokens\":400.0}")).isEqualTo(expected);
    }

    @Test
    void anEmptyBodyIsTheEmptyRequest() throws IOException {
        assertThat(read(CHECK, "")).isEqualTo(CheckGuardRequest.getDefaultInstance());
        assertThat(read(CHECK, " \n")).isEqualTo(CheckGuardRequest.getDefaultInstance());
        assertThat(read(CHECK, "{}")).isEqualTo(CheckGuardRequest.getDefaultInstance());
    }

    @Test
    void readsNestedMessagesEnumsTimesMapsAndOptionalFields() throws IOException {
        RecordRunsRequest request = read(RECORD, "{\"runs\":[{\"run_id\":\"r1\",\"status\":\"SUCCEEDED\","
                + "\"start_time\":\"2026-01-31T12:00:00Z\",\"input_tokens\":5,\"cost_micros\":0,"
                + "\"metadata\":{\"team\":\"search\"}},{\"run_id\":\"r2\"}]}");
        Run first = request.getRuns(0);
        assertThat(first.getRunId()).isEqualTo("r1");
        assertThat(first.getStatus()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(first.getStartTime().getSeconds()).isEqualTo(1_769_860_800L);
        assertThat(first.getInputTokens()).isEqualTo(5);
        assertThat(first.hasCostMicros()).isTrue();
        assertThat(first.getMetadataMap()).containsEntry("team", "search");
        assertThat(request.getRuns(1).hasCostMicros()).isFalse();
    }

    @Test
    void refusesNamingTheField() {
        assertThat(refusal(CHECK, "{\"model\":\"gpt-4o\",\"colour\":\"red\"}"))
                .isEqualTo("colour: is not a field of CheckGuardRequest");
        assertThat(refusal(CHECK, "{\"estimated_input_tokens\":\"many\"}"))
                .startsWith("estimated_input_tokens: expects a whole number");
        assertThat(refusal(CHECK, "{\"max_output_tokens\":1.5}")).startsWith("max_output_tokens:");
        assertThat(refusal(CHECK, "{\"model\":{\"name\":\"gpt-4o\"}}")).startsWith("model: expects a string");
        assertThat(refusal(CHECK, "{\"model\":\"gpt-4o\"")).startsWith("body: is not valid JSON");
        assertThat(refusal(CHECK, "{\"model\":\"a\",\"model\":\"b\"}")).startsWith("body:");
        assertThat(refusal(RECORD, "{\"runs\":[{\"run_id\":\"r1\",\"status\":\"DONE\"}]}"))
                .startsWith("runs[0].status: \"DONE\" is not one of");
        assertThat(refusal(RECORD, "{\"runs\":[{\"run_id\":\"r1\",\"start_time\":\"yesterday\"}]}"))
                .startsWith("runs[0].start_time: expects an RFC 3339 time");
        assertThat(refusal(RECORD, "{\"runs\":{\"run_id\":\"r1\"}}")).startsWith("runs: expects a list");
        // A query parameter reaches the parser as a JSON string: an enum number in quotes.
        assertThat(refusal(RECORD, "{\"runs\":[{\"run_id\":\"r1\",\"status\":\"99\"}]}"))
                .startsWith("runs[0].status: \"99\" is not one of");
    }

    @Test
    void aListWhereOneValueGoesIsRefused() {
        assertThat(refusal(CHECK, "{\"model\":[\"gpt-4o\"]}")).startsWith("model: expects a string");
        assertThat(refusal(CHECK, "{\"estimated_input_tokens\":[800]}")).startsWith("estimated_input_tokens:");
        assertThat(refusal(RECORD, "{\"runs\":[{\"run_id\":[\"r1\"]}]}")).startsWith("runs[0].run_id: expects a string");
        assertThat(refusal(RECORD, "{\"runs\":[{\"run_id\":\"r1\",\"status\":[\"SUCCEEDED\"]}]}"))
                .startsWith("runs[0].status:");
        assertThat(refusal(RECORD, "{\"runs\":[[{\"run_id\":\"r1\"}]]}")).startsWith("runs[0]: expects an object of type Run");
    }

    @Test
    void writesProtoNamesAndZeroValuesCompactly() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JSON.serializeMessage(RuntimeServiceGrpc.getCheckGuardMethod().getResponseMarshaller(),
                CheckGuardResponse.newBuilder().setDecision(GuardDecision.GUARD_DECISION_ALLOW).build(), out);
        String json = out.toString(StandardCharsets.UTF_8);
        assertThat(json).startsWith("{\"decision\":\"GUARD_DECISION_ALLOW\",\"matched_controls\":[],")
                .contains("\"reserved_cost_micros\":\"0\"", "\"reservation_id\":\"\"")
                .doesNotContain("\n", ": ");
    }
}
