package io.jenkins.plugins.rdssync.core.spec;

import java.io.Serializable;

/** One bad input: the field of the public interface and a message that says how to fix it. */
public record SpecProblem(String field, String message) implements Serializable {
    @Override
    public String toString() {
        return field + ": " + message;
    }
}
