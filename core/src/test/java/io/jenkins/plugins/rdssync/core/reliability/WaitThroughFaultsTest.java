package io.jenkins.plugins.rdssync.core.reliability;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.rdssync.core.aws.AwsFailure;
import io.jenkins.plugins.rdssync.core.aws.InstanceInfo;
import io.jenkins.plugins.rdssync.core.aws.Polling;
import io.jenkins.plugins.rdssync.core.aws.RdsGateway;
import io.jenkins.plugins.rdssync.core.aws.RdsWait;
import io.jenkins.plugins.rdssync.core.run.Cancellation;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DescribeDbInstancesResponse;
import software.amazon.awssdk.services.rds.model.RdsException;

/**
 * Waits on RDS through what a long wait meets: throttling that outlasts the SDK's own retries, 5xx and network
 * errors on a poll (all "not yet"), a refusal that no waiting cures (fails at once, naming the call), and
 * cancellation (honoured between polls, except by the switch's uncancellable waits). A scripted RDS client stands in
 * for AWS: each answer is what the SDK hands over after its own retries.
 */
public class WaitThroughFaultsTest {
    private static final Polling FAST = new Polling(Duration.ofMillis(1), Duration.ofMillis(4));

    /** An RdsClient whose DescribeDBInstances answers from a script; the last answer repeats. */
    private static RdsClient scripted(Deque<Supplier<DescribeDbInstancesResponse>> script, AtomicInteger calls) {
        return (RdsClient) Proxy.newProxyInstance(RdsClient.class.getClassLoader(), new Class<?>[] {RdsClient.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "describeDBInstances" -> {
                        calls.incrementAndGet();
                        Supplier<DescribeDbInstancesResponse> next = script.size() > 1 ? script.poll() : script.peek();
                        yield next.get();
                    }
                    case "close" -> null;
                    case "serviceName" -> "rds";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static Supplier<DescribeDbInstancesResponse> status(String status) {
        return () -> DescribeDbInstancesResponse.builder().dbInstances(DBInstance.builder()
                .dbInstanceIdentifier("acc").dbInstanceStatus(status).build()).build();
    }

    private static Supplier<DescribeDbInstancesResponse> error(int http, String code) {
        return () -> {
            throw RdsException.builder().statusCode(http).message(code)
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(code + " from AWS")
                            .build()).build();
        };
    }

    private static Deque<Supplier<DescribeDbInstancesResponse>> script(List<Supplier<DescribeDbInstancesResponse>> s) {
        return new ArrayDeque<>(s);
    }

    @Test
    public void throttlingBeyondTheSdksRetriesAndServerErrorsAreWaitedThrough() {
        Deque<Supplier<DescribeDbInstancesResponse>> s = new ArrayDeque<>();
        for (int i = 0; i < 12; i++) {
            s.add(error(400, "Throttling"));
        }
        s.add(error(503, "ServiceUnavailable"));
        s.add(() -> {
            throw SdkClientException.create("Unable to execute HTTP request: Connection reset");
        });
        s.add(status("creating"));
        s.add(status("available"));
        AtomicInteger calls = new AtomicInteger();
        try (RdsGateway rds = new RdsGateway(scripted(s, calls), false)) {
            InstanceInfo i = new RdsWait(rds, FAST, new Cancellation()).untilAvailable("acc", Duration.ofSeconds(20),
                    x -> { });
            assertEquals("available", i.status());
            assertEquals(16, calls.get());
        }
    }

    @Test
    public void aRefusalThatWaitingCannotCureEndsTheWaitAtOnceNamingTheCall() {
        AtomicInteger calls = new AtomicInteger();
        try (RdsGateway rds = new RdsGateway(scripted(script(List.of(status("creating"), error(403, "AccessDenied"))),
                calls), false)) {
            AwsFailure f = assertThrows(AwsFailure.class, () -> new RdsWait(rds, FAST, new Cancellation())
                    .untilAvailable("acc", Duration.ofSeconds(20), x -> { }));
            assertTrue(f.getMessage(), f.getMessage().startsWith("DescribeDBInstances acc was refused"));
            assertTrue(f.getMessage(), f.getMessage().contains("IAM"));
            assertNull("not the configuration's fault", f.field());
            assertEquals(2, calls.get());
        }
    }

    @Test
    public void refusedCredentialsNameTheFieldToFix() {
        try (RdsGateway rds = new RdsGateway(scripted(script(List.of(error(403, "InvalidClientTokenId"))),
                new AtomicInteger()), false)) {
            AwsFailure f = assertThrows(AwsFailure.class, () -> rds.instance("acc"));
            assertEquals("awsCredentialsId", f.field());
        }
    }

    @Test
    public void cancellationIsHonouredBetweenPollsButNotByTheSwitchsWaits() {
        Cancellation cancel = new Cancellation();
        cancel.cancel("Ctrl-C");
        AtomicInteger calls = new AtomicInteger();
        try (RdsGateway rds = new RdsGateway(scripted(script(List.of(status("renaming"), status("available"))),
                calls), false)) {
            RdsWait wait = new RdsWait(rds, FAST, cancel);
            assertThrows(Cancellation.CancelledException.class,
                    () -> wait.untilAvailable("acc", Duration.ofSeconds(20), x -> { }));
            assertEquals("no call after the stop", 0, calls.get());
            assertEquals("available", wait.ignoringCancellation().untilAvailable("acc", Duration.ofSeconds(20),
                    x -> { }).status());
        }
    }

    @Test
    public void anEngineStopOfItsOwnWorkIsNotTheCallersCancellation() {
        Cancellation caller = new Cancellation();
        Cancellation run = caller.child();
        run.cancel("stopped because the backup failed");
        assertTrue(run.isCancelled());
        assertTrue("the caller (CLI exit code, Jenkins result) does not see a user's stop", !caller.isCancelled());
        caller.cancel("Ctrl-C");
        assertEquals("the first reason stays", "stopped because the backup failed", run.reason());
        Cancellation other = caller.child();
        assertTrue(other.isCancelled());
        assertEquals("Ctrl-C", other.reason());
    }
}
