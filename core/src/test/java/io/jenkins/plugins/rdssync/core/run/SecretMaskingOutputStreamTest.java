package io.jenkins.plugins.rdssync.core.run;

import static org.junit.Assert.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.Test;

/** Plain unit tests: no Jenkins needed. */
public class SecretMaskingOutputStreamTest {

    private static String through(List<String> secrets, String... writes) throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        SecretMaskingOutputStream m = new SecretMaskingOutputStream(sink, secrets);
        for (String w : writes) {
            m.write(w.getBytes(StandardCharsets.UTF_8));
        }
        m.drain();
        return sink.toString(StandardCharsets.UTF_8);
    }

    @Test
    public void masksEveryOccurrenceOnALine() throws IOException {
        assertEquals("key **** and **** again\n", through(List.of("s3cr3t"), "key s3cr3t and s3cr3t again\n"));
    }

    @Test
    public void aSecretSplitAcrossWritesIsStillMasked() throws IOException {
        assertEquals("password=****\nnext\n", through(List.of("hunter22"), "password=hun", "ter22\nnext\n"));
    }

    @Test
    public void longerSecretsWinOverTheirPrefixes() throws IOException {
        assertEquals("****\n", through(List.of("abc", "abcdef"), "abcdef\n"));
    }

    @Test
    public void shortAndEmptyValuesAreNotMasked() throws IOException {
        assertEquals("a b ab\n", through(java.util.Arrays.asList("a", "ab", "", null), "a b ab\n"));
    }

    @Test
    public void partialLinesWaitForTheirEndButDrainWritesThem() throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        SecretMaskingOutputStream m = new SecretMaskingOutputStream(sink, List.of("topsecret"));
        PrintStream ps = new PrintStream(m, true, StandardCharsets.UTF_8);
        ps.print("progress 50% topsec");
        ps.flush();
        assertEquals("", sink.toString(StandardCharsets.UTF_8));
        ps.print("ret\r");
        assertEquals("progress 50% ****\r", sink.toString(StandardCharsets.UTF_8));
        ps.print("tail topsecret");
        m.drain();
        assertEquals("progress 50% ****\rtail ****", sink.toString(StandardCharsets.UTF_8));
    }

    @Test
    public void messagesAreMaskedTheSameWay() {
        assertEquals("AWS said: bad key **** for ****", SecretMaskingOutputStream.mask(
                "AWS said: bad key s3cr3t-key for AKIA0001", List.of("AKIA0001", "s3cr3t-key", "x")));
        assertEquals("", SecretMaskingOutputStream.mask(null, List.of("s3cr3t")));
    }

    @Test
    public void multiByteTextSurvives() throws IOException {
        assertEquals("Zürich → ****\n", through(List.of("pässwörd"), "Zürich → pässwörd\n"));
    }
}
