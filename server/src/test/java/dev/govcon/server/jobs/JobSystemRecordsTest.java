package dev.govcon.server.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.govcon.server.testing.MutableClock;

/** system_records is append-only, enforced by the database itself. */
class JobSystemRecordsTest {

    @Test
    void eventsAreWrittenAndCannotBeChangedOrDeleted() throws Exception {
        MutableClock clock = MutableClock.ofNow();
        SystemRecords records = new SystemRecords(TestJobs.database(), clock, "replica-x");
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("items", 3);
        details.put("note", "quotes \" and unicode ✓");
        UUID id = records.write(SystemRecords.SERVER_WIDE, SystemRecords.Level.WARN, "tests", "test.event",
                                "something to look at", details);

        SystemRecordRow row = TestJobs.database().read(
                s -> s.getMapper(SystemRecordMapper.class).find(SystemRecords.SERVER_WIDE, id));
        assertThat(row.level()).isEqualTo("WARN");
        assertThat(row.component()).isEqualTo("tests");
        assertThat(row.event()).isEqualTo("test.event");
        assertThat(row.message()).isEqualTo("something to look at");
        assertThat(row.instance()).isEqualTo("replica-x");
        assertThat(row.occurredAt()).isEqualTo(clock.instant());
        assertThat(new ObjectMapper().readTree(row.details()).get("note").asText()).isEqualTo("quotes \" and unicode ✓");

        try (Connection c = TestJobs.database().dataSource().getConnection(); Statement st = c.createStatement()) {
            c.setAutoCommit(true);
            for (String sql : new String[] {
                    "UPDATE system_records SET message = 'rewritten' WHERE record_id = '" + id + "'",
                    "DELETE FROM system_records WHERE record_id = '" + id + "'",
                    "TRUNCATE system_records"}) {
                assertThatThrownBy(() -> st.execute(sql)).as(sql)
                        .isInstanceOf(SQLException.class).hasMessageContaining("append-only");
            }
        }
        SystemRecordRow after = TestJobs.database().read(
                s -> s.getMapper(SystemRecordMapper.class).find(SystemRecords.SERVER_WIDE, id));
        assertThat(after).isEqualTo(row);
    }

    @Test
    void anEventCommitsOrRollsBackWithTheCallersTransaction() {
        MutableClock clock = MutableClock.ofNow();
        SystemRecords records = new SystemRecords(TestJobs.database(), clock, "replica-x");
        UUID[] id = new UUID[1];
        assertThatThrownBy(() -> TestJobs.database().inTransaction(s -> {
            id[0] = records.write(s, SystemRecords.SERVER_WIDE, SystemRecords.Level.INFO, "tests", "test.rolled_back",
                                  "never seen", null);
            throw new IllegalStateException("abort");
        })).hasMessage("abort");
        SystemRecordRow row = TestJobs.database().read(
                s -> s.getMapper(SystemRecordMapper.class).find(SystemRecords.SERVER_WIDE, id[0]));
        assertThat(row).isNull();
    }
}
