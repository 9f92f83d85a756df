CREATE TABLE users (
    id serial PRIMARY KEY,
    email varchar(255) NOT NULL,
    display_name text NOT NULL,
    updated_at timestamp NOT NULL DEFAULT now()
);

CREATE TRIGGER set_updated_at BEFORE UPDATE ON users FOR EACH ROW EXECUTE PROCEDURE diesel_set_updated_at();
