package dev.govcon.server.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.govcon.server.db.Database;

/**
 * Turns a bearer secret into a {@link Principal} without a database round trip on the
 * common path: keys (and unknown prefixes) are cached per (tenant, prefix), and the
 * database's change notifications drop an entry on every replica as soon as its key is
 * created, revoked, rotated or changes role. Expiry is checked against the clock on every
 * call, so a rotated key's grace period ends on time without any notification.
 */
public final class ApiKeyAuthenticator {
    /** A safety net only: notifications normally drop entries long before this. */
    private static final Duration MAX_CACHE_AGE = Duration.ofMinutes(10);

    private final Database database;
    private final Clock clock;
    private final LastUsedRecorder lastUsed;
    private final Cache<String, Optional<ApiKeyRow>> cache = Caffeine.newBuilder()
            .maximumSize(100_000)
            .expireAfterWrite(MAX_CACHE_AGE)
            .build();

    public ApiKeyAuthenticator(Database database, Clock clock, LastUsedRecorder lastUsed) {
        this.database = database;
        this.clock = clock;
        this.lastUsed = lastUsed;
    }

    public Optional<Principal> authenticate(String secret) {
        Optional<Secrets.Parsed> parsed = Secrets.parse(Secrets.API_KEY_KIND, secret);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        Secrets.Parsed p = parsed.get();
        Optional<ApiKeyRow> row = cache.get(cacheKey(p.tenantId().toString(), p.prefix()),
                k -> Optional.ofNullable(database.read(
                        s -> s.getMapper(ApiKeyMapper.class).findByPrefix(p.tenantId(), p.prefix()))));
        if (row.isEmpty() || !Secrets.sameHash(row.get().keyHash(), p.hash())) {
            return Optional.empty();
        }
        ApiKeyRow key = row.get();
        Instant now = clock.instant();
        if (!key.activeAt(now)) {
            return Optional.empty();
        }
        lastUsed.record(key.tenantId(), key.keyId(), now);
        return Optional.of(new Principal(key.tenantId(), key.keyId(), key.name(), key.roleEnum(),
                                         key.userId(), key.userEmail()));
    }

    /** Subscriber for {@code ChangeListener}: {@code api_keys:<tenant>:<prefix>} or {@code *}. */
    public void onChange(String payload) {
        if ("*".equals(payload)) {
            cache.invalidateAll();
        } else if (payload.startsWith("api_keys:")) {
            String[] parts = payload.split(":", 3);
            if (parts.length == 3) {
                cache.invalidate(cacheKey(parts[1], parts[2]));
            }
        }
    }

    private static String cacheKey(String tenantId, String prefix) {
        return tenantId + ":" + prefix;
    }
}
