CREATE TABLE products (
  id bigserial PRIMARY KEY,
  sku varchar(32) NOT NULL UNIQUE,
  name varchar(100) NOT NULL,
  price numeric(10, 2) NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
