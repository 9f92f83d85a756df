ALTER TABLE invoices RENAME COLUMN invoice_number TO number;
