package io.jenkins.plugins.rdssync.core.aws;

/** A wait on RDS that ran past its limit; the message says what was awaited and the last state seen. */
public class WaitTimeoutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public WaitTimeoutException(String message) {
        super(message);
    }
}
