package io.jenkins.plugins.rdssync.testkit;

import java.time.Duration;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.waiters.RdsWaiter;

/** Unmodified SDK clients pointed at an emulator. */
final class Sdk {
    private Sdk() {
    }

    static RdsClient client(RdsEmulator rds) {
        return RdsClient.builder()
                .endpointOverride(rds.endpoint())
                .region(Region.of(rds.region()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
                .build();
    }

    /** A waiter polling every 20 ms (instead of 30 s) for up to ~60 s. */
    static RdsWaiter waiter(RdsClient client) {
        return RdsWaiter.builder()
                .client(client)
                .overrideConfiguration(WaiterOverrideConfiguration.builder()
                        .backoffStrategyV2(BackoffStrategy.fixedDelayWithoutJitter(Duration.ofMillis(20)))
                        .maxAttempts(3000)
                        .waitTimeout(Duration.ofSeconds(60))
                        .build())
                .build();
    }
}
