package io.jenkins.plugins.rdssync.core.reliability;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.rdssync.core.e2e.EmulatedRds;
import io.jenkins.plugins.rdssync.core.e2e.RecordingListener;
import io.jenkins.plugins.rdssync.core.run.Journal;
import io.jenkins.plugins.rdssync.core.run.StageName;
import io.jenkins.plugins.rdssync.core.run.StageStatus;
import io.jenkins.plugins.rdssync.core.run.SyncException;
import io.jenkins.plugins.rdssync.core.spec.SyncSpec;
import java.util.List;
import java.util.Map;
import org.junit.After;
import org.junit.ClassRule;
import org.junit.Test;

/**
 * The snapshot and the backup run side by side. A failure in either is reported as itself (not wrapped in the
 * executor's exceptions), the other branch is stopped or finished before the run returns, and what it produced
 * stays in the journal for the resume.
 */
public class OverlapTest {
    @ClassRule
    public static final EmulatedRds RDS = new EmulatedRds();
    private static final Rig RIG = new Rig(RDS);

    @After
    public void noFaultLeft() {
        RDS.rds.faults().reset();
    }

    @Test
    public void aBackupFailingWhileTheSnapshotIsCreatedIsReportedAsTheBackupsAndTheSnapshotIsKept() throws Exception {
        String target = "acc-overlap-backup";
        String snap = target + "-snap-a"; // rolling: the first of the two names
        Map<String, List<String>> rows = RIG.acceptance(target);
        SyncSpec spec = RDS.spec(target).snapshotName(target + "-snap").build();
        RDS.rds.faults().hold(snap, "creating");
        RDS.rds.requests().clear();
        RecordingListener l = new RecordingListener().when("[Backup] shop.customers",
                () -> RDS.rds.faults().dropConnections(target));
        SyncException e = RIG.failing(spec, l);
        assertEquals(l.text(), StageName.BACKUP, e.stage());
        assertTrue(e.getMessage(), e.getMessage().startsWith("Backup failed: cannot read the preserved rows"));
        assertTrue(e.getMessage(), e.getMessage().contains("Communications link failure"));
        for (String wrapper : List.of("CompletionException", "ExecutionException", "Cancelled")) {
            assertFalse(e.getMessage(), e.getMessage().contains(wrapper));
        }
        assertEquals("one failure reported", 1, l.failures.size());
        assertEquals("the snapshot was stopped", StageStatus.CANCELLED, Rig.status(l, StageName.SNAPSHOT));
        assertEquals("the snapshot stays recorded for the resume", snap,
                Journal.open(spec.workDir()).get("snapshot.id").orElse(null));
        // the snapshot's branch ended before the run returned: no request comes after
        int requests = RDS.rds.requests().all().size();
        Thread.sleep(EmulatedRds.RDS_MINUTE.toMillis() * 10);
        assertEquals("no request after the run returned", requests, RDS.rds.requests().all().size());

        RDS.rds.faults().release(snap);
        RIG.resume(spec);
        RIG.assertRowsExactlyOnce(target, rows);
        assertEquals("one snapshot in all", 1, RIG.succeeded("CreateDBSnapshot", snap));
    }

    @Test
    public void aSnapshotFailingWhileTheBackupRunsIsReportedAsTheSnapshotsAndTheBackupIsKept() throws Exception {
        String target = "acc-overlap-snap";
        String snap = target + "-snap-a"; // rolling: the first of the two names
        Map<String, List<String>> rows = RIG.acceptance(target);
        SyncSpec spec = RDS.spec(target).snapshotName(target + "-snap").build();
        RDS.rds.faults().failNext("CreateDBSnapshot", 1, 400, "SnapshotQuotaExceeded",
                "Cannot create more than 100 manual snapshots");
        RecordingListener l = new RecordingListener();
        SyncException e = RIG.failing(spec, l);
        assertEquals(l.text(), StageName.SNAPSHOT, e.stage());
        assertTrue(e.getMessage(), e.getMessage().startsWith("Snapshot failed: "));
        assertTrue(e.getMessage(), e.getMessage().contains("SnapshotQuotaExceeded"));
        for (String wrapper : List.of("CompletionException", "ExecutionException")) {
            assertFalse(e.getMessage(), e.getMessage().contains(wrapper));
        }
        assertEquals("one failure reported", 1, l.failures.size());
        assertEquals("the backup finished alongside", StageStatus.DONE, Rig.status(l, StageName.BACKUP));
        RIG.assertBackupIntact(spec, rows);

        RecordingListener resumed = new RecordingListener();
        RIG.resume(spec, resumed);
        assertEquals("the resume reuses the backup", StageStatus.ALREADY_DONE, Rig.status(resumed, StageName.BACKUP));
        RIG.assertRowsExactlyOnce(target, rows);
    }
}
