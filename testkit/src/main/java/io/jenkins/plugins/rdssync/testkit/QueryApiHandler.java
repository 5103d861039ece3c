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

/** The RDS Query API over HTTP: form-encoded requests in, AWS-shaped XML out; every request is logged. */
final class QueryApiHandler implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(QueryApiHandler.class);

    private final RdsBackend backend;

    QueryApiHandler(RdsBackend backend) {
        this.backend = backend;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        Instant received = Instant.now();
        String requestId = UUID.randomUUID().toString();
        String body;
        try (InputStream in = ex.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Params params;
        String action = null;
        int status;
        String xml;
        String errorCode = null;
        try {
            params = Params.parseForm(ex.getRequestURI().getRawQuery(), body);
        } catch (IllegalArgumentException e) {
            params = new Params(new LinkedHashMap<>());
        }
        try {
            action = params.str("Action");
            if (action == null) {
                throw new RdsApiException(400, "MissingAction", "Could not find operation: the Action parameter is missing.");
            }
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            if (auth == null || auth.isEmpty()) {
                throw new RdsApiException(403, "MissingAuthenticationToken", "Request is missing Authentication Token");
            }
            backend.faults.beforeRequest(action, params);
            String result = backend.dispatch(action, params);
            xml = success(action, result, requestId);
            status = 200;
        } catch (RdsApiException e) {
            xml = error(e, requestId);
            status = e.status;
            errorCode = e.code;
        } catch (RuntimeException e) {
            LOG.warn("{} failed", action, e);
            RdsApiException internal = RdsApiException.serverError(500);
            xml = error(internal, requestId);
            status = 500;
            errorCode = internal.code;
        }
        backend.log.add(new RecordedRequest(received, action, redact(params.asMap()), status, errorCode));
        byte[] out = xml.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/xml");
        ex.getResponseHeaders().set("x-amzn-RequestId", requestId);
        ex.sendResponseHeaders(status, out.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(out);
        }
    }

    static Map<String, String> redact(Map<String, String> params) {
        Map<String, String> copy = new LinkedHashMap<>();
        params.forEach((k, v) -> copy.put(k, k.toLowerCase(java.util.Locale.ROOT).endsWith("password") ? "****" : v));
        return java.util.Collections.unmodifiableMap(copy);
    }

    private static String success(String action, String result, String requestId) {
        Xml x = new Xml().openNs(action + "Response");
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

    private static String error(RdsApiException e, String requestId) {
        return new Xml().openNs("ErrorResponse")
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
