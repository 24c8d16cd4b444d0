package dev.govcon.server.connectivity;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.govcon.proto.v1.ListProvidersResponse;
import dev.govcon.proto.v1.Provider;
import dev.govcon.server.activity.TimeWindow;
import dev.govcon.server.auth.Principal;
import dev.govcon.server.db.Database;
import dev.govcon.server.wire.Times;

/**
 * LLM providers derived from runs: every provider with a run in the last {@link #LISTED}
 * (7 days), with its runs, error rate, p95 latency and models over the last 24 h, all from
 * {@code run_rollups_hourly} (whole hours: the 24 h widen to the hours they overlap, as in
 * Activity), and its status by {@link ProviderHealth}, whose last-15-minutes figures come from
 * the run records (an indexed range of a quarter of an hour). Last seen is the end of its
 * newest run.
 */
final class ProvidersReads {
    static final Duration LISTED = Duration.ofDays(7);
    static final Duration STATS = Duration.ofHours(24);

    private final Database database;
    private final Clock clock;

    ProvidersReads(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    ListProvidersResponse list(Principal caller) {
        Instant now = clock.instant();
        TimeWindow day = new TimeWindow(now.minus(STATS), now).toHours();
        Instant seenFrom = now.minus(LISTED).truncatedTo(ChronoUnit.HOURS);
        return database.read(s -> {
            ProviderMapper m = s.getMapper(ProviderMapper.class);
            List<ProviderRow> rows = m.providers(caller.tenantId(), seenFrom, day.start(), day.end());
            Map<String, List<String>> models = m.models(caller.tenantId(), day.start(), day.end()).stream()
                    .collect(Collectors.groupingBy(ProviderModelRow::provider, LinkedHashMap::new,
                                                   Collectors.mapping(ProviderModelRow::model, Collectors.toList())));
            Map<String, ProviderRecentRow> recent = m.recent(caller.tenantId(), now.minus(ProviderHealth.RECENT))
                    .stream().collect(Collectors.toMap(ProviderRecentRow::provider, Function.identity()));
            List<Provider> providers = new ArrayList<>();
            for (ProviderRow r : rows) {
                ProviderRecentRow last15 = recent.getOrDefault(r.provider(), new ProviderRecentRow(r.provider(), 0, 0));
                // Interpolation inside a bucket can overshoot the slowest run; never report more.
                long p95 = Math.min(r.latency().percentile(0.95), r.latencyMsMax());
                Provider.Builder b = Provider.newBuilder()
                        .setName(r.provider())
                        .setStatus(ProviderHealth.status(last15.runs(), last15.errorRuns(), r.runs(), r.errorRuns(), p95))
                        .setRuns24H(r.runs())
                        .setErrorRate24H(ProviderHealth.rate(r.errorRuns(), r.runs()))
                        .setP95LatencyMs24H(p95)
                        .addAllModels(models.getOrDefault(r.provider(), List.of()));
                Times.setIfPresent(m.lastSeen(caller.tenantId(), r.provider(), r.lastHour(),
                                              r.lastHour().plus(1, ChronoUnit.HOURS)), b::setLastSeenAt);
                providers.add(b.build());
            }
            return ListProvidersResponse.newBuilder().addAllProviders(providers).build();
        });
    }
}
