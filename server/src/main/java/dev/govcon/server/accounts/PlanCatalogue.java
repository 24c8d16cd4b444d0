package dev.govcon.server.accounts;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.govcon.proto.v1.Severity;

/**
 * Billing plans and support terms are configuration, not data: a JSON catalogue, shipped as
 * {@code dev/govcon/server/accounts/plan-catalogue.json} (free, team, business, enterprise).
 * Each plan has its included runs and seats, its price per period and its overage price per
 * 1,000 runs (integer micro-dollars), the support channels it may use and its first-response
 * hours per ticket severity. The catalogue is checked when loaded: a mistake in it stops the
 * server at start rather than a bill later. It must hold {@value #DEFAULT_PLAN}, every new
 * tenant's plan ({@code tenants.plan_id} default).
 */
public final class PlanCatalogue {
    public static final String DEFAULT_PLAN = "free";
    private static final String SHIPPED = "/dev/govcon/server/accounts/plan-catalogue.json";
    private static volatile PlanCatalogue shipped;

    public record Plan(String id, String name, long includedRuns, int includedSeats, long priceMicros,
                       long overagePricePer1kRunsMicros, List<String> supportChannels,
                       Map<Severity, Integer> firstResponseHours) {
    }

    public record Channel(String kind, String address, String hours) {
    }

    private final String currency;
    private final String period;
    private final Map<String, Plan> plans;
    private final Map<String, Channel> channels;

    private PlanCatalogue(String currency, String period, Map<String, Plan> plans, Map<String, Channel> channels) {
        this.currency = currency;
        this.period = period;
        this.plans = plans;
        this.channels = channels;
    }

    /** The catalogue shipped with the server. */
    public static PlanCatalogue shipped() {
        PlanCatalogue c = shipped;
        if (c == null) {
            try (InputStream in = PlanCatalogue.class.getResourceAsStream(SHIPPED)) {
                if (in == null) {
                    throw new IllegalStateException("missing resource " + SHIPPED);
                }
                c = parse(in, SHIPPED);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            shipped = c;
        }
        return c;
    }

    /** A catalogue from a file of the same form as the shipped one. */
    public static PlanCatalogue fromFile(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static PlanCatalogue parse(InputStream in, String source) throws IOException {
        JsonNode root = new ObjectMapper().readTree(in);
        Map<String, Channel> channels = new LinkedHashMap<>();
        for (JsonNode c : root.path("support_channels")) {
            channels.put(text(c, "kind", source), new Channel(text(c, "kind", source), text(c, "address", source),
                                                              text(c, "hours", source)));
        }
        Map<String, Plan> plans = new LinkedHashMap<>();
        for (JsonNode p : root.path("plans")) {
            String id = text(p, "id", source);
            List<String> planChannels = new ArrayList<>();
            for (JsonNode c : p.path("support").path("channels")) {
                if (!channels.containsKey(c.asText())) {
                    throw bad(source, "plan " + id + " names an unknown support channel " + c);
                }
                planChannels.add(c.asText());
            }
            Map<Severity, Integer> hours = new EnumMap<>(Severity.class);
            for (Severity s : List.of(Severity.LOW, Severity.MEDIUM, Severity.HIGH, Severity.CRITICAL)) {
                hours.put(s, (int) amount(p.path("support").path("first_response_hours"), s.name(), source + " " + id));
            }
            Plan plan = new Plan(id, text(p, "name", source), amount(p, "included_runs", source),
                                 (int) amount(p, "included_seats", source), amount(p, "price_micros", source),
                                 amount(p, "overage_price_per_1k_runs_micros", source), List.copyOf(planChannels),
                                 Map.copyOf(hours));
            if (plans.put(id, plan) != null) {
                throw bad(source, "plan " + id + " is listed twice");
            }
        }
        if (!plans.containsKey(DEFAULT_PLAN)) {
            throw bad(source, "the catalogue must hold the '" + DEFAULT_PLAN + "' plan, every new tenant's plan");
        }
        return new PlanCatalogue(text(root, "currency", source), text(root, "period", source), plans, channels);
    }

    private static String text(JsonNode node, String field, String source) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw bad(source, "'" + field + "' must be a non-empty string in " + node);
        }
        return v.asText();
    }

    private static long amount(JsonNode node, String field, String source) {
        JsonNode v = node.get(field);
        if (v == null || !v.canConvertToLong() || !v.isIntegralNumber() || v.asLong() < 0) {
            throw bad(source, "'" + field + "' must be a whole number >= 0 in " + node);
        }
        return v.asLong();
    }

    private static IllegalStateException bad(String source, String problem) {
        return new IllegalStateException("plan catalogue " + source + ": " + problem);
    }

    public Optional<Plan> plan(String id) {
        return Optional.ofNullable(plans.get(id));
    }

    public List<String> planIds() {
        return List.copyOf(plans.keySet());
    }

    /** The channels a plan may use, in catalogue order. */
    public List<Channel> channels(Plan plan) {
        return plan.supportChannels().stream().map(channels::get).toList();
    }

    /** ISO 4217, e.g. "USD". */
    public String currency() {
        return currency;
    }

    /** "MONTHLY": a calendar month in the tenant's time zone. */
    public String period() {
        return period;
    }
}
