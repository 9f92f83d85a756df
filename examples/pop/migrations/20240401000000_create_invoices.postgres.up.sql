CREATE TABLE invoices (
    id uuid PRIMARY KEY,
    number text NOT NULL,
    amount_cents bigint NOT NULL,
    created_at timestamp NOT NULL
);
