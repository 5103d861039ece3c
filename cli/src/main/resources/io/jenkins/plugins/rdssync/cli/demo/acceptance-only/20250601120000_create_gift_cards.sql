-- A feature still in test: gift cards. Deployed to acceptance only; production has not run it yet.
CREATE TABLE gift_cards (
  id          INT           NOT NULL AUTO_INCREMENT,
  code        VARCHAR(20)   NOT NULL,
  customer_id INT           NULL,
  balance     DECIMAL(10,2) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_gift_cards_code (code),
  CONSTRAINT fk_gift_cards_customer FOREIGN KEY (customer_id) REFERENCES customers (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

INSERT INTO gift_cards (code, customer_id, balance) VALUES ('WELCOME-10', NULL, 10.00);
