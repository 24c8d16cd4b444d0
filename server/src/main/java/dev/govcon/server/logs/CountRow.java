package dev.govcon.server.logs;

import java.time.Instant;

/**
 * A count for a group of log rows: {@code key} and {@code sub} name the group (a component and
 * a level, an actor type and id, an action), with the time span and a label where useful.
 */
public record CountRow(String key, String sub, long count, Instant firstAt, Instant lastAt, String label) {
}
