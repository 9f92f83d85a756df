-- migrate:up
CREATE TABLE orders (
  id bigserial PRIMARY KEY,
  user_id bigint,
  status text NOT NULL DEFAULT 'pending',
  total_cents integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- migrate:down
DROP TABLE orders;
