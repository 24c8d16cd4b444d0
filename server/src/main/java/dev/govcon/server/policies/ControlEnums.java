package dev.govcon.server.policies;

import dev.govcon.proto.v1.ControlAction;
import dev.govcon.proto.v1.LimitKind;
import dev.govcon.proto.v1.PolicyKind;
import dev.govcon.proto.v1.PolicyStatus;
import dev.govcon.proto.v1.RuleType;
import dev.govcon.proto.v1.ViolationOrigin;

/**
 * The policy enums as the tables store them: the proto name without its prefix
 * ({@code LIMIT_KIND_SPEND_PER_DAY} is {@code SPEND_PER_DAY}). A stored text no proto value
 * has reads as UNSPECIFIED rather than failing a whole list.
 */
final class ControlEnums {
    private ControlEnums() {
    }

    static String text(PolicyKind v) {
        return strip(v.name(), "POLICY_KIND_");
    }

    static String text(LimitKind v) {
        return strip(v.name(), "LIMIT_KIND_");
    }

    static String text(ControlAction v) {
        return v.name();
    }

    static String text(ViolationOrigin v) {
        return strip(v.name(), "VIOLATION_ORIGIN_");
    }

    static PolicyKind policyKind(String text) {
        return parse(PolicyKind.class, "POLICY_KIND_", text, PolicyKind.POLICY_KIND_UNSPECIFIED);
    }

    static RuleType ruleType(String text) {
        return parse(RuleType.class, "RULE_TYPE_", text, RuleType.RULE_TYPE_UNSPECIFIED);
    }

    static LimitKind limitKind(String text) {
        return parse(LimitKind.class, "LIMIT_KIND_", text, LimitKind.LIMIT_KIND_UNSPECIFIED);
    }

    static ControlAction action(String text) {
        return parse(ControlAction.class, "", text, ControlAction.CONTROL_ACTION_UNSPECIFIED);
    }

    static ViolationOrigin origin(String text) {
        return parse(ViolationOrigin.class, "VIOLATION_ORIGIN_", text, ViolationOrigin.VIOLATION_ORIGIN_UNSPECIFIED);
    }

    static PolicyStatus status(String text) {
        return parse(PolicyStatus.class, "POLICY_STATUS_", text, PolicyStatus.POLICY_STATUS_UNSPECIFIED);
    }

    private static String strip(String name, String prefix) {
        return name.startsWith(prefix) ? name.substring(prefix.length()) : name;
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String prefix, String text, E unspecified) {
        if (text == null || text.isEmpty()) {
            return unspecified;
        }
        try {
            return Enum.valueOf(type, prefix + text);
        } catch (IllegalArgumentException e) {
            return unspecified;
        }
    }
}
