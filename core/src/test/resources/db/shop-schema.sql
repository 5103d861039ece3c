-- The tables of the round-trip tests: every kind of column, foreign keys, a generated column.
CREATE TABLE everything (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tiny TINYINT, small SMALLINT UNSIGNED, medium MEDIUMINT, i INT, big BIGINT,
  dec1 DECIMAL(30,10), f FLOAT, d DOUBLE,
  vc VARCHAR(200), txt TEXT, lt LONGTEXT, latin VARCHAR(50) CHARACTER SET latin1, ch CHAR(10),
  dt DATETIME(6), ts TIMESTAMP(6) NULL DEFAULT NULL, dte DATE, tm TIME(3), yr YEAR,
  js JSON, bl BLOB, vb VARBINARY(300), bn BINARY(4),
  b1 BIT(1), b13 BIT(13), b64 BIT(64),
  en ENUM('a','b','c;d'), st SET('x','y','z'),
  gen_v BIGINT AS (i * 2) VIRTUAL,
  gen_s VARCHAR(220) AS (CONCAT(vc, '!')) STORED,
  created TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  UNIQUE KEY vc_unique (vc)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE parent (
  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name VARCHAR(50) NOT NULL
) ENGINE=InnoDB;

CREATE TABLE child (
  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  parent_id INT NOT NULL,
  note VARCHAR(50),
  CONSTRAINT child_parent FOREIGN KEY (parent_id) REFERENCES parent (id) ON DELETE CASCADE
) ENGINE=InnoDB;

CREATE TABLE users (
  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  email VARCHAR(100) NOT NULL,
  password_hash VARBINARY(64),
  settings JSON,
  flags BIT(8)
) ENGINE=InnoDB;

DELIMITER //
CREATE TRIGGER parent_name BEFORE INSERT ON parent FOR EACH ROW
BEGIN
  IF NEW.name = '' THEN
    SET NEW.name = 'unnamed';
  END IF;
END//
DELIMITER ;
