package io.jenkins.plugins.rdssync.core.aws;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import io.jenkins.plugins.rdssync.core.spec.SnapshotMode;
import io.jenkins.plugins.rdssync.core.spec.Strategy;
import io.jenkins.plugins.rdssync.core.spec.SyncSpec;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.Test;

/** What an AccessDenied in one account names: the statement of the shipped files that allows the call. */
public class ShippedPoliciesTest {
    private static SyncSpec.Builder spec() {
        return SyncSpec.builder().source("production").target("acc").region("eu-west-1").preserveRows(false);
    }

    @Test
    public void theJarBundlesDocsIamAsItIs() throws Exception {
        try (Stream<Path> files = Files.list(Path.of("..", "docs", "iam"))) {
            List<Path> json = files.filter(p -> p.toString().endsWith(".json")).toList();
            assertEquals("docs/iam/ has its nine files", 9, json.size());
            for (Path f : json) {
                try (InputStream in = ShippedPolicies.class.getResourceAsStream(
                        "/io/jenkins/plugins/rdssync/core/iam/" + f.getFileName())) {
                    assertEquals(f.toString(), Files.readString(f), new String(in.readAllBytes(),
                            StandardCharsets.UTF_8));
                }
            }
        }
    }

    @Test
    public void filesFollowTheSnapshotModeTheStrategyAndTheCopyKey() {
        assertEquals(List.of("source-snapshot.json", "target-swap.json"),
                ShippedPolicies.oneAccountFiles(spec().build()));
        assertEquals(List.of("source-read.json", "target-replace.json", "kms-copy.json"), ShippedPolicies
                .oneAccountFiles(spec().snapshotMode(SnapshotMode.LATEST_AUTOMATED).strategy(Strategy.REPLACE)
                        .snapshotCopyKmsKeyId("alias/acc").build()));
    }

    @Test
    public void aDeniedActionNamesEveryStatementThatListsIt() {
        List<String> swap = ShippedPolicies.oneAccountFiles(spec().build());
        assertEquals("statement RestoreUnderTheTemporaryName of docs/iam/target-swap.json",
                ShippedPolicies.statementsAllowing("RestoreDBInstanceFromDBSnapshot", swap));
        assertEquals("statement SnapshotTheSource of docs/iam/source-snapshot.json or statement"
                        + " FinalSnapshotOfTheOldTarget of docs/iam/target-swap.json",
                ShippedPolicies.statementsAllowing("CreateDBSnapshot", swap));
        assertEquals("statement UseTheKey of docs/iam/kms-copy.json", ShippedPolicies.statementsAllowing(
                "kms:CreateGrant", ShippedPolicies.oneAccountFiles(spec().snapshotCopyKmsKeyId("k").build())));
        assertNull("no shipped statement lists it", ShippedPolicies.statementsAllowing("DeleteDBCluster", swap));
        assertNull("a copy without snapshotCopyKmsKeyId is not one of this sync's calls",
                ShippedPolicies.oneAccountLines(spec().build()).apply("CopyDBSnapshot"));
    }
}
