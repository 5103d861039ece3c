package io.jenkins.plugins.rdssync.core.aws;

import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyManagerType;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.NotFoundException;

/**
 * The one KMS call the engine makes, read-only: DescribeKey, to tell an AWS managed key ({@code aws/rds}, which RDS
 * cannot share) from a customer managed one, and whether this side's account may use a key at all (another account's
 * key answers AccessDenied unless its key policy names this account). Failures are {@link AwsFailure}s.
 */
public final class KmsGateway implements AutoCloseable {
    /** A KMS key as DescribeKey shows it. */
    public record KeyInfo(String arn, String accountId, boolean awsManaged, boolean enabled) {
    }

    private final KmsClient kms;
    private final Function<String, String> policyLines;

    public KmsGateway(KmsClient kms, Function<String, String> policyLines) {
        this.kms = kms;
        this.policyLines = policyLines;
    }

    /** The key, or empty when KMS does not know it (in this account, or at all). */
    public Optional<KeyInfo> describe(String keyId) {
        try {
            KeyMetadata m = kms.describeKey(r -> r.keyId(keyId)).keyMetadata();
            return Optional.of(new KeyInfo(m.arn(), m.awsAccountId(), m.keyManager() == KeyManagerType.AWS,
                    m.keyState() == KeyState.ENABLED || Boolean.TRUE.equals(m.enabled())));
        } catch (NotFoundException e) {
            return Optional.empty();
        } catch (SdkException e) {
            String failed = AwsFailure.fromSts(e) ? "sts:AssumeRole" : "kms:DescribeKey";
            throw AwsFailure.of(failed, keyId, e, policyLines.apply(failed));
        }
    }

    @Override
    public void close() {
        kms.close();
    }
}
