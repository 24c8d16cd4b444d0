package dev.govcon.server.signals;

import static dev.govcon.server.testing.Refusals.assertRefused;
import static dev.govcon.server.testing.Refusals.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.google.protobuf.Timestamp;

import dev.govcon.proto.v1.ListAnomaliesRequest;
import dev.govcon.proto.v1.ListPredictionsRequest;
import dev.govcon.proto.v1.ListSignalsRequest;
import dev.govcon.sdk.GovconClient;
import dev.govcon.server.testing.RunFixtures;
import dev.govcon.server.testing.Refusals.BadGet;
import dev.govcon.server.testing.RunningServer;
import dev.govcon.server.testing.RunningServer.Reply;

/**
 * Signals, predictions and anomalies fed input they must refuse: 400 naming the field;
 * unknown and other tenants' limit ids are 404; a tenant never sees another's rows.
 */
class SignalsBadInputTest {
    static final String SIGNALS = "/api/v1/activity/signals";
    static final String PREDICTIONS = "/api/v1/activity/predictions";
    static final String ANOMALIES = "/api/v1/activity/anomalies";
    static final String BACKWARDS = "start_time=2026-01-02T00:00:00Z&end_time=2026-01-01T00:00:00Z";
    static final String LONG = "x".repeat(300);

    static RunningServer server;
    static RunningServer.Tenant acme;
    static RunningServer.Tenant other;
    static UUID othersLimit;

    @BeforeAll
    static void start() {
        server = RunningServer.start();
        acme = server.newTenant("Signals Bad Input");
        other = server.newTenant("Signals Bad Input Other");
        othersLimit = new RollupSeeder(new RunFixtures(server.database.dataSource()), UUID.fromString(other.id()))
                .limit("theirs", "SPEND_PER_DAY", 1000, "");
    }

    @AfterAll
    static void stop() {
        server.close();
    }


    static Stream<BadGet> cases() {
        return Stream.of(
                new BadGet("signals: page size", SIGNALS + "?page_size=5000", "page_size"),
                new BadGet("signals: negative page size", SIGNALS + "?page_size=-1", "page_size"),
                new BadGet("signals: page token", SIGNALS + "?page_token=garbage", "page_token"),
                new BadGet("signals: unknown state", SIGNALS + "?state=MELTING", "state"),
                new BadGet("signals: unknown type", SIGNALS + "?type=NOPE", "type"),
                new BadGet("signals: unknown severity", SIGNALS + "?min_severity=DIRE", "min_severity"),
                new BadGet("signals: unwatched dimension", SIGNALS + "?dimension=USER", "dimension"),
                new BadGet("signals: long key", SIGNALS + "?dimension_key=" + LONG, "dimension_key"),
                new BadGet("signals: bad time", SIGNALS + "?start_time=yesterday", "start_time"),
                new BadGet("signals: end before start", SIGNALS + "?" + BACKWARDS, "end_time"),
                new BadGet("predictions: page size", PREDICTIONS + "?page_size=1001", "page_size"),
                new BadGet("predictions: page token", PREDICTIONS + "?page_token=zzz", "page_token"),
                new BadGet("predictions: unknown kind", PREDICTIONS + "?kind=WEATHER", "kind"),
                new BadGet("predictions: limit id not a uuid", PREDICTIONS + "?limit_id=abc", "limit_id"),
                new BadGet("predictions: bad time", PREDICTIONS + "?include_history=true&end_time=later", "end_time"),
                new BadGet("predictions: end before start", PREDICTIONS + "?include_history=true&" + BACKWARDS,
                        "end_time"),
                new BadGet("anomalies: page size", ANOMALIES + "?page_size=5000", "page_size"),
                new BadGet("anomalies: page token", ANOMALIES + "?page_token=garbage", "page_token"),
                new BadGet("anomalies: unknown metric", ANOMALIES + "?metric=VIBES", "metric"),
                new BadGet("anomalies: unwatched dimension", ANOMALIES + "?dimension=STATUS", "dimension"),
                new BadGet("anomalies: negative min score", ANOMALIES + "?min_score=-1", "min_score"),
                new BadGet("anomalies: long key", ANOMALIES + "?dimension_key=" + LONG, "dimension_key"),
                new BadGet("anomalies: bad time", ANOMALIES + "?start_time=soon", "start_time"),
                new BadGet("anomalies: end before start", ANOMALIES + "?" + BACKWARDS, "end_time"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void refusedNamingTheField(BadGet bad) {
        assertRefused(server.get(bad.path(), acme.ownerKey()), bad.field());
    }

    @Test
    void unknownAndOtherTenantsLimitsAreNotFound() {
        for (UUID id : new UUID[] {UUID.randomUUID(), othersLimit}) {
            Reply reply = server.get(PREDICTIONS + "?limit_id=" + id, acme.ownerKey());
            assertThat(reply.status()).as(reply.toString()).isEqualTo(404);
            Reply history = server.get(PREDICTIONS + "?include_history=true&limit_id=" + id, acme.ownerKey());
            assertThat(history.status()).as(history.toString()).isEqualTo(404);
        }
        assertThat(server.get(PREDICTIONS + "?limit_id=" + othersLimit, other.ownerKey()).status()).isEqualTo(200);
    }

    @Test
    void eachTenantSeesOnlyItsOwnRows() {
        RunFixtures sql = new RunFixtures(server.database.dataSource());
        sql.update("""
                   INSERT INTO risk_signals (tenant_id, signal_id, signal_type, value, baseline, unit, severity,
                       state, first_seen_at, last_seen_at)
                   VALUES (?::uuid, ?, 'COST_SPIKE', 10, 1, 'micros_per_hour', 'HIGH', 'OPEN', now() - interval '1 hour',
                           now() - interval '1 hour')
                   """, other.id(), UUID.randomUUID());
        sql.update("""
                   INSERT INTO anomalies (tenant_id, anomaly_id, metric, hour_start, observed, expected, mad,
                       score, severity, baseline_days, detected_at)
                   VALUES (?::uuid, ?, 'COST', date_trunc('hour', now() - interval '2 hours'), 10, 1, 1, 9, 'MEDIUM', 7, now())
                   """, other.id(), UUID.randomUUID());
        assertThat(server.get(SIGNALS, other.ownerKey()).json().get("signals")).hasSize(1);
        assertThat(server.get(ANOMALIES, other.ownerKey()).json().get("anomalies")).hasSize(1);
        Reply signals = server.get(SIGNALS, acme.ownerKey());
        assertThat(signals.json().path("signals").size()).as(signals.toString()).isZero();
        Reply anomalies = server.get(ANOMALIES, acme.ownerKey());
        assertThat(anomalies.json().path("anomalies").size()).as(anomalies.toString()).isZero();
        Reply summary = server.get(PREDICTIONS + "/summary", acme.ownerKey());
        assertThat(summary.status()).as(summary.toString()).isEqualTo(200);
        assertThat(summary.json().has("month_end_spend")).as(summary.toString()).isFalse();
    }

    @Test
    void grpcRefusesValuesJsonCannotCarry() {
        Timestamp invalid = Timestamp.newBuilder().setSeconds(1).setNanos(-5).build();
        try (GovconClient client = server.grpc(acme.ownerKey())) {
            assertInvalid(() -> client.activity().listSignals(ListSignalsRequest.newBuilder()
                    .setTypeValue(42).build()), "type");
            assertInvalid(() -> client.activity().listSignals(ListSignalsRequest.newBuilder()
                    .setStartTime(invalid).build()), "start_time");
            assertInvalid(() -> client.activity().listAnomalies(ListAnomaliesRequest.newBuilder()
                    .setMinScore(Double.NaN).build()), "min_score");
            assertInvalid(() -> client.activity().listPredictions(ListPredictionsRequest.newBuilder()
                    .setKindValue(9).build()), "kind");
        }
    }

}
