package io.jenkins.plugins.rdssync.testkit;

/** An AWS-shaped error: HTTP status, error code, message, and fault type (Sender or Receiver). */
final class RdsApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final int status;
    final String code;
    final String type;

    RdsApiException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
        this.type = status >= 500 ? "Receiver" : "Sender";
    }

    static RdsApiException instanceNotFound(String id) {
        return new RdsApiException(404, "DBInstanceNotFound", "DBInstance " + id + " not found.");
    }

    static RdsApiException snapshotNotFound(String id) {
        return new RdsApiException(404, "DBSnapshotNotFound", "DBSnapshot " + id + " not found.");
    }

    static RdsApiException invalidParameterValue(String message) {
        return new RdsApiException(400, "InvalidParameterValue", message);
    }

    static RdsApiException invalidParameterCombination(String message) {
        return new RdsApiException(400, "InvalidParameterCombination", message);
    }

    static RdsApiException missingParameter(String name) {
        return new RdsApiException(400, "MissingParameter",
                "The request must contain the parameter " + name);
    }

    static RdsApiException invalidInstanceState(String message) {
        return new RdsApiException(400, "InvalidDBInstanceState", message);
    }

    static RdsApiException invalidSnapshotState(String message) {
        return new RdsApiException(400, "InvalidDBSnapshotState", message);
    }

    static RdsApiException throttling() {
        return new RdsApiException(400, "Throttling", "Rate exceeded");
    }

    /** The error AWS would send for the given status when no code is named: 500 InternalFailure, 503 ServiceUnavailable. */
    static RdsApiException serverError(int status) {
        if (status == 503) {
            return new RdsApiException(503, "ServiceUnavailable",
                    "The request has failed due to a temporary failure of the server.");
        }
        return new RdsApiException(status, "InternalFailure",
                "The request processing has failed because of an unknown error, exception or failure.");
    }
}
