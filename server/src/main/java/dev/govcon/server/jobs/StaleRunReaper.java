package dev.govcon.server.jobs;

import java.time.Duration;

/**
 * Times out runs that have been RUNNING for longer than {@code timeout}: marks at most
 * {@code limit} of them TIMED_OUT (oldest first) and returns how many it marked. The ingestion
 * side implements it ({@code runIngestor::timeOutStale}); {@link RunReaperJob} calls it.
 */
@FunctionalInterface
public interface StaleRunReaper {
    int timeOutStale(Duration timeout, int limit);
}
