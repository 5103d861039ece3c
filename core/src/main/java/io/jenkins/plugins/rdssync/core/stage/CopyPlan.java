package io.jenkins.plugins.rdssync.core.stage;

/**
 * What has to cross from the source side to the target side, as Preflight found it.
 *
 * @param share the sides are different accounts: the snapshot is shared with the target's account first
 * @param copy the snapshot is copied into the target's account and region (different account or region)
 * @param sourceKmsKeyId the KMS key the source's snapshot is (or will be) encrypted with; null when unencrypted
 */
record CopyPlan(String sourceAccount, String targetAccount, String sourceRegion, String targetRegion, boolean share,
        boolean copy, String sourceKmsKeyId) {

    boolean crossRegion() {
        return !sourceRegion.equals(targetRegion);
    }
}
