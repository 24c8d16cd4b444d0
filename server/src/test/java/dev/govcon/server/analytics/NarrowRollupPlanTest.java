package dev.govcon.server.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.govcon.server.analytics.RollupPlan.HourRange;
import dev.govcon.server.jobs.DailyRollupState;

/** Which hours a narrowed plan reads from the narrow rows, and which reads may narrow at all. */
class NarrowRollupPlanTest {
    static final ZoneId UTC = ZoneId.of("UTC");

    static Instant t(String s) {
        return Instant.parse(s);
    }

    static HourRange r(String from, String to) {
        return new HourRange(t(from), t(to));
    }

    @Test
    void onlyModelAndProviderKeysWithoutFeatureOrEnvironmentFiltersNarrow() {
        assertThat(RollupPlan.narrowFits(List.of(), "", "")).isTrue();
        assertThat(RollupPlan.narrowFits(List.of("model", "provider"), "", "")).isTrue();
        assertThat(RollupPlan.narrowFits(List.of("provider"), "", "")).isTrue();
        assertThat(RollupPlan.narrowFits(List.of("model", "feature"), "", "")).isFalse();
        assertThat(RollupPlan.narrowFits(List.of("environment"), "", "")).isFalse();
        assertThat(RollupPlan.narrowFits(List.of("model"), "search", "")).isFalse();
        assertThat(RollupPlan.narrowFits(List.of(), "", "production")).isFalse();
    }

    @Test
    void withoutNarrowRowsThePlanIsUnchanged() {
        RollupPlan wide = RollupPlan.hourly(t("2026-11-01T00:00:00Z"), t("2026-11-03T00:00:00Z"));
        assertThat(wide.narrowed(null, List.of())).isEqualTo(wide);
        assertThat(wide.narrowed(new DailyRollupState("UTC", LocalDate.parse("2026-11-02"), null), List.of()))
                .isEqualTo(wide);
    }

    @Test
    void hoursSplitAtTheNarrowHorizonAndAroundDirtyUtcDays() {
        DailyRollupState state = new DailyRollupState("UTC", LocalDate.parse("2026-11-05"), t("2026-11-06T07:00:00Z"));
        // Whole days 1-4 daily (day 3 dirty: hourly), partial first day and the rest hourly.
        RollupPlan wide = RollupPlan.of(t("2026-10-31T20:00:00Z"), t("2026-11-06T12:00:00Z"), UTC, state,
                                        List.of(LocalDate.parse("2026-11-03"), LocalDate.parse("2026-11-06")));
        assertThat(wide.hours()).containsExactly(r("2026-10-31T20:00:00Z", "2026-11-01T00:00:00Z"),
                                                 r("2026-11-03T00:00:00Z", "2026-11-04T00:00:00Z"),
                                                 r("2026-11-05T00:00:00Z", "2026-11-06T12:00:00Z"));
        RollupPlan narrow = wide.narrowed(state, List.of(LocalDate.parse("2026-11-03"), LocalDate.parse("2026-11-06")));
        assertThat(narrow.modelDays()).isTrue();
        assertThat(narrow.dailyFrom()).isEqualTo(wide.dailyFrom());
        assertThat(narrow.dirtyDays()).isEqualTo(wide.dirtyDays());
        assertThat(narrow.modelHours()).containsExactly(r("2026-10-31T20:00:00Z", "2026-11-01T00:00:00Z"),
                                                        r("2026-11-05T00:00:00Z", "2026-11-06T00:00:00Z"));
        assertThat(narrow.hours()).containsExactly(r("2026-11-03T00:00:00Z", "2026-11-04T00:00:00Z"),
                                                   r("2026-11-06T00:00:00Z", "2026-11-06T12:00:00Z"));
    }

    @Test
    void aZoneChangeStillReadsNarrowHours() {
        DailyRollupState state = new DailyRollupState("Europe/Paris", LocalDate.parse("2026-11-05"),
                                                      t("2026-11-05T03:00:00Z"));
        RollupPlan wide = RollupPlan.of(t("2026-11-01T00:00:00Z"), t("2026-11-06T00:00:00Z"), UTC, state, List.of());
        assertThat(wide.dailyFrom()).isNull();
        RollupPlan narrow = wide.narrowed(state, List.of());
        assertThat(narrow.modelDays()).isFalse();
        assertThat(narrow.modelHours()).containsExactly(r("2026-11-01T00:00:00Z", "2026-11-05T03:00:00Z"));
        assertThat(narrow.hours()).containsExactly(r("2026-11-05T03:00:00Z", "2026-11-06T00:00:00Z"));
    }

    @Test
    void hoursAfterTheNarrowHorizonStayWideAndInsideTheWindowEvenOnADirtyDay() {
        // The job last folded narrow hours up to 08:00; the window starts at 10:00 on a dirty UTC day.
        DailyRollupState state = new DailyRollupState("UTC", LocalDate.parse("2026-11-05"), t("2026-11-06T08:00:00Z"));
        RollupPlan wide = RollupPlan.hourly(t("2026-11-06T10:00:00Z"), t("2026-11-06T12:00:00Z"));
        RollupPlan narrow = wide.narrowed(state, List.of(LocalDate.parse("2026-11-06")));
        assertThat(narrow.modelHours()).isEmpty();
        assertThat(narrow.hours()).containsExactly(r("2026-11-06T10:00:00Z", "2026-11-06T12:00:00Z"));
    }
}
