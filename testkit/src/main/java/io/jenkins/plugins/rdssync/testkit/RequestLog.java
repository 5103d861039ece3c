package io.jenkins.plugins.rdssync.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * Every request the emulator received, in order, including those it answered with an error or a
 * fault (so SDK retries show up as repeated entries). Passwords are redacted.
 */
public final class RequestLog {
    private final List<RecordedRequest> entries = new CopyOnWriteArrayList<>();

    RequestLog() {
    }

    void add(RecordedRequest r) {
        entries.add(r);
    }

    /** All requests so far. */
    public List<RecordedRequest> all() {
        return new ArrayList<>(entries);
    }

    /** All requests but {@code Describe*} and {@code List*}. */
    public List<RecordedRequest> mutating() {
        return entries.stream().filter(RecordedRequest::isMutating).collect(Collectors.toList());
    }

    /** Requests that name this DB instance or snapshot identifier (or its ARN) in any parameter. */
    public List<RecordedRequest> naming(String id) {
        return entries.stream().filter(r -> r.names(id)).collect(Collectors.toList());
    }

    /** Mutating requests that name this identifier: e.g. assert it is empty for a source instance. */
    public List<RecordedRequest> mutatingNaming(String id) {
        return entries.stream().filter(r -> r.isMutating() && r.names(id)).collect(Collectors.toList());
    }

    /** Requests made with the credentials of one AWS account (its users and its assumed roles). */
    public List<RecordedRequest> byAccount(String accountId) {
        return entries.stream().filter(r -> accountId.equals(r.accountId())).collect(Collectors.toList());
    }

    /** Requests of one action. */
    public List<RecordedRequest> ofAction(String action) {
        return entries.stream().filter(r -> action.equals(r.action())).collect(Collectors.toList());
    }

    /** How many requests of one action (attempts, retries included). */
    public int count(String action) {
        return ofAction(action).size();
    }

    /** Forgets every request recorded so far. */
    public void clear() {
        entries.clear();
    }
}
