ALTER TABLE audit_log ADD COLUMN ip inet;
