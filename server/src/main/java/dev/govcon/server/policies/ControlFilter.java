package dev.govcon.server.policies;

/**
 * What a list of rules or limits is narrowed to; null fields do not filter. {@code type} is a
 * rule type or a limit kind, enum fields are database names ("ACTIVE"). {@code feature} and
 * {@code model} keep the controls whose scope covers that feature or model, tenant-wide ones
 * included (an empty scope field means "any").
 */
record ControlFilter(String type, String status, String source, String enforcement, String action,
                     String feature, String model) {
}
