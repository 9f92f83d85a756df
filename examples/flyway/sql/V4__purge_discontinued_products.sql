DELETE FROM products WHERE discontinued;
