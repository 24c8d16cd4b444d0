package dev.govcon.server.activity.pricing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.protobuf.Timestamp;

import dev.govcon.proto.v1.CostSource;
import dev.govcon.proto.v1.ListModelPricesRequest;
import dev.govcon.proto.v1.ListModelPricesResponse;
import dev.govcon.proto.v1.ModelPrice;
import dev.govcon.proto.v1.PriceSource;
import dev.govcon.proto.v1.UpsertModelPriceRequest;
import dev.govcon.proto.v1.UpsertModelPriceResponse;
import dev.govcon.server.audit.AuditLedger;
import dev.govcon.server.auth.Principal;
import dev.govcon.server.db.Database;
import dev.govcon.server.errors.Errors;
import dev.govcon.server.errors.Validate;
import dev.govcon.server.paging.Page;
import dev.govcon.server.wire.Times;

/**
 * Model prices: the shipped table (a dated classpath resource, {@value #SHIPPED_RESOURCE},
 * derived from {@code data/model-prices.json} by {@code tools/convert-model-prices.py}) and
 * each tenant's overrides ({@code model_prices}). Prices are integer micro-dollars per
 * million tokens for five disjoint token classes; an absent cached-input or cache-write price
 * falls back to the input price, an absent reasoning price to the output price.
 *
 * <p><b>Cost.</b> The sum over the five classes of tokens × rate / 1,000,000, computed
 * exactly (128-bit where a product or the sum would overflow a long) and rounded half-up
 * once at the end, in micro-dollars. A cost beyond {@code Long.MAX_VALUE} saturates there.
 *
 * <p><b>Matching rule.</b> Provider and model are trimmed and compared case-insensitively
 * (lower-cased, {@code Locale.ROOT}). A model written {@code "<prefix>/<name>"} (e.g.
 * {@code "openai/gpt-4o"}, {@code "openrouter/openai/gpt-4o"}) is tried as written first, then
 * as its bare name (after the last '/'). The tenant's overrides are searched first, and only
 * when none matches, the shipped table, each in this order:
 * <ol>
 *   <li>(provider, model), then (provider, bare name) — when a provider is given;</li>
 *   <li>(prefix, bare name), the prefix being the model's part before its first '/' — so
 *       {@code "openai/gpt-4o"} with no provider finds openai's gpt-4o;</li>
 *   <li>the model alone, then the bare name alone, whatever the provider — when the provider
 *       is empty or did not match. If several providers list that model, the first in
 *       (provider, model) order wins.</li>
 * </ol>
 * So a tenant's override of a model under any provider wins over the shipped price of that
 * model under the caller's provider. No match anywhere: cost 0, {@code COST_SOURCE_UNKNOWN}.
 *
 * <p><b>Hot path.</b> {@link #price} makes no database round trip in the common case: each
 * tenant's overrides are cached (tenants without any share one empty table) and dropped on
 * every replica by the {@code model_prices:<tenant>} notification the table's trigger sends
 * on commit (subscribe {@link #onChange} to the {@code ChangeListener}). It allocates only the
 * returned {@link Priced}, plus the substrings of a model name containing '/'.
 */
public final class PriceBook {
    static final String SHIPPED_RESOURCE = "/dev/govcon/server/activity/pricing/model-prices.json";
    /** 1 USD per token: anything above is surely a unit mistake. */
    static final long MAX_RATE = 1_000_000_000_000L;
    static final int MAX_NAME = 200;
    /** A safety net only: notifications normally drop entries long before this. */
    private static final Duration MAX_CACHE_AGE = Duration.ofMinutes(10);
    private static final long PER_MTOK = 1_000_000L;
    private static final long HALF = PER_MTOK / 2;
    private static final Priced UNKNOWN = new Priced(0, CostSource.COST_SOURCE_UNKNOWN);
    private static final BigInteger BIG_PER_MTOK = BigInteger.valueOf(PER_MTOK);
    private static final BigInteger BIG_HALF = BigInteger.valueOf(HALF);
    private static final BigInteger BIG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private final Database database;
    private final PriceTable shipped;
    private final LocalDate shippedDate;
    private final Cache<UUID, PriceTable> tenants = Caffeine.newBuilder()
            .maximumSize(100_000)
            .expireAfterWrite(MAX_CACHE_AGE)
            .build();
    private final Function<UUID, PriceTable> loader = this::loadTenant;

    /** Loads the shipped table once; a missing or malformed table fails here, at start. */
    public PriceBook(Database db) {
        this.database = db;
        try (InputStream in = PriceBook.class.getResourceAsStream(SHIPPED_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + SHIPPED_RESOURCE);
            }
            JsonNode root = new ObjectMapper().readTree(in);
            this.shippedDate = LocalDate.parse(root.path("effective_date").asText());
            this.shipped = new PriceTable(parseShipped(root, shippedDate), CostSource.COST_SOURCE_DEFAULT_PRICE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + SHIPPED_RESOURCE, e);
        }
    }

    private static List<ModelPrice> parseShipped(JsonNode root, LocalDate date) {
        Timestamp effective = Times.ts(date.atStartOfDay(ZoneOffset.UTC).toInstant());
        List<ModelPrice> out = new ArrayList<>();
        for (JsonNode m : root.path("models")) {
            ModelPrice.Builder b = ModelPrice.newBuilder()
                    .setProvider(norm(m.path("provider").asText("")))
                    .setModel(norm(m.path("model").asText("")))
                    .setInputMicrosPerMtok(shippedRate(m, "input_micros_per_mtok"))
                    .setOutputMicrosPerMtok(shippedRate(m, "output_micros_per_mtok"))
                    .setSource(PriceSource.PRICE_SOURCE_DEFAULT)
                    .setEffectiveAt(effective);
            if (present(m, "cached_input_micros_per_mtok")) {
                b.setCachedInputMicrosPerMtok(shippedRate(m, "cached_input_micros_per_mtok"));
            }
            if (present(m, "cache_write_micros_per_mtok")) {
                b.setCacheWriteMicrosPerMtok(shippedRate(m, "cache_write_micros_per_mtok"));
            }
            if (present(m, "reasoning_micros_per_mtok")) {
                b.setReasoningMicrosPerMtok(shippedRate(m, "reasoning_micros_per_mtok"));
            }
            if (b.getProvider().isEmpty() || b.getModel().isEmpty()) {
                throw new IllegalStateException(SHIPPED_RESOURCE + ": an entry without provider or model");
            }
            out.add(b.build());
        }
        if (out.isEmpty()) {
            throw new IllegalStateException(SHIPPED_RESOURCE + ": no models");
        }
        out.sort(ORDER);
        return out;
    }

    private static boolean present(JsonNode m, String field) {
        return m.has(field) && !m.get(field).isNull();
    }

    private static long shippedRate(JsonNode m, String field) {
        JsonNode v = m.get(field);
        if (v == null || !v.canConvertToLong() || !v.isIntegralNumber() || v.asLong() < 0) {
            throw new IllegalStateException(SHIPPED_RESOURCE + ": " + m.path("model").asText() + "." + field
                                            + " is not a non-negative integer");
        }
        return v.asLong();
    }

    private static final Comparator<ModelPrice> ORDER =
            Comparator.comparing(ModelPrice::getProvider).thenComparing(ModelPrice::getModel);

    // ---------------------------------------------------------------------------------------
    // The hot path

    /** No database round trip on the hot path: tenant overrides cached per tenant. */
    public Priced price(UUID tenantId, String provider, String model, TokenCounts tokens) {
        String m = norm(model);
        if (m.isEmpty()) {
            return UNKNOWN;
        }
        String p = norm(provider);
        String prefix = null;
        String bare = null;
        int last = m.lastIndexOf('/');
        if (last >= 0) {
            int first = m.indexOf('/');
            bare = last + 1 < m.length() ? m.substring(last + 1) : null;
            prefix = bare != null && first > 0 ? m.substring(0, first) : null;
        }
        PriceTable.Rates rates = null;
        if (tenantId != null) {
            PriceTable own = tenants.get(tenantId, loader);
            if (!own.isEmpty()) {
                rates = own.find(p, m, prefix, bare);
            }
        }
        if (rates == null) {
            rates = shipped.find(p, m, prefix, bare);
        }
        if (rates == null) {
            return UNKNOWN;
        }
        return new Priced(cost(tokens, rates), rates.source);
    }

    static long cost(TokenCounts t, PriceTable.Rates r) {
        if ((t.input() | t.output() | t.cachedInput() | t.cacheWrite() | t.reasoning()) < 0) {
            throw new IllegalArgumentException("token counts must not be negative: " + t);
        }
        long s = addProduct(0, t.input(), r.input);
        s = addProduct(s, t.output(), r.output);
        s = addProduct(s, t.cachedInput(), r.cachedInput);
        s = addProduct(s, t.cacheWrite(), r.cacheWrite);
        s = addProduct(s, t.reasoning(), r.reasoning);
        if (s >= 0 && s <= Long.MAX_VALUE - HALF) {
            return (s + HALF) / PER_MTOK;
        }
        return exactCost(t, r);
    }

    /** {@code sum + x*y} for non-negative operands, or -1 when it does not fit in a long. */
    private static long addProduct(long sum, long x, long y) {
        if (sum < 0) {
            return -1;
        }
        if (x == 0 || y == 0) {
            return sum;
        }
        long product = x * y;
        if (Math.multiplyHigh(x, y) != 0 || product < 0) {
            return -1;
        }
        long next = sum + product;
        return next < 0 ? -1 : next;
    }

    private static long exactCost(TokenCounts t, PriceTable.Rates r) {
        BigInteger s = BigInteger.valueOf(t.input()).multiply(BigInteger.valueOf(r.input))
                .add(BigInteger.valueOf(t.output()).multiply(BigInteger.valueOf(r.output)))
                .add(BigInteger.valueOf(t.cachedInput()).multiply(BigInteger.valueOf(r.cachedInput)))
                .add(BigInteger.valueOf(t.cacheWrite()).multiply(BigInteger.valueOf(r.cacheWrite)))
                .add(BigInteger.valueOf(t.reasoning()).multiply(BigInteger.valueOf(r.reasoning)));
        BigInteger micros = s.add(BIG_HALF).divide(BIG_PER_MTOK);
        return micros.compareTo(BIG_MAX) > 0 ? Long.MAX_VALUE : micros.longValueExact();
    }

    private PriceTable loadTenant(UUID tenantId) {
        List<ModelPriceRow> rows = database.read(s -> s.getMapper(ModelPriceMapper.class).listForTenant(tenantId));
        if (rows.isEmpty()) {
            return PriceTable.EMPTY;
        }
        List<ModelPrice> prices = new ArrayList<>(rows.size());
        for (ModelPriceRow row : rows) {
            prices.add(toProto(row));
        }
        prices.sort(ORDER);
        return new PriceTable(prices, CostSource.COST_SOURCE_TENANT_PRICE);
    }

    private PriceTable tenantTable(UUID tenantId) {
        return tenants.get(tenantId, loader);
    }

    /** Subscriber for {@code ChangeListener}: {@code model_prices:<tenant>} or {@code *}. */
    public void onChange(String payload) {
        if ("*".equals(payload)) {
            tenants.invalidateAll();
        } else if (payload != null && payload.startsWith("model_prices:")) {
            try {
                tenants.invalidate(UUID.fromString(payload.substring("model_prices:".length())));
            } catch (IllegalArgumentException e) {
                tenants.invalidateAll();  // not ours to interpret; be safe
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // Read and upsert

    /**
     * The effective table: the tenant's overrides (by provider, model), then the shipped
     * entries they do not override (same provider and model). Page tokens are offsets into
     * that list (opaque to callers, tied to the filters): the shipped table is static, so only
     * a concurrent change of the tenant's own overrides can shift a page by a row.
     */
    public ListModelPricesResponse list(UUID tenantId, ListModelPricesRequest req) {
        int size = Page.size(req.getPageSize());
        String provider = norm(Validate.optional("provider", req.getProvider(), MAX_NAME));
        String model = norm(Validate.optional("model", req.getModel(), MAX_NAME));
        String filters = provider + '\u0000' + model + '\u0000' + req.getTenantOnly();
        int offset = decodeToken(req.getPageToken(), filters);

        PriceTable own = tenantTable(tenantId);
        ListModelPricesResponse.Builder out = ListModelPricesResponse.newBuilder();
        int index = 0;
        boolean more = false;
        List<List<ModelPrice>> parts = req.getTenantOnly() ? List.of(own.entries)
                                                          : List.of(own.entries, shipped.entries);
        outer:
        for (List<ModelPrice> part : parts) {
            boolean isShipped = part == shipped.entries;
            for (ModelPrice p : part) {
                if ((!provider.isEmpty() && !provider.equals(p.getProvider()))
                    || (!model.isEmpty() && !model.equals(p.getModel()))
                    || (isShipped && own.contains(p.getProvider(), p.getModel()))) {
                    continue;
                }
                if (index++ < offset) {
                    continue;
                }
                if (out.getPricesCount() == size) {
                    more = true;
                    break outer;
                }
                out.addPrices(p);
            }
        }
        if (more) {
            out.setNextPageToken(encodeToken(offset + size, filters));
        }
        return out.build();
    }

    /** Validates (400 naming the field), writes, and audits {@code model_price.upserted}. */
    public UpsertModelPriceResponse upsert(Principal caller, UpsertModelPriceRequest req) {
        if (!req.hasPrice()) {
            throw Errors.invalid("price", "is required");
        }
        ModelPrice in = req.getPrice();
        String provider = norm(Validate.required("price.provider", in.getProvider(), MAX_NAME));
        String model = norm(Validate.required("price.model", in.getModel(), MAX_NAME));
        long input = rate("price.input_micros_per_mtok", in.getInputMicrosPerMtok());
        long output = rate("price.output_micros_per_mtok", in.getOutputMicrosPerMtok());
        Long cached = in.hasCachedInputMicrosPerMtok()
                ? rate("price.cached_input_micros_per_mtok", in.getCachedInputMicrosPerMtok()) : null;
        Long cacheWrite = in.hasCacheWriteMicrosPerMtok()
                ? rate("price.cache_write_micros_per_mtok", in.getCacheWriteMicrosPerMtok()) : null;
        Long reasoning = in.hasReasoningMicrosPerMtok()
                ? rate("price.reasoning_micros_per_mtok", in.getReasoningMicrosPerMtok()) : null;
        Validate.enumValue("price.source", in.getSource(), false);
        Instant effectiveAt = null;
        if (in.hasEffectiveAt()) {
            if (!Times.valid(in.getEffectiveAt())) {
                throw Errors.invalid("price.effective_at", "is not a valid time");
            }
            effectiveAt = Times.instant(in.getEffectiveAt());
        }
        UUID tenantId = caller.tenantId();
        Instant effective = effectiveAt;
        UpsertModelPriceResponse response = database.inTransaction(s -> {
            ModelPriceMapper mapper = s.getMapper(ModelPriceMapper.class);
            ModelPriceRow before = mapper.lock(tenantId, provider, model);
            if (before == null && mapper.insertIfAbsent(tenantId, provider, model, input, output, cached,
                                                        cacheWrite, reasoning, effective) == 0) {
                before = mapper.lock(tenantId, provider, model);  // lost a race with another insert
            }
            if (before != null) {
                mapper.update(tenantId, provider, model, input, output, cached, cacheWrite, reasoning, effective);
            }
            ModelPrice after = toProto(mapper.lock(tenantId, provider, model));
            AuditLedger.record(s, tenantId, caller.actor(), "model_price.upserted", "model_price",
                               provider + "/" + model, before == null ? null : toProto(before), after);
            return UpsertModelPriceResponse.newBuilder().setPrice(after).setCreated(before == null).build();
        });
        tenants.invalidate(tenantId);  // this replica sees its own write at once; others by NOTIFY
        return response;
    }

    private static long rate(String field, long value) {
        if (value < 0) {
            throw Errors.invalid(field, "must not be negative");
        }
        if (value > MAX_RATE) {
            throw Errors.invalid(field, "must be at most " + MAX_RATE
                                        + " micro-dollars per million tokens (1 USD per token)");
        }
        return value;
    }

    private static ModelPrice toProto(ModelPriceRow row) {
        ModelPrice.Builder b = ModelPrice.newBuilder()
                .setProvider(row.provider())
                .setModel(row.model())
                .setInputMicrosPerMtok(row.inputMicrosPerMtok())
                .setOutputMicrosPerMtok(row.outputMicrosPerMtok())
                .setSource(PriceSource.PRICE_SOURCE_TENANT);
        if (row.cachedInputMicrosPerMtok() != null) {
            b.setCachedInputMicrosPerMtok(row.cachedInputMicrosPerMtok());
        }
        if (row.cacheWriteMicrosPerMtok() != null) {
            b.setCacheWriteMicrosPerMtok(row.cacheWriteMicrosPerMtok());
        }
        if (row.reasoningMicrosPerMtok() != null) {
            b.setReasoningMicrosPerMtok(row.reasoningMicrosPerMtok());
        }
        Times.setIfPresent(row.effectiveAt(), b::setEffectiveAt);
        Times.setIfPresent(row.updatedAt(), b::setUpdatedAt);
        return b.build();
    }

    /** Trimmed and lower-cased; allocates nothing when the name already is. */
    static String norm(String s) {
        return s == null ? "" : s.strip().toLowerCase(Locale.ROOT);
    }

    // Offset page tokens, tied to the filters they were issued for.

    private static String encodeToken(int offset, String filters) {
        String raw = "mp1|" + offset + "|" + Integer.toHexString(filters.hashCode());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    private static int decodeToken(String token, String filters) {
        if (token == null || token.isEmpty()) {
            return 0;
        }
        try {
            String raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            String[] p = raw.split("\\|");
            if (p.length != 3 || !p[0].equals("mp1") || !p[2].equals(Integer.toHexString(filters.hashCode()))) {
                throw new IllegalArgumentException();
            }
            int offset = Integer.parseInt(p[1]);
            if (offset < 0) {
                throw new IllegalArgumentException();
            }
            return offset;
        } catch (RuntimeException e) {
            throw Errors.invalid("page_token", "is not a token this list returned (for these filters)");
        }
    }
}
