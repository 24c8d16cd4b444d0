package dev.govcon.server.activity.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.govcon.proto.v1.Actor;
import dev.govcon.proto.v1.CostSource;
import dev.govcon.proto.v1.CreateTenantRequest;
import dev.govcon.proto.v1.CreateTenantResponse;
import dev.govcon.proto.v1.ListModelPricesRequest;
import dev.govcon.proto.v1.ListModelPricesResponse;
import dev.govcon.proto.v1.ModelPrice;
import dev.govcon.proto.v1.PriceSource;
import dev.govcon.proto.v1.Role;
import dev.govcon.proto.v1.UpsertModelPriceRequest;
import dev.govcon.proto.v1.UpsertModelPriceResponse;
import dev.govcon.server.audit.AuditMapper;
import dev.govcon.server.audit.AuditRow;
import dev.govcon.server.auth.Principal;
import dev.govcon.server.db.ChangeListener;
import dev.govcon.server.db.Database;
import dev.govcon.server.tenancy.TenantProvisioner;
import dev.govcon.server.testing.TestDatabase;
import dev.govcon.server.wire.Times;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * Costs from the shipped table against hand-computed values, tenant overrides and their
 * invalidation across "replicas" (two price books, the second hearing only NOTIFY), the
 * effective table's paging, and upsert validation and auditing. Real PostgreSQL.
 */
class PriceBookTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static Database db;
    static ChangeListener changes;
    /** The replica the writes go through. */
    static PriceBook book;
    /** Another replica: learns of writes only by the database's notifications. */
    static PriceBook replica;

    @BeforeAll
    static void start() {
        db = TestDatabase.shared();
        book = new PriceBook(db);
        replica = new PriceBook(db);
        changes = new ChangeListener(db);
        changes.subscribe(book::onChange);
        changes.subscribe(replica::onChange);
        changes.start();
    }

    @AfterAll
    static void stop() {
        changes.close();
    }

    record Tenant(UUID id, Principal admin) {
    }

    static Tenant newTenant(String name) {
        String unique = name + " " + UUID.randomUUID().toString().substring(0, 8);
        CreateTenantResponse created = new TenantProvisioner(db).create(
                CreateTenantRequest.newBuilder().setName(unique)
                        .setOwnerEmail("owner@" + unique.toLowerCase().replaceAll("[^a-z0-9]", "") + ".example")
                        .build(),
                Actor.newBuilder().setType(Actor.Type.SYSTEM).setId("test").build());
        UUID tenantId = UUID.fromString(created.getTenantId());
        return new Tenant(tenantId, new Principal(tenantId, UUID.randomUUID(), "pricing test", Role.ADMIN,
                                                  UUID.fromString(created.getOwnerUserId()), "owner@pricing.example"));
    }

    static TokenCounts tokens(long input, long output, long cachedInput, long cacheWrite, long reasoning) {
        return new TokenCounts(input, output, cachedInput, cacheWrite, reasoning);
    }

    static Priced price(PriceBook b, UUID tenant, String provider, String model, TokenCounts t) {
        return b.price(tenant, provider, model, t);
    }

    static Priced poll(Supplier<Priced> read, CostSource until) throws InterruptedException {
        long deadline = System.nanoTime() + 2_000_000_000L;
        Priced p = read.get();
        while (p.source() != until && System.nanoTime() < deadline) {
            Thread.sleep(20);
            p = read.get();
        }
        return p;
    }

    static List<AuditRow> audit(UUID tenant) {
        return db.read(s -> s.getMapper(AuditMapper.class).latest(tenant, 1000));
    }

    static List<ModelPrice> listAll(UUID tenant, ListModelPricesRequest.Builder req) {
        List<ModelPrice> all = new ArrayList<>();
        String token = "";
        do {
            ListModelPricesResponse page = book.list(tenant, req.setPageToken(token).build());
            all.addAll(page.getPricesList());
            token = page.getNextPageToken();
        } while (!token.isEmpty());
        return all;
    }

    static ModelPrice.Builder price(String provider, String model, long input, long output) {
        return ModelPrice.newBuilder().setProvider(provider).setModel(model)
                .setInputMicrosPerMtok(input).setOutputMicrosPerMtok(output);
    }

    static UpsertModelPriceResponse upsert(Tenant t, ModelPrice.Builder p) {
        return book.upsert(t.admin(), UpsertModelPriceRequest.newBuilder().setPrice(p).build());
    }

    // ---------------------------------------------------------------------------------------

    @Test
    void shippedTableIsDatedMicroDollarsPerMillionTokens() throws Exception {
        JsonNode resource = JSON.readTree(PriceBook.class.getResourceAsStream(PriceBook.SHIPPED_RESOURCE));
        assertThat(resource.get("effective_date").asText()).isEqualTo("2026-07-24");
        assertThat(resource.get("source").asText()).contains("model-prices.json");

        UUID tenant = newTenant("Shipped").id();
        List<ModelPrice> all = listAll(tenant, ListModelPricesRequest.newBuilder().setPageSize(1000));
        assertThat(all).hasSize(resource.get("models").size()).hasSizeGreaterThan(150);
        assertThat(all).allSatisfy(p -> {
            assertThat(p.getSource()).isEqualTo(PriceSource.PRICE_SOURCE_DEFAULT);
            assertThat(Times.instant(p.getEffectiveAt())).isEqualTo(Instant.parse("2026-07-24T00:00:00Z"));
        });
        ModelPrice gpt4o = all.stream().filter(p -> p.getModel().equals("gpt-4o")).findFirst().orElseThrow();
        // 2.5e-06 USD/token = 2,500,000 µ$ per million tokens.
        assertThat(gpt4o.getProvider()).isEqualTo("openai");
        assertThat(gpt4o.getInputMicrosPerMtok()).isEqualTo(2_500_000);
        assertThat(gpt4o.getOutputMicrosPerMtok()).isEqualTo(10_000_000);
        assertThat(gpt4o.getCachedInputMicrosPerMtok()).isEqualTo(1_250_000);
        assertThat(gpt4o.hasCacheWriteMicrosPerMtok()).isFalse();
        assertThat(gpt4o.hasReasoningMicrosPerMtok()).isFalse();
        ModelPrice sonnet = all.stream().filter(p -> p.getModel().equals("claude-sonnet-4-5")).findFirst().orElseThrow();
        assertThat(sonnet.getCacheWriteMicrosPerMtok()).isEqualTo(3_750_000);
        assertThat(sonnet.getCachedInputMicrosPerMtok()).isEqualTo(300_000);
        // Embeddings, images and audio are not chat models.
        assertThat(all).extracting(ModelPrice::getModel).noneMatch(m -> m.startsWith("text-embedding"));
    }

    @Test
    void eachTokenClassIsPricedAtItsOwnRate() {
        UUID tenant = newTenant("Classes").id();
        // gpt-4o: input 2.5, output 10, cached 1.25 $/Mtok; cache write and reasoning fall back.
        assertThat(price(book, tenant, "openai", "gpt-4o", tokens(1000, 0, 0, 0, 0)))
                .isEqualTo(new Priced(2_500, CostSource.COST_SOURCE_DEFAULT_PRICE));
        assertThat(price(book, tenant, "openai", "gpt-4o", tokens(0, 1000, 0, 0, 0)).costMicros()).isEqualTo(10_000);
        assertThat(price(book, tenant, "openai", "gpt-4o", tokens(0, 0, 1000, 0, 0)).costMicros()).isEqualTo(1_250);
        assertThat(price(book, tenant, "openai", "gpt-4o", tokens(0, 0, 0, 1000, 0)).costMicros()).isEqualTo(2_500);
        assertThat(price(book, tenant, "openai", "gpt-4o", tokens(0, 0, 0, 0, 1000)).costMicros()).isEqualTo(10_000);
        // 1000×2.5 + 500×10 + 2000×1.25 + 300×10 = 2500 + 5000 + 2500 + 3000
        assertThat(price(book, tenant, "openai", "gpt-4o", tokens(1000, 500, 2000, 0, 300)).costMicros())
                .isEqualTo(13_000);

        // claude-sonnet-4-5: input 3, output 15, cache read 0.30, cache write 3.75 $/Mtok.
        // 1234×3 + 567×15 + 10000×0.3 + 2000×3.75 + 100×15 = 3702 + 8505 + 3000 + 7500 + 1500
        assertThat(price(book, tenant, "anthropic", "claude-sonnet-4-5", tokens(1234, 567, 10_000, 2000, 100)))
                .isEqualTo(new Priced(24_207, CostSource.COST_SOURCE_DEFAULT_PRICE));
        // Cached tokens are not also charged as input: 10000 cached alone cost 3000, not 33000.
        assertThat(price(book, tenant, "anthropic", "claude-sonnet-4-5", tokens(0, 0, 10_000, 0, 0)).costMicros())
                .isEqualTo(3_000);
        assertThat(price(book, tenant, "anthropic", "claude-sonnet-4-5", tokens(0, 0, 0, 2000, 0)).costMicros())
                .isEqualTo(7_500);

        // gemini-2.5-flash has its own reasoning price (2.5 $/Mtok, = its output price).
        assertThat(price(book, tenant, "", "gemini-2.5-flash", tokens(0, 0, 0, 0, 1_000_000)).costMicros())
                .isEqualTo(2_500_000);
        assertThat(price(book, tenant, "openai", "gpt-4o", tokens(0, 0, 0, 0, 0)).costMicros()).isZero();
    }

    @Test
    void roundsHalfUpOnceAtTheEndAndNeverOverflows() {
        UUID tenant = newTenant("Rounding").id();
        // gpt-4o-mini: input 0.15, cached 0.075 $/Mtok = 0.15 and 0.075 µ$ per token.
        assertThat(price(book, tenant, "openai", "gpt-4o-mini", tokens(3, 0, 0, 0, 0)).costMicros()).isZero();   // 0.45
        assertThat(price(book, tenant, "openai", "gpt-4o-mini", tokens(4, 0, 0, 0, 0)).costMicros()).isEqualTo(1); // 0.6
        assertThat(price(book, tenant, "openai", "gpt-4o-mini", tokens(10, 0, 0, 0, 0)).costMicros()).isEqualTo(2); // 1.5
        // 3×0.15 + 1×0.075 = 0.525 → 1 (rounding each class first would give 0).
        assertThat(price(book, tenant, "openai", "gpt-4o-mini", tokens(3, 0, 1, 0, 0)).costMicros()).isEqualTo(1);
        // claude-3-haiku cache read 0.03 $/Mtok: 50 tokens = 1.5 µ$ → 2; 49 = 1.47 → 1.
        assertThat(price(book, tenant, "anthropic", "claude-3-haiku-20240307", tokens(0, 0, 50, 0, 0)).costMicros()).isEqualTo(2);
        assertThat(price(book, tenant, "anthropic", "claude-3-haiku-20240307", tokens(0, 0, 49, 0, 0)).costMicros()).isEqualTo(1);

        // gpt-4: 30 $/Mtok input. 10^15 tokens × 30,000,000 overflows a long; the cost does not.
        assertThat(price(book, tenant, "openai", "gpt-4", tokens(1_000_000_000_000_000L, 0, 0, 0, 0)).costMicros())
                .isEqualTo(30_000_000_000_000_000L);
        // Two products that each fit but whose sum does not.
        long big = 300_000_000_000_000L;  // × 30,000,000 = 9e21 > Long.MAX
        assertThat(price(book, tenant, "openai", "gpt-4", tokens(big, big, 0, 0, 0)).costMicros())
                .isEqualTo(big * 30 + big * 60);
        assertThat(price(book, tenant, "openai", "gpt-4", tokens(Long.MAX_VALUE, Long.MAX_VALUE, 0, 0, 0)).costMicros())
                .isEqualTo(Long.MAX_VALUE);  // saturates
        assertThatThrownBy(() -> price(book, tenant, "openai", "gpt-4", tokens(-1, 0, 0, 0, 0)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void modelMatchingIsCaseInsensitiveAndToleratesProviderPrefixes() {
        UUID tenant = newTenant("Matching").id();
        Priced expected = new Priced(2_500, CostSource.COST_SOURCE_DEFAULT_PRICE);
        TokenCounts t = tokens(1000, 0, 0, 0, 0);
        assertThat(price(book, tenant, "OpenAI", "GPT-4o", t)).isEqualTo(expected);
        assertThat(price(book, tenant, "", "openai/gpt-4o", t)).isEqualTo(expected);
        assertThat(price(book, tenant, null, " OpenAI/GPT-4o ", t)).isEqualTo(expected);
        assertThat(price(book, tenant, "openai", "openai/gpt-4o", t)).isEqualTo(expected);
        assertThat(price(book, tenant, "openrouter", "openrouter/openai/gpt-4o", t)).isEqualTo(expected);
        // Provider unmatched: the model alone decides.
        assertThat(price(book, tenant, "azure", "gpt-4o", t)).isEqualTo(expected);
        // Shipped under litellm's provider name, found by model alone with Google's.
        assertThat(price(book, tenant, "google", "gemini-2.5-pro", t).source())
                .isEqualTo(CostSource.COST_SOURCE_DEFAULT_PRICE);
    }

    @Test
    void unknownModelCostsZeroAndSaysSo() {
        UUID tenant = newTenant("Unknown").id();
        Priced unknown = new Priced(0, CostSource.COST_SOURCE_UNKNOWN);
        assertThat(price(book, tenant, "acme", "acme-llm-9000", tokens(1000, 1000, 0, 0, 0))).isEqualTo(unknown);
        assertThat(price(book, tenant, "openai", "", tokens(1000, 0, 0, 0, 0))).isEqualTo(unknown);
        assertThat(price(book, tenant, "openai", null, tokens(1000, 0, 0, 0, 0))).isEqualTo(unknown);
        assertThat(price(book, tenant, "openai", "openai/", tokens(1000, 0, 0, 0, 0))).isEqualTo(unknown);
        // A zero-priced placeholder in the source is not a price.
        assertThat(price(book, tenant, "volcengine", "deepseek-v3-2-251201", tokens(1000, 0, 0, 0, 0))).isEqualTo(unknown);
    }

    @Test
    void tenantOverrideWinsEverywhereWithinASecondAndOnlyForThatTenant() throws Exception {
        Tenant acme = newTenant("Override");
        UUID other = newTenant("Bystander").id();
        TokenCounts t = tokens(1000, 1000, 1000, 0, 0);
        // Both replicas have cached "no overrides" for acme before the write.
        assertThat(price(replica, acme.id(), "openai", "gpt-4o", t).source()).isEqualTo(CostSource.COST_SOURCE_DEFAULT_PRICE);
        assertThat(price(book, acme.id(), "openai", "gpt-4o", t).source()).isEqualTo(CostSource.COST_SOURCE_DEFAULT_PRICE);

        // 1 $/Mtok input, 2 $/Mtok output, no cached price (so cached falls back to 1, not 1.25).
        upsert(acme, price("OpenAI", "GPT-4o", 1_000_000, 2_000_000));
        Priced expected = new Priced(1_000 + 2_000 + 1_000, CostSource.COST_SOURCE_TENANT_PRICE);
        assertThat(price(book, acme.id(), "openai", "gpt-4o", t)).isEqualTo(expected);  // its own write, at once
        long started = System.nanoTime();
        assertThat(poll(() -> price(replica, acme.id(), "openai", "gpt-4o", t), CostSource.COST_SOURCE_TENANT_PRICE))
                .isEqualTo(expected);
        assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(1000);
        assertThat(price(replica, acme.id(), "", "openai/gpt-4o", t)).isEqualTo(expected);
        assertThat(price(replica, acme.id(), "azure", "gpt-4o", t)).isEqualTo(expected);
        // Models it did not override keep the shipped prices.
        assertThat(price(replica, acme.id(), "openai", "gpt-4o-mini", t).source())
                .isEqualTo(CostSource.COST_SOURCE_DEFAULT_PRICE);
        // The other tenant is untouched, on both replicas.
        assertThat(price(replica, other, "openai", "gpt-4o", t))
                .isEqualTo(new Priced(2_500 + 10_000 + 1_250, CostSource.COST_SOURCE_DEFAULT_PRICE));
        assertThat(price(book, other, "openai", "gpt-4o", t).source()).isEqualTo(CostSource.COST_SOURCE_DEFAULT_PRICE);

        // A tenant price for a model nobody ships.
        upsert(acme, price("acme", "acme-llm", 5_000_000, 5_000_000).setCachedInputMicrosPerMtok(0)
                .setReasoningMicrosPerMtok(7_000_000));
        assertThat(poll(() -> price(replica, acme.id(), "", "ACME-LLM", tokens(1000, 0, 1000, 0, 1000)),
                        CostSource.COST_SOURCE_TENANT_PRICE))
                .isEqualTo(new Priced(5_000 + 0 + 7_000, CostSource.COST_SOURCE_TENANT_PRICE));
        assertThat(price(replica, other, "", "acme-llm", t).source()).isEqualTo(CostSource.COST_SOURCE_UNKNOWN);

        // Changes made behind the server's back (update, then delete) reach the replica too.
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE model_prices SET input_micros_per_mtok = 4000000 WHERE tenant_id = '"
                             + acme.id() + "' AND model = 'gpt-4o'");
            c.commit();
        }
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (price(replica, acme.id(), "openai", "gpt-4o", tokens(1000, 0, 0, 0, 0)).costMicros() != 4_000
               && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(price(replica, acme.id(), "openai", "gpt-4o", tokens(1000, 0, 0, 0, 0)))
                .isEqualTo(new Priced(4_000, CostSource.COST_SOURCE_TENANT_PRICE));
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("DELETE FROM model_prices WHERE tenant_id = '" + acme.id() + "' AND model = 'gpt-4o'");
            c.commit();
        }
        assertThat(poll(() -> price(replica, acme.id(), "openai", "gpt-4o", t), CostSource.COST_SOURCE_DEFAULT_PRICE))
                .isEqualTo(new Priced(2_500 + 10_000 + 1_250, CostSource.COST_SOURCE_DEFAULT_PRICE));
    }

    @Test
    void upsertCreatesThenReplacesAndAuditsBeforeAndAfter() throws Exception {
        Tenant t = newTenant("Audited");
        UpsertModelPriceResponse first = upsert(t, price("anthropic", "claude-sonnet-4-5", 2_000_000, 9_000_000)
                .setCacheWriteMicrosPerMtok(2_500_000)
                .setEffectiveAt(Times.ts(Instant.parse("2026-08-01T00:00:00Z"))));
        assertThat(first.getCreated()).isTrue();
        assertThat(first.getPrice().getSource()).isEqualTo(PriceSource.PRICE_SOURCE_TENANT);
        assertThat(first.getPrice().getCacheWriteMicrosPerMtok()).isEqualTo(2_500_000);
        assertThat(first.getPrice().hasCachedInputMicrosPerMtok()).isFalse();
        assertThat(Times.instant(first.getPrice().getEffectiveAt())).isEqualTo(Instant.parse("2026-08-01T00:00:00Z"));
        assertThat(first.getPrice().hasUpdatedAt()).isTrue();

        UpsertModelPriceResponse second = upsert(t, price("Anthropic", "Claude-Sonnet-4-5", 2_200_000, 9_000_000));
        assertThat(second.getCreated()).isFalse();
        assertThat(second.getPrice().hasCacheWriteMicrosPerMtok()).isFalse();  // replaced, not merged
        assertThat(second.getPrice().getModel()).isEqualTo("claude-sonnet-4-5");

        List<AuditRow> rows = audit(t.id());
        assertThat(rows).extracting(AuditRow::action).startsWith("model_price.upserted", "model_price.upserted");
        AuditRow created = rows.get(1);
        AuditRow replaced = rows.get(0);
        assertThat(created.resourceType()).isEqualTo("model_price");
        assertThat(created.resourceId()).isEqualTo("anthropic/claude-sonnet-4-5");
        assertThat(created.actorType()).isEqualTo("USER");
        assertThat(created.beforeState()).isNull();
        assertThat(JSON.readTree(created.afterState()).get("input_micros_per_mtok").asLong()).isEqualTo(2_000_000);
        assertThat(JSON.readTree(replaced.beforeState()).get("input_micros_per_mtok").asLong()).isEqualTo(2_000_000);
        assertThat(JSON.readTree(replaced.afterState()).get("input_micros_per_mtok").asLong()).isEqualTo(2_200_000);

        // The effective table shows the override first, once, and not the shipped entry it replaces.
        List<ModelPrice> all = listAll(t.id(), ListModelPricesRequest.newBuilder().setPageSize(1000));
        assertThat(all.get(0).getSource()).isEqualTo(PriceSource.PRICE_SOURCE_TENANT);
        assertThat(all).filteredOn(p -> p.getModel().equals("claude-sonnet-4-5")).hasSize(1);
        assertThat(listAll(t.id(), ListModelPricesRequest.newBuilder().setTenantOnly(true)))
                .extracting(ModelPrice::getModel).containsExactly("claude-sonnet-4-5");
    }

    @Test
    void badUpsertIsInvalidArgumentNamingTheFieldAndWritesNothing() {
        Tenant t = newTenant("Bad Input");
        int auditBefore = audit(t.id()).size();
        expectInvalid(t, UpsertModelPriceRequest.newBuilder().build(), "price");
        expectInvalid(t, req(price("openai", "", 1, 1)), "price.model");
        expectInvalid(t, req(price("openai", "   ", 1, 1)), "price.model");
        expectInvalid(t, req(price("", "gpt-4o", 1, 1)), "price.provider");
        expectInvalid(t, req(price("openai", "x".repeat(201), 1, 1)), "price.model");
        expectInvalid(t, req(price("openai", "gpt-4o", -1, 1)), "price.input_micros_per_mtok");
        expectInvalid(t, req(price("openai", "gpt-4o", 1, -1)), "price.output_micros_per_mtok");
        expectInvalid(t, req(price("openai", "gpt-4o", 1_000_000_000_001L, 1)), "price.input_micros_per_mtok");
        expectInvalid(t, req(price("openai", "gpt-4o", 1, 1).setCachedInputMicrosPerMtok(-5)),
                      "price.cached_input_micros_per_mtok");
        expectInvalid(t, req(price("openai", "gpt-4o", 1, 1).setCacheWriteMicrosPerMtok(-5)),
                      "price.cache_write_micros_per_mtok");
        expectInvalid(t, req(price("openai", "gpt-4o", 1, 1).setReasoningMicrosPerMtok(-5)),
                      "price.reasoning_micros_per_mtok");
        expectInvalid(t, req(price("openai", "gpt-4o", 1, 1)
                .setEffectiveAt(com.google.protobuf.Timestamp.newBuilder().setNanos(-1))), "price.effective_at");

        assertThat(book.list(t.id(), ListModelPricesRequest.newBuilder().setTenantOnly(true).build()).getPricesList())
                .isEmpty();
        int rows = db.read(s -> s.getMapper(ModelPriceMapper.class).listForTenant(t.id())).size();
        assertThat(rows).isZero();
        assertThat(audit(t.id())).hasSize(auditBefore);
        assertThat(price(book, t.id(), "openai", "gpt-4o", tokens(1, 0, 0, 0, 0)).source())
                .isEqualTo(CostSource.COST_SOURCE_DEFAULT_PRICE);
    }

    static UpsertModelPriceRequest req(ModelPrice.Builder p) {
        return UpsertModelPriceRequest.newBuilder().setPrice(p).build();
    }

    static void expectInvalid(Tenant t, UpsertModelPriceRequest req, String field) {
        assertThatThrownBy(() -> book.upsert(t.admin(), req))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).startsWith(field + ": ");
                });
    }

    @Test
    void listPagesTheEffectiveTableWithFilters() {
        Tenant t = newTenant("Paging");
        upsert(t, price("zeta", "zeta-1", 1, 1));
        upsert(t, price("openai", "gpt-4o", 1, 1));

        List<ModelPrice> one = listAll(t.id(), ListModelPricesRequest.newBuilder().setPageSize(1000));
        List<ModelPrice> paged = listAll(t.id(), ListModelPricesRequest.newBuilder().setPageSize(37));
        assertThat(paged).isEqualTo(one);
        assertThat(one).extracting(ModelPrice::getModel).startsWith("gpt-4o", "zeta-1");
        assertThat(one.subList(2, one.size())).allMatch(p -> p.getSource() == PriceSource.PRICE_SOURCE_DEFAULT);
        Set<String> keys = new HashSet<>();
        assertThat(one).allMatch(p -> keys.add(p.getProvider() + "/" + p.getModel()));  // no duplicates

        ListModelPricesResponse first = book.list(t.id(), ListModelPricesRequest.getDefaultInstance());
        assertThat(first.getPricesCount()).isEqualTo(50);
        assertThat(first.getNextPageToken()).isNotEmpty();

        assertThat(listAll(t.id(), ListModelPricesRequest.newBuilder().setProvider("OpenAI")))
                .allMatch(p -> p.getProvider().equals("openai")).hasSizeGreaterThan(50);
        assertThat(listAll(t.id(), ListModelPricesRequest.newBuilder().setModel("gpt-4o")))
                .singleElement().satisfies(p -> assertThat(p.getSource()).isEqualTo(PriceSource.PRICE_SOURCE_TENANT));
        assertThat(listAll(t.id(), ListModelPricesRequest.newBuilder().setModel("claude-sonnet-4-5")))
                .singleElement().satisfies(p -> assertThat(p.getSource()).isEqualTo(PriceSource.PRICE_SOURCE_DEFAULT));
        assertThat(listAll(t.id(), ListModelPricesRequest.newBuilder().setTenantOnly(true).setPageSize(1)))
                .extracting(ModelPrice::getModel).containsExactly("gpt-4o", "zeta-1");
        // Another tenant sees none of them.
        assertThat(listAll(newTenant("Paging Other").id(), ListModelPricesRequest.newBuilder().setTenantOnly(true)))
                .isEmpty();

        for (int bad : new int[] {-1, 1001}) {
            assertThatThrownBy(() -> book.list(t.id(), ListModelPricesRequest.newBuilder().setPageSize(bad).build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getDescription()).startsWith("page_size: "));
        }
        assertThatThrownBy(() -> book.list(t.id(), ListModelPricesRequest.newBuilder().setPageToken("nonsense").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getDescription()).startsWith("page_token: "));
        // A token is only good with the filters it was issued for.
        assertThatThrownBy(() -> book.list(t.id(), ListModelPricesRequest.newBuilder().setProvider("openai")
                        .setPageToken(first.getNextPageToken()).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getDescription()).startsWith("page_token: "));
    }
}
