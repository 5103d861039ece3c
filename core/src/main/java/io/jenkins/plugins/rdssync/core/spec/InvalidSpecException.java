package io.jenkins.plugins.rdssync.core.spec;

import java.util.List;
import java.util.stream.Collectors;

/** Bad input, refused before anything changed on AWS or in a database. */
public class InvalidSpecException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final List<SpecProblem> problems;

    public InvalidSpecException(List<SpecProblem> problems) {
        super(format(problems));
        this.problems = List.copyOf(problems);
    }

    public InvalidSpecException(String field, String message) {
        this(List.of(new SpecProblem(field, message)));
    }

    public List<SpecProblem> problems() {
        return problems;
    }

    private static String format(List<SpecProblem> problems) {
        if (problems.size() == 1) {
            return "Invalid configuration: " + problems.get(0);
        }
        return "Invalid configuration (" + problems.size() + " problems):"
                + problems.stream().map(p -> "\n  - " + p).collect(Collectors.joining());
    }
}
