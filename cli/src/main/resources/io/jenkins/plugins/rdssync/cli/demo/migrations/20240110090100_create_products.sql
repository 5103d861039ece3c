-- Shop schema, step 2: what they buy.
CREATE TABLE products (
  id    INT           NOT NULL AUTO_INCREMENT,
  sku   VARCHAR(20)   NOT NULL,
  name  VARCHAR(100)  NOT NULL,
  price DECIMAL(10,2) NOT NULL,
  stock INT           NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_products_sku (sku)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
