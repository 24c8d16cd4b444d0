package dev.govcon.server.guard;

import java.time.Duration;
import java.time.ZoneId;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;

import dev.govcon.proto.v1.ControlAction;
import dev.govcon.proto.v1.LimitKind;
import dev.govcon.proto.v1.RuleType;
import dev.govcon.server.db.Database;
import dev.govcon.server.policies.ControlScope;

/**
 * Every tenant's active controls, in memory, so that a guard check makes no database round
 * trip. The rules and limits tables notify {@code policies:<tenant>} on commit (V5), and the
 * {@link dev.govcon.server.db.ChangeListener} hands that here, so a change made on any
 * replica takes effect on the next check everywhere. The time-based expiry only bounds how
 * stale a tenant's time zone can get, which changes without a notification.
 */
final class ControlsCache {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {};

    private final Database database;
    private final LoadingCache<UUID, TenantControls> cache;

    ControlsCache(Database database) {
        this.database = database;
        this.cache = Caffeine.newBuilder()
                .maximumSize(100_000)
                .expireAfterWrite(Duration.ofMinutes(5))
                .build(this::load);
    }

    TenantControls of(UUID tenantId) {
        return cache.get(tenantId);
    }

    /** ChangeListener payloads: {@code policies:<tenant id>}, or {@code *} for everything. */
    void onChange(String payload) {
        if (payload.equals("*")) {
            cache.invalidateAll();
        } else if (payload.startsWith("policies:")) {
            cache.invalidate(UUID.fromString(payload.substring("policies:".length())));
        }
    }

    private TenantControls load(UUID tenantId) {
        return database.read(s -> {
            GuardMapper mapper = s.getMapper(GuardMapper.class);
            String zone = mapper.tenantTimeZone(tenantId);
            List<GuardRule> rules = mapper.activeRules(tenantId).stream().map(ControlsCache::rule).toList();
            List<GuardLimit> limits = mapper.activeLimits(tenantId).stream().map(ControlsCache::limit).toList();
            return new TenantControls(ZoneId.of(zone == null ? "UTC" : zone), rules, limits);
        });
    }

    private static GuardRule rule(GuardMapper.RuleRow r) {
        return new GuardRule(r.ruleId(), r.name(), RuleType.valueOf("RULE_TYPE_" + r.ruleType()),
                "ADVISORY".equals(r.enforcement()),
                new ControlScope(r.scopeFeature(), r.scopeModel(), r.scopeEndUser(), r.scopeApiKeyId(),
                                 r.scopeProvider(), r.scopeEnvironment()),
                ControlAction.valueOf(r.action()), new LinkedHashSet<>(strings(r.modelsJson())),
                new LinkedHashSet<>(strings(r.providersJson())), r.maxTokens(), strings(r.requiredKeysJson()),
                stringMap(r.requiredMetadata()));
    }

    private static GuardLimit limit(GuardMapper.LimitRow r) {
        return new GuardLimit(r.limitId(), r.name(), LimitKind.valueOf("LIMIT_KIND_" + r.limitKind()), r.amount(),
                r.warnAtRatio(),
                new ControlScope(r.scopeFeature(), r.scopeModel(), r.scopeEndUser(), r.scopeApiKeyId(),
                                 r.scopeProvider(), r.scopeEnvironment()),
                ControlAction.valueOf(r.action()));
    }

    private static List<String> strings(String json) {
        try {
            return json == null ? List.of() : JSON.readValue(json, STRINGS);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("unreadable text[] from policy_rules", e);
        }
    }

    private static Map<String, String> stringMap(String json) {
        try {
            return json == null ? Map.of() : JSON.readValue(json, STRING_MAP);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("unreadable required_metadata from policy_rules", e);
        }
    }
}
