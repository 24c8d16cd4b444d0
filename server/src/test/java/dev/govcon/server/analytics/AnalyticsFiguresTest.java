package dev.govcon.server.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.govcon.proto.v1.CostBreakdownItem;
import dev.govcon.proto.v1.CostTrendPoint;
import dev.govcon.proto.v1.Dimension;
import dev.govcon.proto.v1.EfficiencyRow;
import dev.govcon.proto.v1.GetAnalyticsCostSummaryRequest;
import dev.govcon.proto.v1.GetAnalyticsCostSummaryResponse;
import dev.govcon.proto.v1.GetCostByFeatureRequest;
import dev.govcon.proto.v1.GetCostByFeatureResponse;
import dev.govcon.proto.v1.GetCostByModelRequest;
import dev.govcon.proto.v1.GetCostByModelResponse;
import dev.govcon.proto.v1.GetCostTrendRequest;
import dev.govcon.proto.v1.GetEfficiencyRequest;
import dev.govcon.proto.v1.GetEfficiencyResponse;
import dev.govcon.proto.v1.GetProductivityTrendRequest;
import dev.govcon.proto.v1.GetSavedTimeRequest;
import dev.govcon.proto.v1.GetSavedTimeResponse;
import dev.govcon.proto.v1.Granularity;
import dev.govcon.proto.v1.ProductivitySetting;
import dev.govcon.proto.v1.ProductivityTrendPoint;
import dev.govcon.proto.v1.UpsertProductivitySettingRequest;
import dev.govcon.sdk.GovconClient;
import dev.govcon.server.activity.ingest.RunIngestor;
import dev.govcon.server.activity.pricing.PriceBook;
import dev.govcon.server.demo.HistoryGenerator;
import dev.govcon.server.analytics.RawRuns.Agg;
import dev.govcon.server.analytics.RawRuns.Raw;
import dev.govcon.server.testing.RunFixtures;
import dev.govcon.server.testing.RunningServer;
import dev.govcon.server.testing.RunningServer.Reply;
import dev.govcon.server.wire.Times;

/**
 * Every cost and productivity figure, read from the rollups through the real API, equals the
 * same figure computed in this test from the raw run records. The history is the benchmark's
 * generator ({@link HistoryGenerator}: 42 days of skewed, diurnal runs with failures and
 * spikes, written through ingestion) for a tenant in Europe/Paris (so days start at 22:00 or
 * 23:00 UTC) and a second tenant whose runs stay out of every figure.
 */
class AnalyticsFiguresTest {
    static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    static RunningServer server;
    static RunningServer.Tenant acme;
    static GovconClient client;
    static RawRuns raw;
    static Instant to;
    static Instant from;
    static List<String> features;

    @BeforeAll
    static void start() {
        server = RunningServer.start();
        acme = server.newTenant("Analytics Figures");
        RunningServer.Tenant other = server.newTenant("Analytics Figures Other");
        new RunFixtures(server.database.dataSource()).update("UPDATE tenants SET time_zone = 'Europe/Paris' WHERE tenant_id = ?",
                                                             UUID.fromString(acme.id()));
        to = server.clock.instant().truncatedTo(ChronoUnit.HOURS);
        from = to.minus(Duration.ofDays(20));
        client = server.grpc(acme.ownerKey());
        try (RunIngestor ingestor = new RunIngestor(server.database, server.clock, new PriceBook(server.database))) {
            new HistoryGenerator(ingestor, server.clock).load(List.of(UUID.fromString(acme.id()),
                                                                      UUID.fromString(other.id())), 42, 200, 7);
        }
        raw = RawRuns.load(server.database.dataSource(), UUID.fromString(acme.id()));
        assertThat(raw.all.size()).isGreaterThan(5000);
        features = raw.all.stream().map(Raw::feature).distinct().sorted().toList();
        assertThat(features).contains("search", "support-chat", "agent");
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    static List<Raw> window(Predicate<Raw> keep) {
        return raw.in(from, to, keep);
    }

    // ---- cost ----

    @Test
    void summaryEqualsTheRawRuns() {
        for (Predicate<Raw> keep : List.<Predicate<Raw>>of(r -> true)) {
            GetAnalyticsCostSummaryResponse s = client.analytics().getAnalyticsCostSummary(
                    GetAnalyticsCostSummaryRequest.newBuilder().setStartTime(Times.ts(from)).setEndTime(Times.ts(to)).build());
            checkSummary(s, keep);
        }
        GetAnalyticsCostSummaryResponse filtered = client.analytics().getAnalyticsCostSummary(
                GetAnalyticsCostSummaryRequest.newBuilder().setStartTime(Times.ts(from)).setEndTime(Times.ts(to))
                        .setFeature("support-chat").setEnvironment("production").build());
        checkSummary(filtered, r -> r.feature().equals("support-chat") && r.environment().equals("production"));
        GetAnalyticsCostSummaryResponse byModel = client.analytics().getAnalyticsCostSummary(
                GetAnalyticsCostSummaryRequest.newBuilder().setStartTime(Times.ts(from)).setEndTime(Times.ts(to))
                        .setModel("gpt-4o").setProvider("openai").build());
        checkSummary(byModel, r -> r.model().equals("gpt-4o") && r.provider().equals("openai"));
    }

    static void checkSummary(GetAnalyticsCostSummaryResponse s, Predicate<Raw> keep) {
        Agg now = Agg.of(window(keep));
        long previous = Agg.of(raw.in(from.minus(Duration.ofDays(20)), from, keep)).cost();
        assertThat(now.runs()).isGreaterThan(0);
        assertThat(previous).isGreaterThan(0);
        assertThat(s.getTotalCostMicros()).isEqualTo(now.cost());
        assertThat(s.getPreviousPeriodCostMicros()).isEqualTo(previous);
        assertThat(s.getChangeRatio()).isCloseTo((double) (now.cost() - previous) / previous,
                                                 org.assertj.core.data.Offset.offset(1e-12));
        assertThat(s.getAverageDailyCostMicros()).isEqualTo(Math.round(now.cost() / 20.0));
        assertThat(List.of(s.getTotalRuns(), s.getSuccessfulRuns(), s.getTotalTokens(), s.getCostPerSuccessfulRunMicros()))
                .containsExactly(now.runs(), now.succeeded(), now.total(), now.costPerSuccess());
        Map.Entry<String, Agg> topModel = top(RawRuns.by(window(keep), Raw::model));
        Map.Entry<String, Agg> topFeature = top(RawRuns.by(window(keep), Raw::feature));
        assertThat(List.of(s.getTopModel().getValue(), s.getTopModel().getCostMicros(), s.getTopModel().getRuns(),
                           s.getTopModel().getTotalTokens()))
                .containsExactly(topModel.getKey(), topModel.getValue().cost(), topModel.getValue().runs(),
                                 topModel.getValue().total());
        assertThat(List.of(s.getTopFeature().getValue(), s.getTopFeature().getCostMicros()))
                .containsExactly(topFeature.getKey(), topFeature.getValue().cost());
        assertThat(Times.instant(s.getStartTime())).isEqualTo(from);
        assertThat(Times.instant(s.getEndTime())).isEqualTo(to);
    }

    static Map.Entry<String, Agg> top(Map<String, Agg> by) {
        return by.entrySet().stream().min(Comparator.comparingLong((Map.Entry<String, Agg> e) -> e.getValue().cost())
                                                  .reversed().thenComparing(Map.Entry::getKey)).orElseThrow();
    }

    static List<String> expectedItems(Predicate<Raw> keep, Function<Raw, String> key) {
        Map<String, Agg> now = RawRuns.by(window(keep), key);
        Map<String, Agg> before = RawRuns.by(raw.in(from.minus(Duration.ofDays(20)), from, keep), key);
        long total = now.values().stream().mapToLong(Agg::cost).sum();
        return now.entrySet().stream()
                .sorted(Comparator.comparingLong((Map.Entry<String, Agg> e) -> e.getValue().cost()).reversed()
                                .thenComparing(Map.Entry::getKey))
                .map(e -> item(e.getKey(), e.getValue().cost(), e.getValue().runs(), e.getValue().succeeded(),
                               e.getValue().input(), e.getValue().output(), e.getValue().total(),
                               (double) e.getValue().cost() / total, e.getValue().costPerSuccess(),
                               before.containsKey(e.getKey()) ? before.get(e.getKey()).cost() : 0))
                .toList();
    }

    static String item(String key, long cost, long runs, long succeeded, long input, long output, long total,
                       double share, long perSuccess, long previous) {
        return "%s cost=%d runs=%d ok=%d in=%d out=%d total=%d share=%.12f cps=%d prev=%d".formatted(
                key, cost, runs, succeeded, input, output, total, share, perSuccess, previous);
    }

    static String item(CostBreakdownItem i, boolean withProvider) {
        return item(withProvider ? i.getValue() + "/" + i.getProvider() : i.getValue(), i.getCostMicros(), i.getRuns(),
                    i.getSuccessfulRuns(), i.getInputTokens(), i.getOutputTokens(), i.getTotalTokens(),
                    i.getShareRatio(), i.getCostPerSuccessfulRunMicros(), i.getPreviousPeriodCostMicros());
    }

    @Test
    void byModelEqualsTheRawRunsPageByPage() {
        List<String> expected = expectedItems(r -> r.environment().equals("production"),
                                              r -> r.model() + "/" + r.provider());
        List<String> got = new ArrayList<>();
        String token = "";
        int pages = 0;
        do {
            GetCostByModelResponse page = client.analytics().getCostByModel(GetCostByModelRequest.newBuilder()
                    .setStartTime(Times.ts(from)).setEndTime(Times.ts(to)).setEnvironment("production")
                    .setPageSize(3).setPageToken(token).build());
            page.getModelsList().forEach(i -> got.add(item(i, true)));
            assertThat(page.getTotalCostMicros())
                    .isEqualTo(Agg.of(window(r -> r.environment().equals("production"))).cost());
            token = page.getNextPageToken();
            pages++;
        } while (!token.isEmpty());
        assertThat(pages).isEqualTo((expected.size() + 2) / 3).isGreaterThan(1);
        assertThat(got).containsExactlyElementsOf(expected);
    }

    @Test
    void byFeatureEqualsTheRawRuns() {
        GetCostByFeatureResponse r = client.analytics().getCostByFeature(GetCostByFeatureRequest.newBuilder()
                .setStartTime(Times.ts(from)).setEndTime(Times.ts(to)).setProvider("openai").build());
        assertThat(r.getFeaturesList().stream().map(i -> item(i, false)).toList())
                .containsExactlyElementsOf(expectedItems(x -> x.provider().equals("openai"), Raw::feature));
        assertThat(r.getNextPageToken()).isEmpty();
    }

    static Map<Instant, Agg> expectedSeries(Instant start, Instant end, String unit, Predicate<Raw> keep) {
        Map<Instant, Agg> out = new LinkedHashMap<>();
        for (Instant b = RawRuns.bucket(start, PARIS, unit); b.isBefore(end); ) {
            out.put(b, Agg.ZERO);
            Instant probe = b;
            do {
                probe = probe.plus(Duration.ofHours(1));
            } while (RawRuns.bucket(probe, PARIS, unit).equals(b));
            b = RawRuns.bucket(probe, PARIS, unit);
        }
        raw.in(start, end, keep).forEach(r -> out.merge(RawRuns.bucket(r.end(), PARIS, unit), Agg.ZERO.plus(r), RawRuns::sum));
        return out;
    }

    static List<String> trend(List<CostTrendPoint> points) {
        return points.stream().map(p -> Times.instant(p.getBucketStartTime()) + " " + p.getGroup() + " "
                                        + p.getCostMicros() + " " + p.getRuns() + " " + p.getSuccessfulRuns() + " "
                                        + p.getTotalTokens()).toList();
    }

    static List<String> trend(Map<Instant, Agg> series, String group) {
        return series.entrySet().stream().map(e -> e.getKey() + " " + group + " " + e.getValue().cost() + " "
                                                   + e.getValue().runs() + " " + e.getValue().succeeded() + " "
                                                   + e.getValue().total()).toList();
    }

    @Test
    void trendEqualsTheRawRunsAtEveryGranularity() {
        for (Granularity g : List.of(Granularity.DAY, Granularity.WEEK)) {
            var t = client.analytics().getCostTrend(GetCostTrendRequest.newBuilder().setStartTime(Times.ts(from))
                    .setEndTime(Times.ts(to)).setGranularity(g).setFeature("search").build());
            Map<Instant, Agg> expected = expectedSeries(from, to, AnalyticsWindow.unit(g), r -> r.feature().equals("search"));
            assertThat(trend(t.getPointsList())).as(g.name()).containsExactlyElementsOf(trend(expected, ""));
            assertThat(t.getTotalCostMicros()).isEqualTo(Agg.of(window(r -> r.feature().equals("search"))).cost());
            assertThat(t.getGranularity()).isEqualTo(g);
        }
        Instant hoursFrom = to.minus(Duration.ofDays(2));
        var hourly = client.analytics().getCostTrend(GetCostTrendRequest.newBuilder().setStartTime(Times.ts(hoursFrom))
                .setEndTime(Times.ts(to)).setGranularity(Granularity.HOUR).build());
        assertThat(hourly.getPointsCount()).isEqualTo(48);
        assertThat(trend(hourly.getPointsList())).containsExactlyElementsOf(
                trend(expectedSeries(hoursFrom, to, "hour", r -> true), ""));
    }

    @Test
    void trendSplitByFeatureEqualsTheRawRuns() {
        var t = client.analytics().getCostTrend(GetCostTrendRequest.newBuilder().setStartTime(Times.ts(from))
                .setEndTime(Times.ts(to)).setGroupBy(Dimension.FEATURE).setModel("gpt-4o").build());
        List<String> expected = new ArrayList<>();
        Map<String, Map<Instant, Agg>> byFeature = new java.util.TreeMap<>();
        for (String f : features) {
            byFeature.put(f, expectedSeries(from, to, "day", r -> r.feature().equals(f) && r.model().equals("gpt-4o")));
        }
        for (Instant b : byFeature.get("search").keySet()) {
            byFeature.forEach((f, series) -> expected.add(trend(Map.of(b, series.get(b)), f).get(0)));
        }
        assertThat(trend(t.getPointsList())).containsExactlyElementsOf(expected);
    }

    // ---- productivity ----

    @Test
    void efficiencyEqualsTheRawRuns() {
        GetEfficiencyResponse pairs = client.analytics().getEfficiency(GetEfficiencyRequest.newBuilder()
                .setStartTime(Times.ts(from)).setEndTime(Times.ts(to)).setPageSize(1000).build());
        Map<String, Agg> byPair = RawRuns.by(window(r -> true), r -> r.feature() + "|" + r.model());
        assertThat(pairs.getRowsList().stream().map(AnalyticsFiguresTest::efficiency).toList())
                .containsExactlyElementsOf(byPair.entrySet().stream()
                        .sorted(Comparator.comparingLong((Map.Entry<String, Agg> e) -> e.getValue().cost()).reversed()
                                        .thenComparing(Map.Entry::getKey))
                        .map(e -> efficiency(e.getKey(), e.getValue())).toList());
        assertThat(efficiency(pairs.getTotal())).isEqualTo(efficiency("|", Agg.of(window(r -> true))));

        GetEfficiencyResponse features = client.analytics().getEfficiency(GetEfficiencyRequest.newBuilder()
                .setStartTime(Times.ts(from)).setEndTime(Times.ts(to)).setGroupBy(Dimension.FEATURE)
                .setEnvironment("staging").build());
        assertThat(features.getRowsList().stream().map(AnalyticsFiguresTest::efficiency).toList())
                .containsExactlyElementsOf(RawRuns.by(window(r -> r.environment().equals("staging")), Raw::feature)
                        .entrySet().stream()
                        .sorted(Comparator.comparingLong((Map.Entry<String, Agg> e) -> e.getValue().cost()).reversed())
                        .map(e -> efficiency(e.getKey() + "|", e.getValue())).toList());
    }

    static String efficiency(EfficiencyRow r) {
        return "%s|%s runs=%d ok=%d rate=%.12f cost=%d cps=%d tps=%.9f lat=%dms".formatted(
                r.getFeature(), r.getModel(), r.getRuns(), r.getSuccessfulRuns(), r.getSuccessRate(), r.getCostMicros(),
                r.getCostPerSuccessfulRunMicros(), r.getTokensPerSuccessfulRun(),
                r.getAverageLatency().getSeconds() * 1000 + r.getAverageLatency().getNanos() / 1_000_000);
    }

    static String efficiency(String key, Agg a) {
        return "%s runs=%d ok=%d rate=%.12f cost=%d cps=%d tps=%.9f lat=%dms".formatted(
                key, a.runs(), a.succeeded(), (double) a.succeeded() / a.runs(), a.cost(), a.costPerSuccess(),
                a.succeeded() == 0 ? 0.0 : (double) a.total() / a.succeeded(), a.latency() / a.runs());
    }

    @Test
    void savedTimeAndTrendEqualTheRawRunsTimesTheSettings() {
        for (String[] s : new String[][] {{"search", "120"}, {"support-chat", "30"}}) {
            client.analytics().upsertProductivitySetting(UpsertProductivitySettingRequest.newBuilder()
                    .setSetting(ProductivitySetting.newBuilder().setFeature(s[0])
                            .setTimeSavedPerRun(com.google.protobuf.Duration.newBuilder().setSeconds(Long.parseLong(s[1])))
                            .setRationale("measured in a study"))
                    .build());
        }
        Map<String, Long> perRun = Map.of("search", 120L, "support-chat", 30L);
        GetSavedTimeResponse saved = client.analytics().getSavedTime(GetSavedTimeRequest.newBuilder()
                .setStartTime(Times.ts(from)).setEndTime(Times.ts(to)).build());
        Map<String, Agg> byFeature = RawRuns.by(window(r -> true), Raw::feature);
        List<String> expected = perRun.keySet().stream()
                .sorted(Comparator.comparingLong((String f) -> byFeature.get(f).succeeded() * perRun.get(f)).reversed())
                .map(f -> f + " " + byFeature.get(f).succeeded() + " " + perRun.get(f) + " "
                          + byFeature.get(f).succeeded() * perRun.get(f) + " " + byFeature.get(f).cost() + " "
                          + byFeature.get(f).cost() * 3600 / (byFeature.get(f).succeeded() * perRun.get(f)))
                .toList();
        assertThat(saved.getFeaturesList().stream().map(f -> f.getFeature() + " " + f.getSuccessfulRuns() + " "
                + f.getTimeSavedPerRun().getSeconds() + " " + f.getSavedTime().getSeconds() + " " + f.getCostMicros()
                + " " + f.getCostPerSavedHourMicros()).toList()).containsExactlyElementsOf(expected);
        assertThat(saved.getTotalSavedTime().getSeconds()).isEqualTo(
                byFeature.get("search").succeeded() * 120 + byFeature.get("support-chat").succeeded() * 30);
        // Features without a setting: listed with their figures, highest spend first.
        assertThat(saved.getFeaturesWithoutSettingList().stream().map(b -> b.getValue() + " " + b.getRuns() + " "
                + b.getTotalTokens() + " " + b.getCostMicros()).toList())
                .containsExactlyElementsOf(features.stream().filter(f -> !perRun.containsKey(f))
                        .sorted(Comparator.comparingLong((String f) -> byFeature.get(f).cost()).reversed()
                                        .thenComparing(Comparator.naturalOrder()))
                        .map(f -> f + " " + byFeature.get(f).runs() + " " + byFeature.get(f).total() + " "
                                  + byFeature.get(f).cost()).toList());

        var trend = client.analytics().getProductivityTrend(GetProductivityTrendRequest.newBuilder()
                .setStartTime(Times.ts(from)).setEndTime(Times.ts(to)).setGranularity(Granularity.WEEK).build());
        Map<Instant, Agg> all = expectedSeries(from, to, "week", r -> true);
        Map<Instant, Agg> search = expectedSeries(from, to, "week", r -> r.feature().equals("search"));
        Map<Instant, Agg> chat = expectedSeries(from, to, "week", r -> r.feature().equals("support-chat"));
        List<String> want = new ArrayList<>();
        all.forEach((b, a) -> want.add(trendPoint(b, a.runs(), a.succeeded(),
                a.runs() == 0 ? 0.0 : (double) a.succeeded() / a.runs(),
                search.get(b).succeeded() * 120 + chat.get(b).succeeded() * 30, a.cost(), a.costPerSuccess(),
                a.succeeded() == 0 ? 0.0 : (double) a.total() / a.succeeded())));
        assertThat(trend.getPointsList().stream().map(AnalyticsFiguresTest::trendPoint).toList())
                .containsExactlyElementsOf(want);
    }

    static String trendPoint(ProductivityTrendPoint p) {
        return trendPoint(Times.instant(p.getBucketStartTime()), p.getRuns(), p.getSuccessfulRuns(), p.getSuccessRate(),
                          p.getSavedTime().getSeconds(), p.getCostMicros(), p.getCostPerSuccessfulRunMicros(),
                          p.getTokensPerSuccessfulRun());
    }

    static String trendPoint(Instant b, long runs, long ok, double rate, long saved, long cost, long cps, double tps) {
        return "%s runs=%d ok=%d rate=%.12f saved=%d cost=%d cps=%d tps=%.9f".formatted(b, runs, ok, rate, saved, cost,
                                                                                         cps, tps);
    }

    // ---- REST ----

    @Test
    void restAnswersTheSameFiguresInSnakeCase() {
        Reply reply = server.get("/api/v1/analytics/cost/summary?start_time=" + from + "&end_time=" + to
                                 + "&feature=search", acme.ownerKey());
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        JsonNode s = reply.json();
        Agg triage = Agg.of(window(r -> r.feature().equals("search")));
        assertThat(s.get("total_cost_micros").asLong()).isEqualTo(triage.cost());
        assertThat(s.get("successful_runs").asLong()).isEqualTo(triage.succeeded());
        assertThat(s.get("top_feature").get("value").asText()).isEqualTo("search");

        Reply trend = server.get("/api/v1/analytics/cost/trend?granularity=WEEK&start_time=" + from + "&end_time=" + to,
                                 acme.ownerKey());
        assertThat(trend.status()).as(trend.toString()).isEqualTo(200);
        assertThat(trend.json().get("points").size()).isEqualTo(expectedSeries(from, to, "week", r -> true).size());
    }
}
