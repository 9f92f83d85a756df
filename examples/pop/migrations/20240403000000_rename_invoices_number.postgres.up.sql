-- The release still running reads invoices.number.
ALTER TABLE invoices RENAME COLUMN number TO invoice_number;
