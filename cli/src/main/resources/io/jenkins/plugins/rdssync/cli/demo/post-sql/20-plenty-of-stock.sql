-- Testers should never be blocked by "out of stock".
UPDATE products SET stock = 1000 WHERE stock < 1000;
