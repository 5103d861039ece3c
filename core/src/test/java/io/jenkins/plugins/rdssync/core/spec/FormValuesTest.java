package io.jenkins.plugins.rdssync.core.spec;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.sf.json.JSONArray;
import net.sf.json.JSONNull;
import net.sf.json.JSONObject;
import org.junit.Test;

/**
 * The one normalisation of a submitted form, over the JSON a browser sends: every field of the form is present,
 * blank or not (text boxes and text areas as strings, check boxes as booleans), with {@code stapler-class} and
 * {@code $class} where the object is a describable of a list (the Snippet Generator, a freestyle build step) and
 * without them where it is nested ({@code <f:property field="sync"/>}). The objects are json-lib's, as Stapler
 * hands them to {@code Descriptor.newInstance}.
 */
public class FormValuesTest {

    private static final String STEP = "io.jenkins.plugins.rdssync.RdsSyncStep";

    /** What the browser sends for the form left as it opens, source and target filled in. */
    private static JSONObject blankForm(boolean withClass) {
        JSONObject f = new JSONObject();
        for (SpecKey k : SpecKeys.jenkins()) {
            f.put(k.name(), k.type() == SpecKey.Type.BOOLEAN ? Boolean.TRUE.equals(k.defaultValue()) : "");
        }
        f.put("source", "prod");
        f.put("target", "acceptance");
        if (withClass) {
            f.put("stapler-class", STEP);
            f.put("$class", STEP);
        }
        return JSONObject.fromObject(f.toString()); // as parsed from the request's "json" parameter
    }

    @Test
    public void aBlankFormLeavesEveryDefault() {
        for (boolean withClass : List.of(true, false)) {
            Map<String, Object> n = FormValues.normalise(blankForm(withClass));
            Map<String, Object> expected = new LinkedHashMap<>();
            expected.put("source", "prod");
            expected.put("target", "acceptance");
            for (SpecKey k : SpecKeys.jenkins()) {
                if (k.type() == SpecKey.Type.BOOLEAN) {
                    expected.put(k.name(), k.defaultValue());
                }
            }
            if (withClass) {
                expected.put("stapler-class", STEP);
                expected.put("$class", STEP);
            }
            assertEquals("stapler-class " + withClass, new java.util.TreeMap<>(expected), new java.util.TreeMap<>(n));
        }
    }

    @Test
    public void blankNumbersAreLeftOutNotZeroAndNotAnError() {
        JSONObject f = blankForm(true);
        assertEquals("", f.get("offset"));
        Map<String, Object> n = FormValues.normalise(f);
        for (String k : List.of("offset", "dbPort", "snapshotKeep", "timeoutMinutes", "instancePort",
                "backupRetention")) {
            assertFalse(k, n.containsKey(k));
        }
        f.put("offset", "   ");
        f.put("dbPort", JSONNull.getInstance());
        assertFalse(FormValues.normalise(f).containsKey("offset"));
        assertFalse(FormValues.normalise(f).containsKey("dbPort"));
    }

    @Test
    public void numbersWithSeparators() {
        JSONObject f = blankForm(false);
        f.put("offset", " 2_000_000_000 ");
        f.put("timeoutMinutes", "1 440");
        f.put("dbPort", "3306");
        f.put("snapshotKeep", 5); // a Pipeline map or an older form may send a number
        Map<String, Object> n = FormValues.normalise(f);
        assertEquals(2_000_000_000L, n.get("offset"));
        assertEquals(1440, n.get("timeoutMinutes"));
        assertEquals(3306, n.get("dbPort"));
        assertEquals(5, n.get("snapshotKeep"));
        assertEquals(Long.class, n.get("offset").getClass());
        assertEquals(Integer.class, n.get("dbPort").getClass());
    }

    @Test
    public void badNumbersNameTheFieldAndTheFix() {
        JSONObject f = blankForm(true);
        f.put("offset", "lots");
        f.put("dbPort", "33 06x");
        f.put("timeoutMinutes", "99999999999");
        InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> FormValues.normalise(f));
        assertEquals(java.util.Set.of("offset", "dbPort", "timeoutMinutes"),
                e.problems().stream().map(SpecProblem::field).collect(java.util.stream.Collectors.toSet()));
        assertTrue(e.getMessage(), e.getMessage().contains("offset: 'lots' is not a whole number"));
        assertTrue(e.getMessage(), e.getMessage().contains("leave it blank for the default"));
    }

    @Test
    public void oneEntryPerLineBecomesAList() {
        JSONObject f = blankForm(false);
        f.put("databases", "app\r\n  logs  \n\n# not this one\n");
        f.put("tags", "team=qa\nenv = acceptance");
        f.put("stageTimeoutMinutes", "restore=90\n");
        f.put("postSql", "   \n ");
        f.put("allowTargets", "*-acc");
        Map<String, Object> n = FormValues.normalise(f);
        assertEquals(List.of("app", "logs"), n.get("databases"));
        assertEquals(List.of("team=qa", "env = acceptance"), n.get("tags"));
        assertEquals(List.of("restore=90"), n.get("stageTimeoutMinutes"));
        assertEquals(List.of("*-acc"), n.get("allowTargets"));
        assertFalse("a blank text area is the default", n.containsKey("postSql"));
        assertFalse(n.containsKey("securityGroups"));
    }

    @Test
    public void listsAlreadyListsStayLists() {
        JSONObject f = blankForm(false);
        f.put("databases", JSONArray.fromObject(List.of(" app ", "", "logs")));
        assertEquals(List.of("app", "logs"), FormValues.normalise(f).get("databases"));
    }

    @Test
    public void textIsTrimmedAndBlankIsTheDefault() {
        JSONObject f = blankForm(false);
        f.put("region", " eu-west-1 ");
        f.put("externalId", "0123");
        f.put("snapshotName", "  ");
        Map<String, Object> n = FormValues.normalise(f);
        assertEquals("eu-west-1", n.get("region"));
        assertEquals("0123", n.get("externalId"));
        assertFalse(n.containsKey("snapshotName"));
    }

    @Test
    public void optionalTrueFalse() {
        JSONObject f = blankForm(false);
        f.put("multiAz", "true");
        f.put("publiclyAccessible", "");
        Map<String, Object> n = FormValues.normalise(f);
        assertEquals(Boolean.TRUE, n.get("multiAz"));
        assertFalse(n.containsKey("publiclyAccessible"));
        f.put("publiclyAccessible", "perhaps");
        InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> FormValues.normalise(f));
        assertEquals("publiclyAccessible", e.problems().get(0).field());
    }

    @Test
    public void entriesThatAreNotKeysPassUntouched() {
        JSONObject f = blankForm(true);
        JSONObject nested = JSONObject.fromObject("{\"a\":\"\"}");
        f.put("kind", "x");
        f.put("somethingNested", nested);
        f.put("mysqlUser", "cli-only key: not the form's business");
        Map<String, Object> n = FormValues.normalise(f);
        assertEquals(STEP, n.get("stapler-class"));
        assertEquals(STEP, n.get("$class"));
        assertEquals("x", n.get("kind"));
        assertEquals(nested, n.get("somethingNested"));
        assertEquals("cli-only key: not the form's business", n.get("mysqlUser"));
    }

    @Test
    public void jsonNullIsNull() {
        assertTrue(FormValues.isNull(JSONNull.getInstance()));
        assertTrue(FormValues.isNull(null));
        assertFalse(FormValues.isNull("null"));
        assertFalse(FormValues.isNull(""));
        assertNull(FormValues.value(SpecKeys.of("region"), JSONNull.getInstance()));
    }

    /** What the normalised form binds to, back in json-lib: lists as JSON arrays, numbers as numbers. */
    @Test
    public void theResultGoesBackIntoJson() {
        JSONObject f = blankForm(true);
        f.put("databases", "app\nlogs");
        f.put("offset", "5_000_000_000");
        JSONObject back = JSONObject.fromObject(FormValues.normalise(f));
        assertEquals(JSONArray.fromObject(List.of("app", "logs")), back.get("databases"));
        assertEquals(5_000_000_000L, back.getLong("offset"));
        assertFalse(back.has("dbPort"));
        assertEquals(STEP, back.getString("stapler-class"));
    }
}
