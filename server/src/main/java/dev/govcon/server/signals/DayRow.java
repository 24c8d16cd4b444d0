package dev.govcon.server.signals;

import java.time.LocalDate;

/** Spend of one tenant-zone day for one (model, provider, feature, environment), from the hourly rollups. */
public record DayRow(LocalDate day, String model, String provider, String feature, String environment,
                     long costMicros) {
}
