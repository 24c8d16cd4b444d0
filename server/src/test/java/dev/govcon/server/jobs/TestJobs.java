package dev.govcon.server.jobs;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import dev.govcon.server.db.Database;
import dev.govcon.server.testing.MutableClock;
import dev.govcon.server.testing.TestDatabase;

/** Jobs made of lambdas, and schedulers on the shared test database that run only when asked. */
final class TestJobs {
    private TestJobs() {
    }

    interface Body {
        long run(JobContext context) throws Exception;
    }

    static Job job(String name, Duration interval, Body body) {
        return new Job() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String description() {
                return "test job " + name;
            }

            @Override
            public Duration interval() {
                return interval;
            }

            @Override
            public long run(JobContext context) throws Exception {
                return body.run(context);
            }
        };
    }

    /** A job name no other test uses (the database is shared and never cleaned). */
    static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static JobScheduler scheduler(MutableClock clock, String instance, Job... jobs) {
        return new JobScheduler(database(), clock, List.of(jobs),
                                JobScheduler.Settings.manual().withInstance(instance)).start();
    }

    static Database database() {
        return TestDatabase.shared();
    }

    static JobRow row(String name) {
        return database().read(s -> s.getMapper(JobMapper.class).find(name));
    }

    static List<JobRunRow> runs(String name) {
        return database().read(s -> s.getMapper(JobMapper.class).recentRuns(name, 100));
    }
}
