package io.jenkins.plugins.rdssync.core.db;

import static org.junit.Assert.assertEquals;

import org.junit.Test;

/** Every way MySQL and MariaDB write a password in SQL is masked where statements are shown. */
public class SqlStatementMaskTest {
    private static void masked(String sql, String shown) {
        assertEquals(shown, new SqlStatement(sql, "f.sql", 1).shown());
    }

    @Test
    public void passwordLiteralsAreMasked() {
        masked("CREATE USER 'qa'@'%' IDENTIFIED BY 'pw1'", "CREATE USER 'qa'@'%' IDENTIFIED BY '****'");
        masked("create user qa identified by \"pw2\"", "create user qa identified by '****'");
        masked("ALTER USER qa IDENTIFIED BY 'new' REPLACE 'old'", "ALTER USER qa IDENTIFIED BY '****' REPLACE '****'");
        masked("GRANT ALL ON *.* TO qa IDENTIFIED BY PASSWORD '*94BDCEBE19083CE2A1F959FD02F964C7AF4CFC29'",
                "GRANT ALL ON *.* TO qa IDENTIFIED BY PASSWORD '****'");
        masked("CREATE USER qa IDENTIFIED WITH caching_sha2_password BY 'pw3'",
                "CREATE USER qa IDENTIFIED WITH caching_sha2_password BY '****'");
        masked("CREATE USER qa IDENTIFIED WITH 'mysql_native_password' AS '*hash'",
                "CREATE USER qa IDENTIFIED WITH 'mysql_native_password' AS '****'");
        masked("CREATE USER qa IDENTIFIED VIA ed25519 USING PASSWORD('pw4') OR unix_socket",
                "CREATE USER qa IDENTIFIED VIA ed25519 USING PASSWORD('****') OR unix_socket");
        masked("ALTER USER qa IDENTIFIED VIA mysql_native_password USING '*hash' OR ed25519 USING 'x'",
                "ALTER USER qa IDENTIFIED VIA mysql_native_password USING '****' OR ed25519 USING '****'");
        masked("SET PASSWORD FOR 'qa'@'%' = PASSWORD('pw5')", "SET PASSWORD FOR 'qa'@'%' = PASSWORD('****')");
        masked("SET PASSWORD = 'pw6'", "SET PASSWORD = '****'");
        masked("CHANGE MASTER TO MASTER_USER='r', MASTER_PASSWORD='pw7'",
                "CHANGE MASTER TO MASTER_USER='r', MASTER_PASSWORD='****'");
        masked("CREATE SERVER s FOREIGN DATA WRAPPER mysql OPTIONS (USER 'u', PASSWORD 'pw8')",
                "CREATE SERVER s FOREIGN DATA WRAPPER mysql OPTIONS (USER 'u', PASSWORD '****')");
        masked("CREATE USER qa IDENTIFIED BY 'it''s \\' still; secret' PASSWORD EXPIRE NEVER",
                "CREATE USER qa IDENTIFIED BY '****' PASSWORD EXPIRE NEVER");
        masked("CREATE USER qa IDENTIFIED BY 'cut sho", "CREATE USER qa IDENTIFIED BY '****'");
    }

    @Test
    public void otherLiteralsStay() {
        masked("UPDATE customers SET password_hash = NULL, email = CONCAT(id, '@qa.example')",
                "UPDATE customers SET password_hash = NULL, email = CONCAT(id, '@qa.example')");
        masked("REPLACE INTO t VALUES ('a')", "REPLACE INTO t VALUES ('a')");
        masked("SELECT CONVERT('x' USING utf8mb4)", "SELECT CONVERT('x' USING utf8mb4)");
    }
}
