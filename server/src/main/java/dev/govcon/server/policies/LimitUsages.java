package dev.govcon.server.policies;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.ibatis.session.SqlSession;

import dev.govcon.proto.v1.LimitUsage;
import dev.govcon.server.tenancy.TenantMapper;
import dev.govcon.server.wire.Times;

/**
 * What the guard has counted against ACTIVE limits in their current windows, read from its
 * budget ledger ({@code guard_windows}): used = committed by completed runs, reserved = what
 * replicas hold leased (outstanding reservations and unspent slices). A window the guard has
 * not touched yet is all zeros. DRAFT and DISABLED limits have no usage.
 */
public final class LimitUsages {
    private LimitUsages() {
    }

    /** The usage of each ACTIVE limit of {@code limits}, by limit id. */
    public static Map<UUID, LimitUsage> of(SqlSession session, UUID tenantId, List<PolicyLimitRow> limits, Instant now) {
        List<PolicyLimitRow> active = limits.stream().filter(l -> l.status().equals("ACTIVE")).toList();
        if (active.isEmpty()) {
            return Map.of();
        }
        ZoneId zone = zone(session, tenantId);
        Map<UUID, LimitWindow> windows = new HashMap<>();
        List<String> ids = new ArrayList<>();
        List<String> starts = new ArrayList<>();
        for (PolicyLimitRow l : active) {
            LimitWindow w = LimitWindow.of(PolicyProtos.limitKind(l.limitKind()), now, zone);
            windows.put(l.limitId(), w);
            ids.add(l.limitId().toString());
            starts.add(w.start().toString());
        }
        Map<UUID, PolicyLimitMapper.WindowRow> counted = new HashMap<>();
        for (PolicyLimitMapper.WindowRow row : session.getMapper(PolicyLimitMapper.class)
                .windows(tenantId, ids.toArray(String[]::new), starts.toArray(String[]::new))) {
            counted.put(row.limitId(), row);
        }
        Map<UUID, LimitUsage> out = new HashMap<>();
        for (PolicyLimitRow l : active) {
            PolicyLimitMapper.WindowRow row = counted.get(l.limitId());
            out.put(l.limitId(), usage(l.amount(), windows.get(l.limitId()),
                                       row == null ? 0 : row.committed(), row == null ? 0 : row.leased()));
        }
        return out;
    }

    static LimitUsage usage(long amount, LimitWindow window, long used, long reserved) {
        long remaining = Math.max(0, amount - used - reserved);
        return LimitUsage.newBuilder()
                .setWindowStartTime(Times.ts(window.start()))
                .setWindowEndTime(Times.ts(window.end()))
                .setUsed(used)
                .setReserved(reserved)
                .setRemaining(remaining)
                .setUsedRatio((double) (used + reserved) / amount)
                .setExhausted(remaining == 0 || used >= amount)
                .build();
    }

    public static ZoneId zone(SqlSession session, UUID tenantId) {
        return ZoneId.of(session.getMapper(TenantMapper.class).find(tenantId).timeZone());
    }
}
