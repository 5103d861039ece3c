package io.jenkins.plugins.rdssync.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AWS APIs over HTTP, all on one endpoint: the RDS and STS Query APIs (form-encoded requests in, AWS-shaped XML
 * out) and KMS's JSON API. The service and the caller's account come from the SigV4 credential scope of the
 * {@code Authorization} header ({@link AwsAccounts}); each RDS request goes to its caller's account. Every request is
 * logged, with its account.
 */
final class QueryApiHandler implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(QueryApiHandler.class);

    private final AwsAccounts accounts;
    private final RequestLog log;

    QueryApiHandler(AwsAccounts accounts) {
        this.accounts = accounts;
        this.log = accounts.defaultBackend().log;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        Instant received = Instant.now();
        String requestId = UUID.randomUUID().toString();
        String body;
        try (InputStream in = ex.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        AwsAccounts.Caller caller = accounts.caller(auth);
        String kmsTarget = ex.getRequestHeaders().getFirst("X-Amz-Target");
        boolean kms = "kms".equals(caller.service()) || (kmsTarget != null && kmsTarget.startsWith("TrentService."));
        Params params;
        String action = null;
        int status;
        String out;
        String errorCode = null;
        RdsBackend backend = accounts.backend(caller.accountId(), caller.region());
        try {
            params = kms ? new Params(new LinkedHashMap<>())
                    : Params.parseForm(ex.getRequestURI().getRawQuery(), body);
        } catch (IllegalArgumentException e) {
            params = new Params(new LinkedHashMap<>());
        }
        try {
            action = kms ? KmsApi.action(kmsTarget) : params.str("Action");
            if (action == null) {
                throw new RdsApiException(400, "MissingAction", "Could not find operation: the Action parameter is missing.");
            }
            if (auth == null || auth.isEmpty()) {
                throw new RdsApiException(403, "MissingAuthenticationToken", "Request is missing Authentication Token");
            }
            if (backend == null) {
                throw new RdsApiException(403, "InvalidClientTokenId",
                        "The security token included in the request is invalid.");
            }
            backend.faults.beforeRequest(action, params);
            if (kms) {
                out = new KmsApi(accounts).dispatch(caller, action, body);
            } else if ("sts".equals(caller.service())) {
                out = success(action, new StsApi(accounts).dispatch(caller, action, params), requestId, StsApi.NS);
            } else {
                out = success(action, new CrossAccountRds(accounts).dispatch(caller, backend, action, params),
                        requestId, Xml.NS);
            }
            status = 200;
        } catch (RdsApiException e) {
            out = kms ? KmsApi.error(e) : error(e, requestId, "sts".equals(caller.service()) ? StsApi.NS : Xml.NS);
            status = e.status;
            errorCode = e.code;
        } catch (RuntimeException e) {
            LOG.warn("{} failed", action, e);
            RdsApiException internal = RdsApiException.serverError(500);
            out = kms ? KmsApi.error(internal) : error(internal, requestId, Xml.NS);
            status = 500;
            errorCode = internal.code;
        }
        Map<String, String> recorded = kms ? Map.of("Body", body) : redact(params.asMap());
        log.add(new RecordedRequest(received, action, recorded, status, errorCode,
                kms ? "kms" : caller.service(), caller.accountId(), caller.principalArn(), caller.accessKeyId()));
        byte[] bytes = out.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", kms ? "application/x-amz-json-1.1" : "text/xml");
        ex.getResponseHeaders().set("x-amzn-RequestId", requestId);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(bytes);
        }
    }

    static Map<String, String> redact(Map<String, String> params) {
        Map<String, String> copy = new LinkedHashMap<>();
        params.forEach((k, v) -> copy.put(k, secret(k) ? "****" : v));
        return java.util.Collections.unmodifiableMap(copy);
    }

    /** Passwords, and the presigned URL of a cross-region copy (it carries a signature). */
    private static boolean secret(String name) {
        String n = name.toLowerCase(java.util.Locale.ROOT);
        return n.endsWith("password") || n.equals("presignedurl");
    }

    private static String success(String action, String result, String requestId, String ns) {
        Xml x = new Xml().openNs(action + "Response", ns);
        if (result != null) {
            x.open(action + "Result");
            String s = x.toString();
            return s + result + "</" + action + "Result>" + metadata(requestId) + "</" + action + "Response>";
        }
        return x + metadata(requestId) + "</" + action + "Response>";
    }

    private static String metadata(String requestId) {
        return new Xml().open("ResponseMetadata").el("RequestId", requestId).close("ResponseMetadata").toString();
    }

    private static String error(RdsApiException e, String requestId, String ns) {
        return new Xml().openNs("ErrorResponse", ns)
                .open("Error")
                .el("Type", e.type)
                .el("Code", e.code)
                .el("Message", e.getMessage())
                .close("Error")
                .el("RequestId", requestId)
                .close("ErrorResponse")
                .toString();
    }
}
