package dev.govcon.proto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.google.api.AnnotationsProto;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;

import dev.govcon.proto.v1.Access;
import dev.govcon.proto.v1.OptionsProto;

/**
 * The REST contract (shared/api/endpoints.tsv) and the protos agree exactly: every row is one
 * RPC with its method, path and panel, and no rule exists that the file does not list.
 */
class ContractTest {
    record Endpoint(String method, String path, String panel) {
        String key() {
            return method + " " + path;
        }
    }

    static List<Endpoint> documented;
    static Map<String, List<MethodDescriptor>> rules;

    @BeforeAll
    static void load() throws IOException {
        documented = new ArrayList<>();
        for (String line : Files.readAllLines(endpointsTsv())) {
            String[] cols = line.split("\t");
            if (cols[0].equals("method") || line.isBlank()) {
                continue;
            }
            documented.add(new Endpoint(cols[0], cols[1], cols[2]));
        }
        rules = new HashMap<>();
        for (RestRule rule : RestRule.of(GovconApi.services())) {
            MethodDescriptor m = rule.rpc();
            assertThat(m.getOptions().getExtension(AnnotationsProto.http).getAdditionalBindingsList())
                    .as(m.getFullName()).isEmpty();
            rules.computeIfAbsent(rule.method() + " " + rule.path(), k -> new ArrayList<>()).add(m);
        }
    }

    /** ../shared/api/endpoints.tsv beside the repository, or GOVCON_ENDPOINTS_TSV. */
    static Path endpointsTsv() {
        String override = System.getenv("GOVCON_ENDPOINTS_TSV");
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/api/endpoints.tsv");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("shared/api/endpoints.tsv not found above "
                                        + Path.of("").toAbsolutePath() + "; set GOVCON_ENDPOINTS_TSV");
    }

    @Test
    void theContractHas113Paths() {
        assertThat(documented).hasSize(113);
    }

    @Test
    void everyDocumentedPathIsExactlyOneRpcWithItsPanel() {
        for (Endpoint e : documented) {
            List<MethodDescriptor> methods = rules.get(e.key());
            assertThat(methods).as("RPC for %s", e.key()).isNotNull().hasSize(1);
            String panel = methods.get(0).getOptions().getExtension(OptionsProto.panel);
            assertThat(panel).as("panel of %s", e.key()).isEqualTo(e.panel().equals("-") ? "" : e.panel());
        }
    }

    @Test
    void noRuleExistsThatTheContractDoesNotList() {
        TreeSet<String> documentedKeys = new TreeSet<>();
        documented.forEach(e -> documentedKeys.add(e.key()));
        assertThat(new TreeSet<>(rules.keySet())).isEqualTo(documentedKeys);
    }

    @Test
    void everyRpcDeclaresWhoMayCallIt() {
        for (ServiceDescriptor service : GovconApi.services()) {
            for (MethodDescriptor m : service.getMethods()) {
                Access access = m.getOptions().getExtension(OptionsProto.access);
                assertThat(access).as("access of %s", m.getFullName()).isNotEqualTo(Access.ACCESS_UNSPECIFIED);
            }
        }
    }

    @Test
    void bodiesAreWholeRequestsOnWritesAndAbsentOnReads() {
        rules.forEach((key, methods) -> {
            boolean write = key.startsWith("POST") || key.startsWith("PUT");
            assertThat(RestRule.of(methods.get(0)).body()).as("body of %s", key).isEqualTo(write ? "*" : "");
        });
    }
}
