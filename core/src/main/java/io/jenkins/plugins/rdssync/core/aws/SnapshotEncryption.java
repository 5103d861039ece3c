package io.jenkins.plugins.rdssync.core.aws;

/**
 * How a snapshot (or an instance, whose new snapshots inherit it) is encrypted.
 *
 * @param arn the snapshot's or instance's ARN (it names the account and region)
 * @param kmsKeyId the KMS key ARN when encrypted, else null
 */
public record SnapshotEncryption(String arn, boolean encrypted, String kmsKeyId) {
}
