package dev.govcon.server.connectivity;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.govcon.proto.v1.SdkSetup;
import dev.govcon.proto.v1.SdkSetupStep;
import dev.govcon.proto.v1.SdkSetupStep.Kind;
import dev.govcon.server.auth.Principal;
import dev.govcon.server.db.Database;
import dev.govcon.server.wire.Times;

/**
 * The SDK setup checklist, derived from what the tenant has actually done (see
 * {@code SetupMapper.xml} for where each step's time comes from), in the order a new user
 * takes them, with the Java snippet for the first step not yet done. Steps are independent:
 * a later step may be done while an earlier one is not (runs sent with a personal key, say).
 */
final class SetupChecklist {
    private final Database database;

    SetupChecklist(Database database) {
        this.database = database;
    }

    SdkSetup get(Principal caller) {
        SetupRow found = database.read(s -> s.getMapper(SetupMapper.class).firsts(caller.tenantId()));
        // MyBatis maps a row of nothing but nulls (a fresh tenant) to null.
        SetupRow row = found != null ? found : new SetupRow(null, null, null, null, null, null);
        Map<Kind, Instant> done = new LinkedHashMap<>();
        done.put(Kind.API_KEY_CREATED, row.keyCreatedAt());
        done.put(Kind.INTEGRATION_REGISTERED, row.registeredAt());
        done.put(Kind.FIRST_HEARTBEAT, row.firstHeartbeatAt());
        done.put(Kind.FIRST_RUN, row.firstRunAt());
        done.put(Kind.FIRST_GUARD_CHECK, row.firstGuardCheckAt());
        done.put(Kind.FIRST_CONTROL, row.firstControlAt());

        SdkSetup.Builder out = SdkSetup.newBuilder();
        Kind next = null;
        for (Map.Entry<Kind, Instant> step : done.entrySet()) {
            SdkSetupStep.Builder b = SdkSetupStep.newBuilder()
                    .setKind(step.getKey())
                    .setTitle(SetupSnippets.title(step.getKey()))
                    .setDone(step.getValue() != null);
            Times.setIfPresent(step.getValue(), b::setDoneAt);
            out.addSteps(b);
            if (next == null && step.getValue() == null) {
                next = step.getKey();
            }
        }
        return out.setComplete(next == null)
                .setNextSnippet(next == null ? "" : SetupSnippets.snippet(next))
                .build();
    }
}
