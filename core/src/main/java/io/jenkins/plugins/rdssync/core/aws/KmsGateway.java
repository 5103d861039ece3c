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

    private final String roleField;

    /** @param roleField as for {@link RdsGateway}: the setting of the role this side assumes, or null */
    public KmsGateway(KmsClient kms, Function<String, String> policyLines, String roleField) {
        this.kms = kms;
        this.policyLines = policyLines;
        this.roleField = roleField;
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
            boolean role = AwsFailure.fromSts(e);
            AwsFailure f = AwsFailure.of(role ? "sts:AssumeRole" : "kms:DescribeKey", keyId, e,
                    policyLines.apply(role ? "sts:AssumeRole" : "kms:DescribeKey"));
            throw role && roleField != null && f.field() == null ? f.withField(roleField) : f;
        }
    }

    @Override
    public void close() {
        kms.close();
    }
}
