package dev.govcon.server.guard;

import java.time.ZoneId;
import java.util.List;

/** One tenant's ACTIVE rules and limits and its time zone, as cached by every replica. */
record TenantControls(ZoneId zone, List<GuardRule> rules, List<GuardLimit> limits) {
}
