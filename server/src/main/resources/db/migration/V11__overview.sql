-- The overview's recent-activity feed reads policy changes from the audit ledger newest first.
-- The ledger holds every governance action; this partial index holds only the policy ones,
-- so a page of them is one short index range scan however many other actions a tenant has.
-- The resource types are those OverviewMapper.recentPolicyChanges reads.
CREATE INDEX audit_ledger_policy_changes ON audit_ledger (tenant_id, occurred_at DESC)
    WHERE resource_type IN ('policy_rule', 'policy_limit', 'policy_proposal', 'policy_template');
