package dev.govcon.server.guard;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.govcon.proto.v1.ControlAction;
import dev.govcon.proto.v1.RuleType;
import dev.govcon.server.policies.ControlScope;

/** An ACTIVE rule as the guard evaluates it. */
record GuardRule(UUID id, String name, RuleType type, boolean advisory, ControlScope scope, ControlAction action,
                 Set<String> models, Set<String> providers, long maxTokens, List<String> requiredKeys,
                 Map<String, String> requiredMetadata) {
}
