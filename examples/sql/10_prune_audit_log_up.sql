-- Keep one year of audit history.
DELETE FROM audit_log WHERE created_at < now() - interval '1 year';
