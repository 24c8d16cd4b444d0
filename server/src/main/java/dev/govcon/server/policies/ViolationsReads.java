package dev.govcon.server.policies;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import dev.govcon.proto.v1.ControlAction;
import dev.govcon.proto.v1.GetViolationsByLimitRequest;
import dev.govcon.proto.v1.GetViolationsByLimitResponse;
import dev.govcon.proto.v1.ListViolationsRequest;
import dev.govcon.proto.v1.ListViolationsResponse;
import dev.govcon.proto.v1.PolicyKind;
import dev.govcon.proto.v1.PolicyViolation;
import dev.govcon.proto.v1.ViolationOrigin;
import dev.govcon.server.activity.ActivityReads;
import dev.govcon.server.activity.TimeWindow;
import dev.govcon.server.auth.Principal;
import dev.govcon.server.db.Database;
import dev.govcon.server.errors.Errors;
import dev.govcon.server.errors.Validate;
import dev.govcon.server.paging.Page;
import dev.govcon.server.wire.Times;

/**
 * The read side of {@code limit_violations}: the list (newest first, keyset paging on
 * (occurred_at, violation_id)), one violation, and the per-control summary. Windows default
 * to the last 7 days, on the time the violation occurred.
 */
final class ViolationsReads {
    static final Duration DEFAULT_WINDOW = Duration.ofDays(7);

    private final Database database;
    private final Clock clock;

    ViolationsReads(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    ListViolationsResponse list(Principal caller, ListViolationsRequest req) {
        int size = Page.size(req.getPageSize());
        Page.Cursor after = Page.cursor(req.getPageToken());
        TimeWindow w = TimeWindow.of(req.hasStartTime(), req.getStartTime(), req.hasEndTime(), req.getEndTime(),
                                     DEFAULT_WINDOW, clock);
        ViolationFilter f = new ViolationFilter(w.start(), w.end(),
                Validate.optionalId("control_id", req.getControlId()),
                kind("control_kind", req.getControlKind()), action("action", req.getAction()),
                origin(req.getOrigin()),
                ActivityReads.filter("feature", req.getFeature()), ActivityReads.filter("model", req.getModel()),
                ActivityReads.filter("end_user", req.getEndUser()),
                ActivityReads.filter("api_key_id", req.getApiKeyId()),
                ActivityReads.filter("provider", req.getProvider()),
                ActivityReads.filter("environment", req.getEnvironment()),
                after == null ? null : after.at(), after == null ? null : after.id(), size + 1);
        return database.read(s -> {
            ViolationMapper m = s.getMapper(ViolationMapper.class);
            List<ViolationRow> rows = m.list(caller.tenantId(), f);
            ListViolationsResponse.Builder out = ListViolationsResponse.newBuilder();
            rows.stream().limit(size).forEach(r -> out.addViolations(ViolationProtos.violation(r)));
            out.setNextPageToken(Page.nextToken(rows, size,
                    last -> new Page.Cursor(last.occurredAt(), last.violationId()).encode()));
            return out.setTotalCount(m.count(caller.tenantId(), f)).build();
        });
    }

    PolicyViolation get(Principal caller, String idText) {
        UUID id = Validate.id("id", idText);
        ViolationRow row = database.read(s -> s.getMapper(ViolationMapper.class).find(caller.tenantId(), id));
        if (row == null) {
            throw Errors.notFound("violation", id);
        }
        return ViolationProtos.violation(row);
    }

    GetViolationsByLimitResponse byLimit(Principal caller, GetViolationsByLimitRequest req) {
        TimeWindow w = TimeWindow.of(req.hasStartTime(), req.getStartTime(), req.hasEndTime(), req.getEndTime(),
                                     DEFAULT_WINDOW, clock);
        String kind = kind("control_kind", req.getControlKind());
        String action = action("action", req.getAction());
        List<ControlViolationsRow> rows = database.read(s -> s.getMapper(ViolationMapper.class)
                .byControl(caller.tenantId(), w.start(), w.end(), kind, action));
        GetViolationsByLimitResponse.Builder out = GetViolationsByLimitResponse.newBuilder()
                .setStartTime(Times.ts(w.start())).setEndTime(Times.ts(w.end()));
        long total = 0;
        for (ControlViolationsRow r : rows) {
            out.addControls(ViolationProtos.summary(r));
            total += r.violations();
        }
        return out.setTotalViolationCount(total).build();
    }

    // ---- input ------------------------------------------------------------------------

    /** UNSPECIFIED = any (null). */
    static String kind(String field, PolicyKind kind) {
        PolicyKind k = Validate.enumValue(field, kind, false);
        return k == PolicyKind.POLICY_KIND_UNSPECIFIED ? null : ControlEnums.text(k);
    }

    static String action(String field, ControlAction action) {
        ControlAction a = Validate.enumValue(field, action, false);
        return a == ControlAction.CONTROL_ACTION_UNSPECIFIED ? null : ControlEnums.text(a);
    }

    static String origin(ViolationOrigin origin) {
        ViolationOrigin o = Validate.enumValue("origin", origin, false);
        return o == ViolationOrigin.VIOLATION_ORIGIN_UNSPECIFIED ? null : ControlEnums.text(o);
    }
}
