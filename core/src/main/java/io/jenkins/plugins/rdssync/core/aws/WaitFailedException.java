package io.jenkins.plugins.rdssync.core.aws;

/** A wait that can never succeed: the instance or snapshot reached a terminal bad state (for example failed). */
public class WaitFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public WaitFailedException(String message) {
        super(message);
    }
}
