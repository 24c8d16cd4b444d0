-- Violations are part of the governance record, like run records and the audit ledger: once
-- written, they do not change. The one exception is the incident engine linking a violation
-- to the incident it opened or joined, once (incident_id from '' to an id).
CREATE FUNCTION limit_violations_link_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.incident_id = '' AND NEW.incident_id <> ''
       AND (to_jsonb(NEW) - 'incident_id') = (to_jsonb(OLD) - 'incident_id') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'limit_violations is append-only: % is not allowed (only linking an incident once)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER trg_limit_violations_append_only
    BEFORE UPDATE OR DELETE ON limit_violations
    FOR EACH ROW EXECUTE FUNCTION limit_violations_link_only();
CREATE TRIGGER trg_limit_violations_no_truncate
    BEFORE TRUNCATE ON limit_violations
    FOR EACH STATEMENT EXECUTE FUNCTION reject_mutation();
