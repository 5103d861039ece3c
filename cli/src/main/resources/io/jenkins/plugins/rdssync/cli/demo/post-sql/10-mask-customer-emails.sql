-- Acceptance must never e-mail a real customer: replace every production address.
-- Runs after the restore, before the tester rows (id >= offset) are loaded back.
UPDATE customers SET email = CONCAT('customer-', id, '@example.invalid') WHERE id < 1000000000;
