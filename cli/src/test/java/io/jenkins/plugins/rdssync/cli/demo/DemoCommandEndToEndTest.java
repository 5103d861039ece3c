package io.jenkins.plugins.rdssync.cli.demo;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.rdssync.cli.RdsSyncCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.Test;
import picocli.CommandLine;

/** The README's main job, `rds-sync demo`, with the real engine against the emulator. */
public class DemoCommandEndToEndTest {

    @Test
    public void theDemoPassesWithTheRealEngine() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = RdsSyncCommand.commandLine(new RdsSyncCommand());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute("demo", "--rds-minute", "20");
        String text = out + "\n" + err;
        System.out.println(text); // in target/surefire-reports/*-output.txt
        assertEquals(text, 0, code);
        assertTrue(text, text.contains("RESULT: PASS -- all 11 checks passed"));
        assertTrue(text, text.contains("[9/10 Switch] Renaming shop-acc to shop-acc-rds-sync-old"));
        assertTrue(text, text.contains("Downtime"));
        assertFalse("the demo's password is never shown", text.contains("Demo-"));
    }
}
