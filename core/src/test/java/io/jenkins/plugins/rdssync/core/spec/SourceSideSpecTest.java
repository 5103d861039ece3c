package io.jenkins.plugins.rdssync.core.spec;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

/** The settings of production in another account: when there is a source side, and bad input named with its fix. */
public class SourceSideSpecTest {
    private static final String ROLE = "arn:aws:iam::111122223333:role/rds-sync-source";

    private static SyncSpec.Builder valid() {
        return SyncSpec.builder().source("production").target("acceptance").region("eu-west-1").preserveRows(false);
    }

    private static void assertProblem(SyncSpec.Builder b, String field, String messagePart) {
        InvalidSpecException e = assertThrows(InvalidSpecException.class, b::build);
        assertTrue(e.getMessage(), e.problems().stream().anyMatch(p -> p.field().equals(field)
                && p.message().contains(messagePart)));
    }

    @Test
    public void aSourceSideExistsWithItsOwnIdentityOrRegionOnly() {
        assertFalse("nothing set: one account, as before", valid().build().hasSourceSide());
        assertFalse("the same region is no other side", valid().sourceRegion("eu-west-1").build().hasSourceSide());
        assertTrue(valid().sourceRegion("eu-central-1").build().hasSourceSide());
        assertTrue(valid().sourceRoleArn(ROLE).build().hasSourceSide());
        assertTrue(valid().sourceProfile("production").build().hasSourceSide());
        assertTrue(valid().sourceAwsCredentials("AKIDPRODUCTION", Secret.of("s"), null).build().hasSourceSide());
    }

    @Test
    public void badSourceSettingsAreNamedWithTheirFix() {
        assertProblem(valid().sourceRoleArn("rds-sync-source"), "sourceRoleArn", "is not an IAM role ARN");
        assertProblem(valid().sourceExternalId("x"), "sourceExternalId", "set sourceRoleArn too");
        assertProblem(valid().sourceRegion("Frankfurt"), "sourceRegion", "is not an AWS region name");
        assertProblem(valid().sourceEndpointUrl("rds.local"), "sourceEndpointUrl", "is not an http(s) URL");
        assertProblem(valid().sourceAwsCredentials("AKIDPRODUCTION", null, null), "sourceAwsCredentialsId",
                "needs its secret access key");
        assertProblem(valid().sourceAwsCredentials("wJalrXUtnFEMI/K7MDENG/bPxRfiCY", Secret.of("s"), null),
                "sourceAwsCredentialsId", "was the secret access key given as the key id?");
        assertProblem(valid().sourceAwsCredentials("AKIDPRODUCTION", Secret.of("s"), null).sourceProfile("prod"),
                "sourceProfile", "give one of them");
        assertProblem(valid().sourceRoleArn(ROLE).snapshotMode("latest-automated"), "snapshotMode",
                "only manual snapshots can be shared");
    }

    @Test
    public void theSourceSidesSecretsNeverPrint() {
        SyncSpec s = valid().sourceAwsCredentials("AKIDPRODUCTION", Secret.of("prod-secret-9"), Secret.of("tok-9"))
                .build();
        assertFalse(s.toString().contains("prod-secret-9"));
        assertEquals("prod-secret-9", s.sourceSecretAccessKey().orElseThrow().reveal());
        InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> valid()
                .sourceAwsCredentials("not/a/key-prod-secret-9", Secret.of("prod-secret-9"), null).build());
        assertFalse("a secret typed as the key id is not repeated", e.getMessage().contains("prod-secret-9"));
    }
}
