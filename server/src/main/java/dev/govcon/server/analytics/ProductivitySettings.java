package dev.govcon.server.analytics;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;

import dev.govcon.proto.v1.Actor;
import dev.govcon.proto.v1.ListProductivitySettingsRequest;
import dev.govcon.proto.v1.ListProductivitySettingsResponse;
import dev.govcon.proto.v1.ProductivitySetting;
import dev.govcon.proto.v1.UpsertProductivitySettingRequest;
import dev.govcon.proto.v1.UpsertProductivitySettingResponse;
import dev.govcon.server.audit.AuditLedger;
import dev.govcon.server.auth.Principal;
import dev.govcon.server.db.Database;
import dev.govcon.server.errors.Errors;
import dev.govcon.server.errors.Validate;
import dev.govcon.server.paging.Cursors;
import dev.govcon.server.paging.Page;
import dev.govcon.server.wire.Json;
import dev.govcon.server.wire.Times;

/**
 * The per-feature "time saved per successful run" settings: listed by feature name, and
 * created or replaced one feature at a time with an audit row ({@code productivity_setting.created}
 * or {@code .updated}, before and after) in the same transaction.
 */
final class ProductivitySettings {
    static final long MAX_SECONDS = 24 * 3600;
    static final int MAX_FEATURE = 256;
    static final int MAX_RATIONALE = 2000;

    private final Database database;
    private final Clock clock;

    ProductivitySettings(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    ListProductivitySettingsResponse list(Principal caller, ListProductivitySettingsRequest req) {
        int size = Page.size(req.getPageSize());
        String[] after = Cursors.decode(req.getPageToken(), 1);
        List<ProductivitySettingRow> rows = database.read(s -> s.getMapper(AnalyticsMapper.class)
                .settings(caller.tenantId(), after == null ? null : after[0], size + 1));
        ListProductivitySettingsResponse.Builder out = ListProductivitySettingsResponse.newBuilder();
        rows.stream().limit(size).forEach(r -> out.addSettings(proto(r)));
        return out.setNextPageToken(Page.nextToken(rows, size, last -> Cursors.encode(last.feature()))).build();
    }

    UpsertProductivitySettingResponse upsert(Principal caller, UpsertProductivitySettingRequest req) {
        if (!req.hasSetting()) {
            throw Errors.invalid("setting", "is required");
        }
        ProductivitySetting in = req.getSetting();
        String feature = Validate.required("setting.feature", in.getFeature(), MAX_FEATURE);
        if (!in.hasTimeSavedPerRun()) {
            throw Errors.invalid("setting.time_saved_per_run", "is required");
        }
        com.google.protobuf.Duration d = in.getTimeSavedPerRun();
        if (d.getNanos() != 0 || d.getSeconds() <= 0 || d.getSeconds() > MAX_SECONDS) {
            throw Errors.invalid("setting.time_saved_per_run", "must be whole seconds, more than 0 and at most 24 hours");
        }
        String rationale = Validate.optional("setting.rationale", in.getRationale(), MAX_RATIONALE);
        Instant now = clock.instant();
        return database.inTransaction(s -> {
            AnalyticsMapper m = s.getMapper(AnalyticsMapper.class);
            ProductivitySettingRow before = m.lockSetting(caller.tenantId(), feature);
            m.upsertSetting(caller.tenantId(), feature, d.getSeconds(), rationale, now, Json.of(caller.actor()));
            ProductivitySetting after = proto(m.lockSetting(caller.tenantId(), feature));
            AuditLedger.record(s, caller.tenantId(), caller.actor(),
                               before == null ? "productivity_setting.created" : "productivity_setting.updated",
                               "productivity_setting", feature, before == null ? null : proto(before), after);
            return UpsertProductivitySettingResponse.newBuilder().setSetting(after).setCreated(before == null).build();
        });
    }

    static ProductivitySetting proto(ProductivitySettingRow r) {
        return ProductivitySetting.newBuilder().setFeature(r.feature())
                .setTimeSavedPerRun(ProductivityAnalytics.seconds(r.timeSavedSeconds()))
                .setRationale(r.rationale()).setUpdateTime(Times.ts(r.updatedAt()))
                .setUpdatedBy(actor(r.updatedBy())).build();
    }

    private static Actor actor(String json) {
        Actor.Builder b = Actor.newBuilder();
        if (json != null && !json.isBlank()) {
            try {
                JsonFormat.parser().ignoringUnknownFields().merge(json, b);
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException("stored actor is not an Actor: " + json, e);
            }
        }
        return b.build();
    }
}
