-- The limit simulation's minute and concurrency replays read a tenant's runs in start order
-- (start_time, then run_id byte-wise) with window functions; this index hands them over in
-- that order, so a month of a million runs is read without sorting it. Runs the guard refused
-- (BLOCKED) never ran and are never replayed.
CREATE INDEX llm_run_records_started ON llm_run_records (tenant_id, start_time, run_id COLLATE "C")
    WHERE status <> 'BLOCKED';
