package dev.govcon.server.lessons;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.apache.ibatis.session.SqlSession;

import dev.govcon.proto.v1.ControlAction;
import dev.govcon.proto.v1.LessonFact;
import dev.govcon.proto.v1.LimitKind;
import dev.govcon.proto.v1.PolicyLimit;
import dev.govcon.proto.v1.PolicyRule;
import dev.govcon.proto.v1.PolicyStatus;
import dev.govcon.proto.v1.RuleType;
import dev.govcon.proto.v1.Scope;

/**
 * The rules by which lessons are found (one tenant, at {@code now}); each rule is documented
 * on its method. What a lesson proposes is a concrete control a person can accept as is.
 */
final class LessonMiner {
    static final Duration BREACH_WINDOW = Duration.ofDays(7);
    static final long MIN_BREACH_DAYS = 3;
    static final Duration FAILURE_WINDOW = Duration.ofDays(7);
    static final long MIN_RUNS = 20;
    static final double MIN_FAILURE_RATE = 0.10;
    static final double FAILURE_FACTOR = 3.0;
    static final Duration SPEND_WINDOW = Duration.ofDays(30);
    static final Duration RECURRING_WINDOW = Duration.ofDays(30);
    static final long MIN_RECURRING_INCIDENTS = 3;
    static final long MICROS_PER_DOLLAR = 1_000_000;

    private LessonMiner() {
    }

    static List<Finding> mine(SqlSession s, UUID tenantId, Instant now) {
        LessonMapper m = s.getMapper(LessonMapper.class);
        String zone = m.tenantZone(tenantId);
        zone = zone == null || zone.isEmpty() ? "UTC" : zone;
        List<Finding> out = new ArrayList<>();
        out.addAll(breaches(m, tenantId, now, zone));
        out.addAll(failureOutliers(m, tenantId, now));
        out.addAll(ungoverned(m, tenantId, now, zone));
        out.addAll(recurring(m, tenantId, now));
        out.addAll(repeatedWarnings(m, tenantId, now, zone));
        return out;
    }

    /**
     * REPEATED_LIMIT_BREACH: an ACTIVE BLOCK limit that stopped calls (BLOCK violations) on
     * at least {@value #MIN_BREACH_DAYS} distinct days (tenant time zone) of the last 7.
     * Severity HIGH from 5 days, else MEDIUM. Proposes a WARN limit of the same kind and scope
     * at 80% of the amount: the early warning that tells the team before calls are blocked.
     */
    static List<Finding> breaches(LessonMapper m, UUID tenantId, Instant now, String zone) {
        Instant start = now.minus(BREACH_WINDOW);
        List<Finding> out = new ArrayList<>();
        for (MiningRows.Breach b : m.breaches(tenantId, start, now, zone, MIN_BREACH_DAYS)) {
            Scope scope = Scope.newBuilder().setFeature(b.scopeFeature()).setModel(b.scopeModel())
                    .setEndUser(b.scopeEndUser()).setApiKeyId(b.scopeApiKeyId()).setProvider(b.scopeProvider())
                    .setEnvironment(b.scopeEnvironment()).build();
            String what = limitWords(b.limitKind());
            String title = who(scope) + " crossed its " + what + " on " + b.days() + " of the last "
                           + BREACH_WINDOW.toDays() + " days";
            String summary = "\"" + b.name() + "\" stopped " + b.violations() + " calls (" + dollars(b.costMicros())
                             + ") on " + b.days() + " days. A warning at 80% of the limit would tell the team "
                             + "before calls are stopped, or the limit may be too low for real use.";
            List<LessonFact> facts = List.of(
                    LessonFact.newBuilder().setName("days over limit").setCount(b.days())
                            .setBaselineCount(BREACH_WINDOW.toDays()).build(),
                    LessonFact.newBuilder().setName("violations").setCount(b.violations()).build(),
                    LessonFact.newBuilder().setName("cost of stopped calls").setAmountMicros(b.costMicros()).build(),
                    LessonFact.newBuilder().setName("limit amount").setCount(b.amount()).build());
            LessonRow lesson = row(tenantId, "REPEATED_LIMIT_BREACH", "limit:" + b.limitId(), title, summary, scope,
                                   b.days() >= 5 ? "HIGH" : "MEDIUM", b.limitId().toString(), now, start,
                                   m.incidentIdsOf(tenantId, b.limitId().toString(), start, now).toArray(String[]::new),
                                   b.violationIds(), facts);
            PolicyLimit proposal = PolicyLimit.newBuilder()
                    .setName("Early warning: " + b.name())
                    .setDescription("Warns at 80% of \"" + b.name() + "\" (proposed from a lesson)")
                    .setKind(LimitKind.valueOf("LIMIT_KIND_" + b.limitKind()))
                    .setAmount(Math.max(1, b.amount() * 8 / 10)).setScope(scope).setAction(ControlAction.WARN)
                    .setStatus(PolicyStatus.POLICY_STATUS_ACTIVE).build();
            out.add(new Finding(lesson, proposal, "Warn at 80% of \"" + b.name() + "\"",
                                "Crossed on " + b.days() + " of the last " + BREACH_WINDOW.toDays()
                                + " days; a warning at 80% gives notice before calls are stopped."));
        }
        return out;
    }

    /**
     * MODEL_FAILURE_OUTLIER: over the last 7 days of a feature's runs, a model with at least
     * {@value #MIN_RUNS} runs fails (FAILED or TIMED_OUT) on at least 10% of them and at least
     * 3 times as often as the feature's other models together (which also need
     * {@value #MIN_RUNS} runs). Severity HIGH from a 50% failure rate, else MEDIUM. Proposes
     * a MODEL_DENY_LIST rule (BLOCK) for that model on that feature.
     */
    static List<Finding> failureOutliers(LessonMapper m, UUID tenantId, Instant now) {
        Instant start = now.minus(FAILURE_WINDOW);
        Map<String, List<MiningRows.Failures>> byFeature = new LinkedHashMap<>();
        m.failures(tenantId, start, now).forEach(f -> byFeature.computeIfAbsent(f.feature(), k -> new ArrayList<>()).add(f));
        List<Finding> out = new ArrayList<>();
        for (List<MiningRows.Failures> models : byFeature.values()) {
            long runs = models.stream().mapToLong(MiningRows.Failures::runs).sum();
            long failed = models.stream().mapToLong(MiningRows.Failures::failed).sum();
            for (MiningRows.Failures f : models) {
                long peerRuns = runs - f.runs();
                long peerFailed = failed - f.failed();
                if (f.runs() < MIN_RUNS || peerRuns < MIN_RUNS) {
                    continue;
                }
                double rate = (double) f.failed() / f.runs();
                double peerRate = (double) peerFailed / peerRuns;
                if (rate < MIN_FAILURE_RATE || rate < FAILURE_FACTOR * peerRate) {
                    continue;
                }
                Scope scope = Scope.newBuilder().setFeature(f.feature()).setModel(f.model()).build();
                String title = peerRate == 0
                        ? "Model " + f.model() + " fails on " + percent(rate) + " of runs for feature " + f.feature()
                          + "; its peers never fail"
                        : String.format(Locale.ROOT, "Model %s fails %.1fx more than its peers for feature %s",
                                        f.model(), rate / peerRate, f.feature());
                String summary = f.model() + " failed " + f.failed() + " of " + f.runs() + " runs (" + percent(rate)
                                 + ") for " + f.feature() + " in the last " + FAILURE_WINDOW.toDays()
                                 + " days; the feature's other models failed " + percent(peerRate) + ".";
                List<LessonFact> facts = List.of(
                        LessonFact.newBuilder().setName("failure rate vs peers").setRatio(rate)
                                .setBaselineRatio(peerRate).build(),
                        LessonFact.newBuilder().setName("failed runs").setCount(f.failed())
                                .setBaselineCount(peerFailed).build(),
                        LessonFact.newBuilder().setName("runs").setCount(f.runs()).setBaselineCount(peerRuns).build());
                LessonRow lesson = row(tenantId, "MODEL_FAILURE_OUTLIER", "failures:" + f.feature() + "\u001f" + f.model(),
                                       title, summary, scope, rate >= 0.5 ? "HIGH" : "MEDIUM", "", now, start,
                                       new String[0], new String[0], facts);
                PolicyRule proposal = PolicyRule.newBuilder()
                        .setName("Keep " + f.model() + " off " + f.feature())
                        .setDescription("Denies " + f.model() + " for " + f.feature() + " (proposed from a lesson)")
                        .setType(RuleType.RULE_TYPE_MODEL_DENY_LIST).addModels(f.model())
                        .setScope(Scope.newBuilder().setFeature(f.feature())).setAction(ControlAction.BLOCK)
                        .setStatus(PolicyStatus.POLICY_STATUS_ACTIVE).build();
                out.add(new Finding(lesson, proposal, "Deny " + f.model() + " for " + f.feature(),
                                    "It fails on " + percent(rate) + " of runs against " + percent(peerRate)
                                    + " for the other models of " + f.feature() + "."));
            }
        }
        return out;
    }

    /**
     * UNGOVERNED_SPEND: a feature with spend in the last 30 days that no ACTIVE rule or limit
     * governs (one scoped to the feature, or to the whole tenant, with no other scope field).
     * Severity HIGH from $1,000, MEDIUM from $100, else LOW. Proposes a daily spend limit
     * (BLOCK) for the feature at 1.5 times its highest day, rounded up to a whole dollar.
     */
    static List<Finding> ungoverned(LessonMapper m, UUID tenantId, Instant now, String zone) {
        Instant start = now.minus(SPEND_WINDOW);
        List<Finding> out = new ArrayList<>();
        for (MiningRows.Ungoverned u : m.ungoverned(tenantId, start, now, zone)) {
            Scope scope = Scope.newBuilder().setFeature(u.feature()).build();
            String title = "No control governs feature " + u.feature() + ", which spent " + dollars(u.spendMicros())
                           + " in the last " + SPEND_WINDOW.toDays() + " days";
            long amount = roundUpToDollar(u.maxDailyMicros() * 3 / 2);
            String summary = u.feature() + " ran " + u.runs() + " calls costing " + dollars(u.spendMicros())
                             + " (highest day " + dollars(u.maxDailyMicros()) + ") with no rule or limit on it.";
            List<LessonFact> facts = List.of(
                    LessonFact.newBuilder().setName("ungoverned spend").setAmountMicros(u.spendMicros()).build(),
                    LessonFact.newBuilder().setName("highest daily spend").setAmountMicros(u.maxDailyMicros()).build(),
                    LessonFact.newBuilder().setName("runs").setCount(u.runs()).build());
            String severity = u.spendMicros() >= 1000 * MICROS_PER_DOLLAR ? "HIGH"
                              : u.spendMicros() >= 100 * MICROS_PER_DOLLAR ? "MEDIUM" : "LOW";
            LessonRow lesson = row(tenantId, "UNGOVERNED_SPEND", "ungoverned:" + u.feature(), title, summary, scope,
                                   severity, "", now, start, new String[0], new String[0], facts);
            PolicyLimit proposal = PolicyLimit.newBuilder()
                    .setName("Daily spend for " + u.feature())
                    .setDescription("Caps " + u.feature() + " at 1.5x its highest day (proposed from a lesson)")
                    .setKind(LimitKind.LIMIT_KIND_SPEND_PER_DAY).setAmount(amount).setScope(scope)
                    .setAction(ControlAction.BLOCK).setStatus(PolicyStatus.POLICY_STATUS_ACTIVE).build();
            out.add(new Finding(lesson, proposal, "Limit " + u.feature() + " to " + dollars(amount) + " a day",
                                "Its highest day was " + dollars(u.maxDailyMicros()) + "; a daily limit of "
                                + dollars(amount) + " leaves room for growth and stops a runaway."));
        }
        return out;
    }

    /**
     * RECURRING_INCIDENT: a fingerprint opened as {@value #MIN_RECURRING_INCIDENTS} or more
     * incidents in the last 30 days (it was resolved and came back). Severity: the highest
     * any of them reached. No proposal: the fix depends on the cause.
     */
    static List<Finding> recurring(LessonMapper m, UUID tenantId, Instant now) {
        Instant start = now.minus(RECURRING_WINDOW);
        List<Finding> out = new ArrayList<>();
        for (MiningRows.Recurring r : m.recurring(tenantId, start, now, MIN_RECURRING_INCIDENTS)) {
            Scope scope = Scope.newBuilder().setFeature(r.scopeFeature()).setModel(r.scopeModel())
                    .setEndUser(r.scopeEndUser()).setApiKeyId(r.scopeApiKeyId()).setProvider(r.scopeProvider())
                    .setEnvironment(r.scopeEnvironment()).build();
            String title = "\"" + r.title() + "\" came back " + r.incidents() + " times in the last "
                           + RECURRING_WINDOW.toDays() + " days";
            String summary = "Resolving it has not stopped it: " + r.incidents() + " incidents, " + r.occurrences()
                             + " occurrences. Look for the cause rather than resolving it again.";
            List<LessonFact> facts = List.of(
                    LessonFact.newBuilder().setName("incidents").setCount(r.incidents()).build(),
                    LessonFact.newBuilder().setName("occurrences").setCount(r.occurrences()).build());
            out.add(new Finding(row(tenantId, "RECURRING_INCIDENT", "recurring:" + r.fingerprint(), title, summary,
                                    scope, List.of("LOW", "MEDIUM", "HIGH", "CRITICAL").get(r.maxSeverityRank() - 1),
                                    "", now, start, r.incidentIds(), new String[0], facts),
                                null, "", ""));
        }
        return out;
    }

    /**
     * REPEATED_WARNING: a control whose WARN violations came back on at least
     * {@value #MIN_BREACH_DAYS} distinct days of the last 7 while nobody changed it (its
     * update time is before the window). Severity LOW, MEDIUM from 5 days. No proposal: the
     * choice is between raising the threshold and making it block, which is a person's.
     */
    static List<Finding> repeatedWarnings(LessonMapper m, UUID tenantId, Instant now, String zone) {
        Instant start = now.minus(BREACH_WINDOW);
        List<Finding> out = new ArrayList<>();
        for (MiningRows.Warned w : m.repeatedWarnings(tenantId, start, now, zone, MIN_BREACH_DAYS)) {
            Scope scope = Scope.newBuilder().setFeature(w.scopeFeature()).setModel(w.scopeModel()).build();
            String title = "\"" + w.name() + "\" warned on " + w.days() + " of the last " + BREACH_WINDOW.toDays()
                           + " days and nobody changed it";
            String summary = w.violations() + " warnings on " + w.days() + " days. Either the threshold is too low "
                             + "for normal use, or the warning should block.";
            List<LessonFact> facts = List.of(
                    LessonFact.newBuilder().setName("days with warnings").setCount(w.days())
                            .setBaselineCount(BREACH_WINDOW.toDays()).build(),
                    LessonFact.newBuilder().setName("warnings").setCount(w.violations()).build());
            out.add(new Finding(row(tenantId, "REPEATED_WARNING", "warned:" + w.controlId(), title, summary, scope,
                                    w.days() >= 5 ? "MEDIUM" : "LOW", w.controlId().toString(), now, start,
                                    new String[0], w.violationIds(), facts),
                                null, "", ""));
        }
        return out;
    }

    private static LessonRow row(UUID tenantId, String kind, String key, String title, String summary, Scope scope,
                                 String severity, String controlId, Instant now, Instant start, String[] incidentIds,
                                 String[] violationIds, List<LessonFact> facts) {
        return new LessonRow(tenantId, UUID.randomUUID(), kind + ":" + key, kind, title, summary, scope.getFeature(),
                             scope.getModel(), scope.getEndUser(), scope.getApiKeyId(), scope.getProvider(),
                             scope.getEnvironment(), severity, controlId, now, now, start, now,
                             incidentIds == null ? new String[0] : incidentIds,
                             violationIds == null ? new String[0] : violationIds, LessonProtos.factsJson(facts), null,
                             null);
    }

    private static String who(Scope s) {
        if (!s.getFeature().isEmpty()) {
            return "Feature " + s.getFeature();
        }
        if (!s.getModel().isEmpty()) {
            return "Model " + s.getModel();
        }
        if (!s.getEndUser().isEmpty()) {
            return "User " + s.getEndUser();
        }
        return "The organisation";
    }

    private static String limitWords(String kind) {
        return switch (kind) {
            case "SPEND_PER_DAY" -> "daily spend limit";
            case "SPEND_PER_MONTH" -> "monthly spend limit";
            case "TOKENS_PER_DAY" -> "daily token limit";
            case "REQUESTS_PER_MINUTE" -> "rate limit";
            default -> "concurrency limit";
        };
    }

    static long roundUpToDollar(long micros) {
        long dollars = (micros + MICROS_PER_DOLLAR - 1) / MICROS_PER_DOLLAR;
        return Math.max(1, dollars) * MICROS_PER_DOLLAR;
    }

    static String dollars(long micros) {
        return String.format(Locale.ROOT, "$%,.2f", micros / 1e6);
    }

    private static String percent(double ratio) {
        return String.format(Locale.ROOT, "%.0f%%", ratio * 100);
    }
}
