package io.jenkins.plugins.rdssync.testkit;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** A tiny XML writer for the RDS Query API responses: elements, escaped text, nothing else. */
final class Xml {
    static final String NS = "http://rds.amazonaws.com/doc/2014-10-31/";
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final StringBuilder sb = new StringBuilder(1024);

    Xml open(String name) {
        sb.append('<').append(name).append('>');
        return this;
    }

    Xml openNs(String name) {
        return openNs(name, NS);
    }

    /** An element in another service's namespace (STS: https://sts.amazonaws.com/doc/2011-06-15/). */
    Xml openNs(String name, String ns) {
        sb.append('<').append(name).append(" xmlns=\"").append(ns).append("\">");
        return this;
    }

    Xml close(String name) {
        sb.append("</").append(name).append('>');
        return this;
    }

    /** Writes {@code <name>value</name>}; writes nothing when the value is null. */
    Xml el(String name, Object value) {
        if (value == null) {
            return this;
        }
        String text = value instanceof Instant ? time((Instant) value) : value.toString();
        sb.append('<').append(name).append('>');
        escape(text);
        sb.append("</").append(name).append('>');
        return this;
    }

    Xml empty(String name) {
        sb.append('<').append(name).append("/>");
        return this;
    }

    static String time(Instant t) {
        return TIME.format(t);
    }

    private void escape(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&': sb.append("&amp;"); break;
                case '<': sb.append("&lt;"); break;
                case '>': sb.append("&gt;"); break;
                case '"': sb.append("&quot;"); break;
                case '\'': sb.append("&apos;"); break;
                default:
                    if (c < 0x20 && c != '\n' && c != '\r' && c != '\t') {
                        sb.append("&#").append((int) c).append(';');
                    } else {
                        sb.append(c);
                    }
            }
        }
    }

    @Override
    public String toString() {
        return sb.toString();
    }
}
