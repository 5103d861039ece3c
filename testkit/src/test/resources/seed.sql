-- Test data for the RDS emulator tests: two schemas, a view, a trigger, a routine, an event and an app user.
CREATE DATABASE shop;
USE shop;
CREATE TABLE customers (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name VARCHAR(100) NOT NULL,
  email VARCHAR(200) NOT NULL UNIQUE,
  created_at DATETIME NOT NULL DEFAULT '2024-01-01 00:00:00',
  notes TEXT
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci;
CREATE TABLE orders (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  customer_id BIGINT NOT NULL,
  amount DECIMAL(10,2) NOT NULL,
  payload BLOB,
  CONSTRAINT fk_orders_customer FOREIGN KEY (customer_id) REFERENCES customers (id)
) ENGINE=InnoDB;
CREATE TABLE order_audit (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  order_id BIGINT NOT NULL,
  note VARCHAR(100)
) ENGINE=InnoDB;
INSERT INTO customers (name, email, notes) VALUES
  ('Ada Lovelace', 'ada@example.com', 'first'),
  ('Grace Hopper', 'grace@example.com', 'quote: ''it''s easier to ask forgiveness'''),
  ('Émile Zola', 'emile@example.com', 'unicode ✓');
INSERT INTO customers (id, name, email) VALUES (1000000000, 'Acceptance Tester', 'tester@example.com');
DELIMITER //
CREATE TRIGGER orders_ai AFTER INSERT ON orders FOR EACH ROW
BEGIN
  INSERT INTO order_audit (order_id, note) VALUES (NEW.id, CONCAT('created ', NEW.amount));
END//
CREATE PROCEDURE customer_count(OUT n INT)
BEGIN
  SELECT COUNT(*) INTO n FROM customers;
END//
DELIMITER ;
INSERT INTO orders (customer_id, amount, payload) VALUES (1, 10.50, X'00FF10'), (2, 99.99, NULL), (1, 0.01, 'abc');
CREATE VIEW big_orders AS SELECT id, amount FROM orders WHERE amount > 50;
CREATE EVENT nightly_noop ON SCHEDULE EVERY 1 DAY DISABLE DO SELECT 1;
CREATE DATABASE flyway;
CREATE TABLE flyway.flyway_schema_history (installed_rank INT PRIMARY KEY, version VARCHAR(50), script VARCHAR(1000));
INSERT INTO flyway.flyway_schema_history VALUES (1, '1', 'V1__init.sql'), (2, '2', 'V2__orders.sql');
CREATE USER 'app'@'%' IDENTIFIED BY 'appPass123';
GRANT SELECT, INSERT, UPDATE, DELETE ON shop.* TO 'app'@'%';
