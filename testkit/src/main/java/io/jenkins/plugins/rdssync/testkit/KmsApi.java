package io.jenkins.plugins.rdssync.testkit;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The KMS action the engine's read-only checks use, DescribeKey, in KMS's JSON protocol (X-Amz-Target
 * {@code TrentService.DescribeKey}, {@code application/x-amz-json-1.1}; errors are {@code {"__type", "message"}}
 * with HTTP 400). As the KMS API Reference describes it: a key named by key id or alias only in the caller's own
 * account, by ARN from another one; another account may describe a customer managed key only when the key policy
 * allows it (AccessDeniedException), never an AWS managed key; an unknown key is NotFoundException.
 */
final class KmsApi {
    private static final Pattern KEY_ID = Pattern.compile("\"KeyId\"\\s*:\\s*\"([^\"]*)\"");

    private final AwsAccounts accounts;

    KmsApi(AwsAccounts accounts) {
        this.accounts = accounts;
    }

    /** The action of the X-Amz-Target header, e.g. {@code DescribeKey}. */
    static String action(String target) {
        return target == null ? null : target.substring(target.indexOf('.') + 1);
    }

    /** The JSON body of the answer. */
    String dispatch(AwsAccounts.Caller caller, String action, String body) {
        if (!"DescribeKey".equals(action)) {
            throw new RdsApiException(400, "UnknownOperationException", "Unknown operation " + action);
        }
        Matcher m = KEY_ID.matcher(body);
        if (!m.find() || m.group(1).isEmpty()) {
            throw new RdsApiException(400, "ValidationException", "1 validation error detected: Value null at"
                    + " 'keyId' failed to satisfy constraint: Member must not be null");
        }
        String keyId = m.group(1);
        AwsAccounts.KmsKey k = accounts.key(keyId, caller.accountId(), caller.region());
        if (k == null) {
            throw new RdsApiException(400, "NotFoundException", "Key '" + keyId + "' does not exist");
        }
        if (!k.usableBy(caller.accountId())) {
            throw new RdsApiException(400, "AccessDeniedException", "User: " + caller.principalArn()
                    + " is not authorized to perform: kms:DescribeKey on resource: " + k.arn()
                    + " because no resource-based policy allows the kms:DescribeKey action");
        }
        return "{\"KeyMetadata\":{\"AWSAccountId\":\"" + k.accountId() + "\",\"KeyId\":\"" + k.keyId()
                + "\",\"Arn\":\"" + k.arn() + "\",\"CreationDate\":" + k.created().getEpochSecond()
                + ",\"Enabled\":true,\"Description\":\"" + (k.awsManaged()
                        ? "Default key that protects my RDS database volumes when no other key is defined"
                        : "emulated customer managed key")
                + "\",\"KeyUsage\":\"ENCRYPT_DECRYPT\",\"KeyState\":\"Enabled\",\"Origin\":\"AWS_KMS\",\"KeyManager\":\""
                + (k.awsManaged() ? "AWS" : "CUSTOMER") + "\",\"KeySpec\":\"SYMMETRIC_DEFAULT\","
                + "\"CustomerMasterKeySpec\":\"SYMMETRIC_DEFAULT\",\"EncryptionAlgorithms\":[\"SYMMETRIC_DEFAULT\"],"
                + "\"MultiRegion\":false}}";
    }

    static String error(RdsApiException e) {
        return "{\"__type\":\"" + e.code + "\",\"message\":\"" + e.getMessage().replace("\\", "\\\\")
                .replace("\"", "\\\"") + "\"}";
    }
}
