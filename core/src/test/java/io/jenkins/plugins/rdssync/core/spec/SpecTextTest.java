package io.jenkins.plugins.rdssync.core.spec;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/** Typed text to spec values, as the CLI and the Jenkins plugin both read it. */
public class SpecTextTest {

    @Test
    public void linesDropBlanksAndComments() {
        assertEquals(List.of("app", "logs"), SpecText.lines("app\r\n\n  logs  \n# not this one\n"));
        assertNull(SpecText.lines(" \n "));
        assertNull(SpecText.lines(null));
        assertEquals("app\nlogs", SpecText.joinLines(List.of("app", "logs")));
        assertNull(SpecText.joinLines(List.of()));
    }

    @Test
    public void entriesAreTrimmedAndMayBeAnyValue() {
        assertEquals(List.of("app", "42"), SpecText.entries(Arrays.asList(" app ", null, "", 42)));
        assertNull(SpecText.entries(List.of(" ")));
        assertNull(SpecText.trim("  "));
    }

    @Test
    public void numbersAllowUnderscoresAndBlankMeansNotGiven() {
        assertEquals(Integer.valueOf(3306), SpecText.wholeNumber(" 3_306 "));
        assertNull(SpecText.wholeNumber(" "));
        assertEquals(Long.valueOf(5_000_000_000L), SpecText.longNumber("5_000_000_000"));
        assertThrows(NumberFormatException.class, () -> SpecText.wholeNumber("lots"));
        assertThrows(NumberFormatException.class, () -> SpecText.wholeNumber("5000000000"));
    }

    @Test
    public void tagsAreKeyEqualsValueAndOthersAreProblems() {
        SyncSpec.Builder b = SyncSpec.builder().source("prod").target("acc").preserveRows(false);
        Map<String, String> tags = SpecText.tags(List.of("team = qa", "env=acc=1", "no equals sign"), b, "tags");
        assertEquals(Map.of("team", "qa", "env", "acc=1"), tags);
        InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> b.tags(tags).build());
        assertTrue(e.getMessage(), e.problems().stream().anyMatch(p -> p.field().equals("tags")
                && p.message().contains("'no equals sign' is not a tag")));
    }
}
