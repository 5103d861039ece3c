package io.jenkins.plugins.rdssync.core.db;

import java.util.Locale;

/**
 * One column as information_schema describes it, and how its values travel through the preserved-rows file.
 *
 * @param name column name
 * @param dataType information_schema DATA_TYPE ({@code int}, {@code varchar}, {@code json}, ...)
 * @param columnType information_schema COLUMN_TYPE ({@code int(10) unsigned}, {@code enum('a','b')}, ...)
 * @param charset character set of a text column, else {@code null}
 * @param collation collation of a text column, else {@code null}
 * @param generated a VIRTUAL or STORED generated column (never written, never loaded)
 * @param autoIncrement the AUTO_INCREMENT column
 */
record ColumnMeta(String name, String dataType, String columnType, String charset, String collation,
        boolean generated, boolean autoIncrement) {

    /** How a value is written to the file and turned back into a column value. */
    enum Kind {
        /** The server's own text/bytes, loaded as they are. */
        RAW,
        /** BIT: written as an unsigned decimal number, loaded with {@code CAST(v AS UNSIGNED)}. */
        BIT,
        /** MySQL JSON: loaded with {@code CONVERT(v USING utf8mb4)} (MySQL refuses JSON from binary strings). */
        JSON
    }

    Kind kind() {
        return switch (dataType.toLowerCase(Locale.ROOT)) {
            case "bit" -> Kind.BIT;
            case "json" -> Kind.JSON;
            default -> Kind.RAW;
        };
    }

    /**
     * What the backup selects: the column itself, except FLOAT, whose text form has too few digits to come back
     * as the same value; {@code col + 0e0} is the same value as a DOUBLE, printed with all its digits.
     */
    String selectExpression() {
        return "float".equalsIgnoreCase(dataType) ? "(" + Sql.id(name) + " + 0e0)" : Sql.id(name);
    }

    boolean isInteger() {
        return Sql.isIntegerType(dataType);
    }

    boolean hasCharset() {
        return charset != null && !charset.isEmpty() && !"binary".equalsIgnoreCase(charset);
    }

    /** The expression turning a bound {@code _binary} parameter (or LOAD DATA variable) into this column's value. */
    String valueExpression(String placeholder) {
        return switch (kind()) {
            case BIT -> "CAST(" + placeholder + " AS UNSIGNED)";
            case JSON -> "CONVERT(" + placeholder + " USING utf8mb4)";
            case RAW -> hasCharset() ? "CONVERT(" + placeholder + " USING " + Sql.word(charset) + ")" : placeholder;
        };
    }

    /**
     * The expression to compare this (key) column with a bound {@code _binary} parameter so that its index is used:
     * text keys are converted to the column's own character set and collation.
     */
    String keyExpression(String placeholder) {
        if (hasCharset() && collation != null && !collation.isEmpty()) {
            return "CONVERT(" + placeholder + " USING " + Sql.word(charset) + ") COLLATE " + Sql.word(collation);
        }
        return valueExpression(placeholder);
    }
}
