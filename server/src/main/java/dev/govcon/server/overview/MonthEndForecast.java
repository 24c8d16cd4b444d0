package dev.govcon.server.overview;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.UUID;

import org.apache.ibatis.session.SqlSession;

/**
 * The month-end spend forecast of the cost summary. Simple, stated method: the month-to-date
 * spend divided by the days of the month elapsed (today counted as a whole day) times the
 * days in the month. No interval (lower and upper are 0). Before any spend it is 0.
 */
final class MonthEndForecast {
    record Result(long value, long lower, long upper) {
    }

    private MonthEndForecast() {
    }

    static Result of(SqlSession s, UUID tenantId, ZoneId zone, LocalDate today, long monthToDate, long todaySpend) {
        int elapsed = today.getDayOfMonth();
        int days = today.lengthOfMonth();
        long value = Math.round((double) monthToDate / elapsed * days);
        return new Result(value, 0, 0);
    }
}
