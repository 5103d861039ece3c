package io.jenkins.plugins.rdssync.core;

import io.jenkins.plugins.rdssync.core.aws.Polling;
import java.time.Duration;

/**
 * Engine timings that users rarely change: how often to poll RDS, how long a freshly restored instance must stay
 * available before it counts as settled (RDS turns it available, then backing-up), and how many tables to reload
 * at once. Tests and the demo use faster values against the emulator.
 *
 * @param polling backoff between RDS polls
 * @param settle how long a restored instance must stay available before the engine modifies it
 * @param reloadParallelism tables reloaded at once
 * @param stageMinute how long one minute of {@code stageTimeoutMinutes} lasts: a minute on RDS, the emulator's
 *        "RDS minute" against the emulator (stage timeouts bound waits on RDS; the overall {@code timeoutMinutes}
 *        stays in real minutes)
 * @param awsRetryDelay base delay of the AWS SDK's backoff between attempts of a throttled or failed call; null for
 *        the SDK's standard (100 ms, 1 s when throttled); shorter against the emulator, whose time runs faster
 * @param stsAndKmsAtEndpointUrl send STS and KMS calls to the spec's {@code endpointUrl} as well (the test kit's
 *        emulator serves RDS, STS and KMS on one endpoint); on AWS they go to the SDK's endpoints for those services
 *        ({@code AWS_ENDPOINT_URL_STS} and {@code AWS_ENDPOINT_URL_KMS} override them, as for any SDK client)
 */
public record EngineOptions(Polling polling, Duration settle, int reloadParallelism, Duration stageMinute,
        Duration awsRetryDelay, boolean stsAndKmsAtEndpointUrl) {
    public static final EngineOptions DEFAULT = new EngineOptions(Polling.DEFAULT, Duration.ofSeconds(60),
            Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors())));

    public EngineOptions(Polling polling, Duration settle, int reloadParallelism, Duration stageMinute,
            Duration awsRetryDelay) {
        this(polling, settle, reloadParallelism, stageMinute, awsRetryDelay, false);
    }

    /** Options with real-time stage timeouts. */
    public EngineOptions(Polling polling, Duration settle, int reloadParallelism) {
        this(polling, settle, reloadParallelism, Duration.ofMinutes(1), null);
    }

    /** Options for an emulator whose "RDS minute" lasts {@code rdsMinute}. */
    public static EngineOptions forEmulator(Duration rdsMinute) {
        Duration first = rdsMinute.dividedBy(4).isZero() ? Duration.ofMillis(5) : rdsMinute.dividedBy(4);
        return new EngineOptions(new Polling(first, rdsMinute.multipliedBy(2)), rdsMinute.multipliedBy(2), 2,
                rdsMinute, first, true);
    }
}
