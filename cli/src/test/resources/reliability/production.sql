-- A small shop, as "production": related tables, a few hundred rows, a migration history.
CREATE DATABASE shop CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
USE shop;

CREATE TABLE customers (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name VARCHAR(100) NOT NULL,
  email VARCHAR(200) NOT NULL,
  password_hash VARCHAR(100) NULL
) ENGINE=InnoDB;

CREATE TABLE products (
  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name VARCHAR(100) NOT NULL,
  price DECIMAL(10,2) NOT NULL
) ENGINE=InnoDB;

CREATE TABLE orders (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  customer_id BIGINT NOT NULL,
  created DATETIME(3) NOT NULL,
  note TEXT NULL,
  CONSTRAINT fk_orders_customer FOREIGN KEY (customer_id) REFERENCES customers (id)
) ENGINE=InnoDB;

CREATE TABLE order_items (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  order_id BIGINT NOT NULL,
  product_id INT NOT NULL,
  quantity INT NOT NULL,
  CONSTRAINT fk_items_order FOREIGN KEY (order_id) REFERENCES orders (id),
  CONSTRAINT fk_items_product FOREIGN KEY (product_id) REFERENCES products (id)
) ENGINE=InnoDB;

CREATE TABLE schema_migrations (
  version VARCHAR(191) NOT NULL PRIMARY KEY
) ENGINE=InnoDB;

INSERT INTO schema_migrations (version) VALUES ('001_create_shop');

INSERT INTO customers (name, email, password_hash)
  WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200)
  SELECT CONCAT('Customer ', i), CONCAT('customer', i, '@example.com'), SHA2(CONCAT('pw', i), 256) FROM n;

INSERT INTO products (name, price)
  WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50)
  SELECT CONCAT('Product ', i), i * 1.25 FROM n;

INSERT INTO orders (customer_id, created, note)
  WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400)
  SELECT 1 + MOD(i, 200), TIMESTAMP('2026-01-01') + INTERVAL i HOUR, CONCAT('order ', i, ' ✓') FROM n;

INSERT INTO order_items (order_id, product_id, quantity)
  WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 800)
  SELECT 1 + MOD(i, 400), 1 + MOD(i, 50), 1 + MOD(i, 3) FROM n;
