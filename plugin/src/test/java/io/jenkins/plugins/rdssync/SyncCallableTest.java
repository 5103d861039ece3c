package io.jenkins.plugins.rdssync;

import static io.jenkins.plugins.rdssync.SyncTestSupport.MASTER_PASSWORD;
import static io.jenkins.plugins.rdssync.SyncTestSupport.MASTER_USER;
import static io.jenkins.plugins.rdssync.SyncTestSupport.OFFSET;
import static io.jenkins.plugins.rdssync.SyncTestSupport.RDS_MINUTE;
import static io.jenkins.plugins.rdssync.SyncTestSupport.newPair;
import static io.jenkins.plugins.rdssync.SyncTestSupport.note;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;

import hudson.util.StreamTaskListener;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import io.jenkins.plugins.rdssync.core.spec.SpecValues;
import java.util.List;
import java.util.Map;
import java.util.Map;
import org.junit.Test;

/**
 * The agent side of a sync without Jenkins around it: {@link SyncCallable} with core's engine against the RDS
 * emulator, a stop requested through the {@link RunMonitor} as Abort does, and the resume that finishes the job.
 */
public class SyncCallableTest extends SyncTestSupport {

    private static final String AWS_SECRET = "Callable-Secret-0815";

    private static SyncSettings settings(SyncTestSupport.Pair pair) {
        return new SyncSettings(SpecValues.of(Map.of("source", pair.source(), "target", pair.target(),
                "region", rds.region(), "endpointUrl", rds.endpoint().toString(), "databases", List.of("app"),
                "dbTls", "disabled")));
    }

    private static final ResolvedCredentials CREDENTIALS = new ResolvedCredentials("AKIACALLABLE00000001", AWS_SECRET,
            null, MASTER_USER, MASTER_PASSWORD);

    private static SyncOutcome run(SyncSettings s, Path work, boolean resume, RunMonitor monitor,
            ByteArrayOutputStream log) throws Exception {
        return new SyncCallable(s, CREDENTIALS, work.toString(), resume, RDS_MINUTE.toMillis(),
                new StreamTaskListener(log, StandardCharsets.UTF_8), monitor).execute(null);
    }

    @Test
    public void stopOnRequestThenResume() throws Exception {
        SyncTestSupport.Pair pair = newPair(rds);
        String snapshot = pair.source() + "-rds-sync";
        Path work = Files.createTempDirectory("rds-sync-work");
        rds.faults().hold(snapshot, "creating");
        RunMonitor monitor = new RunMonitor(null);
        Thread abort = new Thread(() -> {
            try {
                // Backup starts and ends while the snapshot is held: the current stage stays Snapshot
                while (!"Snapshot".equals(monitor.currentStage()) || !Files.exists(work.resolve("journal.properties"))) {
                    Thread.sleep(20);
                }
                Thread.sleep(300);
                monitor.requestStop("the build was aborted", true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        abort.start();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        SyncOutcome stopped = run(settings(pair), work, false, monitor, log);
        abort.join();
        String text = log.toString(StandardCharsets.UTF_8);
        assertEquals(text, SyncOutcome.Kind.CANCELLED, stopped.kind());
        assertEquals("Snapshot", stopped.stage());
        assertThat(text, containsString("resume: true"));
        assertEquals("nothing destructive before the snapshot", "old", note(rds, pair.target(), 1));

        rds.faults().release(snapshot);
        ByteArrayOutputStream log2 = new ByteArrayOutputStream();
        SyncOutcome done = run(settings(pair), work, true, new RunMonitor(null), log2);
        String text2 = log2.toString(StandardCharsets.UTF_8);
        assertEquals(text2, SyncOutcome.Kind.SUCCESS, done.kind());
        assertThat(text2, containsString("already done"));
        Map<String, Object> r = done.result();
        assertEquals(pair.target(), r.get("instance"));
        assertEquals(snapshot, r.get("snapshot"));
        assertEquals(Map.of("app.orders", 1L), r.get("preservedRows"));
        assertEquals("p1", note(rds, pair.target(), 1));
        assertEquals("made on acceptance", note(rds, pair.target(), OFFSET + 1));
        for (String secret : List.of(AWS_SECRET, MASTER_PASSWORD)) {
            assertThat(text + text2, not(containsString(secret)));
        }
    }

    @Test
    public void invalidSettingsNameEveryField() throws Exception {
        SyncSettings s = settings(new SyncTestSupport.Pair("prod", "prod")).with("offset", -5L);
        SyncOutcome o = run(s, Files.createTempDirectory("rds-sync-work"), false, new RunMonitor(null),
                new ByteArrayOutputStream());
        assertEquals(SyncOutcome.Kind.INVALID, o.kind());
        assertThat(o.message(), containsString("target: is the same instance as source"));
        assertThat(o.message(), containsString("offset: "));
    }
}
