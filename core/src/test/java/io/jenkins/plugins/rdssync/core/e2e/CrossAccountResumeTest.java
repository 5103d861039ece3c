package io.jenkins.plugins.rdssync.core.e2e;

import static io.jenkins.plugins.rdssync.core.e2e.TwoAccounts.ACC;
import static io.jenkins.plugins.rdssync.core.e2e.TwoAccounts.PROD;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.rdssync.core.run.Journal;
import io.jenkins.plugins.rdssync.core.run.StageName;
import io.jenkins.plugins.rdssync.core.run.StageStatus;
import io.jenkins.plugins.rdssync.core.run.SyncException;
import io.jenkins.plugins.rdssync.core.run.SyncResult;
import io.jenkins.plugins.rdssync.core.spec.SyncSpec;
import io.jenkins.plugins.rdssync.testkit.RecordedRequest;
import java.util.Set;
import org.junit.ClassRule;
import org.junit.Test;

/**
 * A cross-account run stopped in each of its new steps — before the share, while the copy is being made, before the
 * share is taken back — and resumed: the share is made once and taken back, one copy is made, and the run ends as a
 * run that never stopped. A "stop" is a hook that throws from inside the stage, as if the process had died there.
 */
public class CrossAccountResumeTest {
    @ClassRule
    public static final TwoAccounts AWS = new TwoAccounts();

    private static Runnable crash() {
        return () -> {
            throw new IllegalStateException("simulated crash");
        };
    }

    private static SyncSpec spec(String name) throws Exception {
        AWS.production(name + "-prod");
        AWS.rds.requests().clear(); // the counts below are this test's
        return AWS.spec(name + "-prod", name + "-acc").strategy("replace").build();
    }

    private static SyncException stopped(SyncSpec spec, RecordingListener l) {
        SyncException e = assertThrows(SyncException.class, () -> AWS.sync(spec, l));
        System.out.println("STOPPED " + spec.target() + " in " + e.stage() + "\n  message: " + e.getMessage()
                + "\n  hint:    " + e.hint());
        return e;
    }

    private static SyncResult resume(SyncSpec spec, RecordingListener l) throws SyncException {
        return AWS.sync(spec.toBuilder().resume(true).build(), l);
    }

    private static long succeeded(String action, String account, String param, String value) {
        return AWS.rds.requests().ofAction(action).stream().filter(RecordedRequest::succeeded)
                .filter(r -> account.equals(r.accountId()))
                .filter(r -> param == null || value.equals(r.param(param))).count();
    }

    @Test
    public void stoppedBeforeTheShareResumesAndSharesOnce() throws Exception {
        SyncSpec spec = spec("xa-share");
        SyncException e = stopped(spec, new RecordingListener().when("Sharing snapshot", crash()));
        assertEquals(StageName.COPY, e.stage());
        assertTrue(e.hint(), e.hint().contains("The acceptance target was not changed"));
        assertEquals("the journal knows the share is this run's", ACC,
                Journal.open(spec.workDir()).get("copy.shared.with").orElse(null));
        assertEquals("stopped before the share", Set.of(), AWS.prod.snapshotSharedWith(spec.snapshotName() + "-a"));

        RecordingListener resumed = new RecordingListener();
        SyncResult r = resume(spec, resumed);
        assertEquals(StageStatus.ALREADY_DONE, CrossAccountTest.status(r, StageName.SNAPSHOT));
        assertEquals(StageStatus.DONE, CrossAccountTest.status(r, StageName.COPY));
        assertEquals(1, succeeded("ModifyDBSnapshotAttribute", PROD, "ValuesToAdd.AttributeValue.1", ACC));
        assertEquals(1, succeeded("ModifyDBSnapshotAttribute", PROD, "ValuesToRemove.AttributeValue.1", ACC));
        assertEquals(Set.of(), AWS.prod.snapshotSharedWith(spec.snapshotName() + "-a"));
        assertEquals(200, AWS.queryLong(AWS.acc, "xa-share-acc", "SELECT COUNT(*) FROM customers"));
    }

    @Test
    public void stoppedWhileTheCopyIsBeingMadeWaitsForThatCopy() throws Exception {
        SyncSpec spec = spec("xa-copy");
        String copy = spec.snapshotName(); // acceptance's copy of production's rolling snapshot (-a tonight)
        AWS.acc.faults().hold(copy, "creating");
        try {
            SyncException e = stopped(spec, new RecordingListener().when("Copy " + copy + ": creating", crash()));
            assertEquals(StageName.COPY, e.stage());
            assertEquals("creating", AWS.acc.snapshotStatus(copy));
            assertEquals(copy, Journal.open(spec.workDir()).get("copy.id").orElse(null));

            RecordingListener resumed = new RecordingListener().when("was started by the interrupted run",
                    () -> AWS.acc.faults().release(copy));
            SyncResult r = resume(spec, resumed);
            assertTrue(resumed.text(), resumed.text().contains("Copy " + copy + " was started by the interrupted run"));
            assertEquals(StageStatus.DONE, CrossAccountTest.status(r, StageName.COPY));
        } finally {
            AWS.acc.faults().release(copy);
        }
        assertEquals("one copy, not two", 1, succeeded("CopyDBSnapshot", ACC, "TargetDBSnapshotIdentifier", copy));
        assertEquals(Set.of(), AWS.prod.snapshotSharedWith(copy + "-a"));
        assertEquals(200, AWS.queryLong(AWS.acc, "xa-copy-acc", "SELECT COUNT(*) FROM customers"));
    }

    @Test
    public void stoppedBeforeTheShareIsTakenBackTakesItBackOnResume() throws Exception {
        SyncSpec spec = spec("xa-unshare");
        // a second night: on a first night (no target yet) replace keeps no target settings to resume with
        AWS.sync(spec, new RecordingListener());
        spec = spec.toBuilder().workDir(spec.workDir().resolveSibling("xa-unshare-night-2")).build();
        AWS.rds.requests().clear();
        SyncException e = stopped(spec, new RecordingListener().when("Removing the share", crash()));
        assertEquals(StageName.CLEANUP, e.stage());
        assertEquals(Set.of(ACC), AWS.prod.snapshotSharedWith(spec.snapshotName() + "-b"));

        RecordingListener resumed = new RecordingListener();
        SyncResult r = resume(spec, resumed);
        assertEquals(StageStatus.ALREADY_DONE, CrossAccountTest.status(r, StageName.COPY));
        assertEquals("restored once", 1, succeeded("RestoreDBInstanceFromDBSnapshot", ACC, null, null));
        assertEquals(StageStatus.DONE, CrossAccountTest.status(r, StageName.CLEANUP));
        assertEquals(Set.of(), AWS.prod.snapshotSharedWith(spec.snapshotName() + "-b"));
        assertEquals(1, succeeded("CopyDBSnapshot", ACC, "TargetDBSnapshotIdentifier", spec.snapshotName()));
    }

    @Test
    public void aShareThePolicyDoesNotAllowNamesTheMissingLineThenResumes() throws Exception {
        SyncSpec spec = spec("xa-denied");
        AWS.prod.faults().failNext("ModifyDBSnapshotAttribute", 1, 403, "AccessDenied", "User: "
                + "arn:aws:sts::" + PROD + ":assumed-role/rds-sync-source/rds-sync-xa-denied-acc is not authorized to"
                + " perform: rds:ModifyDBSnapshotAttribute on resource: " + AWS.prod.snapshotArn(spec.snapshotName() + "-a")
                + " because no identity-based policy allows the rds:ModifyDBSnapshotAttribute action");
        SyncException e = stopped(spec, new RecordingListener());
        assertEquals(StageName.COPY, e.stage());
        assertTrue(e.getMessage(), e.getMessage().contains("The policy line that allows it is missing:"
                + " rds:ModifyDBSnapshotAttribute in statement ShareAndDeleteOwnSnapshots of"
                + " docs/iam/cross-account-source.json, attached to the source side's identity (sourceRoleArn)"));
        assertTrue(e.hint(), e.hint().contains("The acceptance target was not changed"));
        SyncResult r = resume(spec, new RecordingListener());
        assertEquals(StageStatus.DONE, CrossAccountTest.status(r, StageName.COPY));
        assertEquals(Set.of(), AWS.prod.snapshotSharedWith(spec.snapshotName() + "-a"));
    }

    @Test
    public void aDryRunPlansTheShareAndTheCopyAndChangesNothing() throws Exception {
        SyncSpec spec = spec("xa-plan").toBuilder().dryRun(true).snapshotMode("new").build();
        AWS.rds.requests().clear();
        RecordingListener l = new RecordingListener();
        SyncResult r = AWS.sync(spec, l);
        assertTrue(r.dryRun());
        assertTrue(l.text(), l.text().contains("Would call ModifyDBSnapshotAttribute " + spec.snapshotName() + "-<timestamp>"
                + " AttributeName=restore ValuesToAdd=" + ACC));
        assertTrue(l.text(), l.text().contains("Would call CopyDBSnapshot arn:aws:rds:"));
        assertTrue(AWS.rds.requests().mutating().isEmpty());
    }
}
