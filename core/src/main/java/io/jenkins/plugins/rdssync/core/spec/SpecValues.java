package io.jenkins.plugins.rdssync.core.spec;

import io.jenkins.plugins.rdssync.core.spec.SpecKey.Type;
import java.beans.BeanInfo;
import java.beans.IntrospectionException;
import java.beans.Introspector;
import java.beans.PropertyDescriptor;
import java.io.Serializable;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The settings of one sync as a Jenkins step holds them: for each key of {@link SpecKeys#jenkins()} its value in
 * the key's form type ({@link Type#form()}: {@code String}, {@code Integer}, {@code Long}, {@code Boolean},
 * {@code List<String>}), normalised by {@link FormValues#value}. Plain and serializable, so it travels to the agent
 * that runs the sync and is saved with a Pipeline's state; no secrets, only credential ids.
 *
 * <p>{@link #applyTo} puts every value on a {@link SyncSpec.Builder} through the key table, resolving paths against
 * the workspace; validation is the builder's. Keys not set are absent, so their defaults apply.
 */
public final class SpecValues implements Serializable {
    private static final long serialVersionUID = 1L;

    private final LinkedHashMap<String, Serializable> values = new LinkedHashMap<>();

    private SpecValues() {
    }

    /** No values: every default. */
    public static SpecValues empty() {
        return new SpecValues();
    }

    /**
     * Values by key name, normalised as {@link FormValues#value} does; names that are not Jenkins keys are refused.
     *
     * @throws InvalidSpecException for a value that cannot be read
     */
    public static SpecValues of(Map<String, ?> byName) {
        SpecValues v = new SpecValues();
        byName.forEach(v::put);
        return v;
    }

    /**
     * Reads every Jenkins key from the bean's getters of the same name ({@code getRegion()}, {@code isDryRun()}):
     * the Jenkins step and the settings saved in earlier layouts. A key without a getter is left unset.
     */
    public static SpecValues fromBean(Object bean) {
        SpecValues v = new SpecValues();
        Map<String, PropertyDescriptor> props = properties(bean.getClass());
        for (SpecKey key : SpecKeys.jenkins()) {
            PropertyDescriptor p = props.get(key.name());
            Method read = p == null ? null : p.getReadMethod();
            if (read != null) {
                v.put(key.name(), invoke(read, bean));
            }
        }
        return v;
    }

    /**
     * Calls the bean's setter of every key that has a value here (the Jenkins step reading a layout saved before its
     * fields were its own).
     *
     * @throws IllegalArgumentException when the bean has no setter for a key set here
     */
    public void writeTo(Object bean) {
        Map<String, PropertyDescriptor> props = properties(bean.getClass());
        for (Map.Entry<String, Serializable> e : values.entrySet()) {
            PropertyDescriptor p = props.get(e.getKey());
            Method write = p == null ? null : p.getWriteMethod();
            if (write == null) {
                throw new IllegalArgumentException(bean.getClass().getName() + " has no setter for " + e.getKey());
            }
            invoke(write, bean, e.getValue());
        }
    }

    private static Map<String, PropertyDescriptor> properties(Class<?> c) {
        try {
            BeanInfo info = Introspector.getBeanInfo(c, Object.class);
            Map<String, PropertyDescriptor> m = new LinkedHashMap<>();
            for (PropertyDescriptor p : info.getPropertyDescriptors()) {
                m.put(p.getName(), p);
            }
            return m;
        } catch (IntrospectionException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object invoke(Method m, Object bean, Object... args) {
        try {
            return m.invoke(bean, args);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        } catch (InvocationTargetException e) {
            Throwable c = e.getCause();
            throw c instanceof RuntimeException r ? r : new IllegalStateException(c);
        }
    }

    private void put(String name, Object raw) {
        SpecKey key = SpecKeys.get(name);
        if (key == null || !key.scope().inJenkins()) {
            throw new IllegalArgumentException("not a key of the Jenkins step: " + name);
        }
        Object v = FormValues.value(key, raw);
        if (v == null) {
            values.remove(name);
        } else if (v instanceof List<?> l) {
            ArrayList<String> copy = new ArrayList<>();
            l.forEach(o -> copy.add(o.toString()));
            values.put(name, copy);
        } else {
            values.put(name, (Serializable) v);
        }
    }

    // ---- reading ---------------------------------------------------------------------------------------------------

    /** The value of a key in its form type, or {@code null} when not set. */
    public Object get(String name) {
        Object v = values.get(name);
        return v instanceof List<?> l ? Collections.unmodifiableList(l) : v;
    }

    public String text(String name) {
        Object v = values.get(name);
        return v == null ? null : v.toString();
    }

    public Integer number(String name) {
        return (Integer) values.get(name);
    }

    /** A true/false key: its value, else its default ({@code false} when it has none). */
    public boolean flag(String name) {
        Object v = values.get(name);
        if (v != null) {
            return (Boolean) v;
        }
        return Boolean.TRUE.equals(SpecKeys.of(name).defaultValue());
    }

    @SuppressWarnings("unchecked")
    public List<String> list(String name) {
        Object v = values.get(name);
        return v == null ? null : Collections.unmodifiableList((List<String>) v);
    }

    /** The keys that have a value, in table order of setting. */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        values.forEach((k, v) -> m.put(k, get(k)));
        return Collections.unmodifiableMap(m);
    }

    // ---- deriving ----------------------------------------------------------------------------------------------------

    /** An independent copy with {@code name} set to {@code value} (normalised; blank removes it). */
    public SpecValues with(String name, Object value) {
        SpecValues c = copy();
        c.put(name, value);
        return c;
    }

    public SpecValues copy() {
        SpecValues c = new SpecValues();
        values.forEach((k, v) -> c.values.put(k, v instanceof ArrayList<?> l ? new ArrayList<>(l) : v));
        return c;
    }

    /**
     * A copy with {@code f} (for example a build's {@code EnvVars::expand}, for {@code ${PARAMETER}} references)
     * applied to every text, list and path value; credential ids are left for the credentials plugin, numbers and
     * true/false as they are.
     */
    public SpecValues expand(UnaryOperator<String> f) {
        SpecValues c = new SpecValues();
        for (Map.Entry<String, Serializable> e : values.entrySet()) {
            SpecKey key = SpecKeys.of(e.getKey());
            Object v = e.getValue();
            if (key.type() == Type.CREDENTIALS_ID || !(v instanceof String || v instanceof List<?>)) {
                c.values.put(e.getKey(), v instanceof ArrayList<?> l ? new ArrayList<>(l) : e.getValue());
            } else if (v instanceof List<?> l) {
                List<String> out = new ArrayList<>();
                l.forEach(o -> out.add(f.apply(o.toString())));
                c.put(e.getKey(), out);
            } else {
                c.put(e.getKey(), f.apply((String) v));
            }
        }
        return c;
    }

    /**
     * Key for "one sync at a time on this target": the same instance identifier behind the same RDS endpoint.
     * Without an endpoint or region the machine's default region applies, which the controller cannot know, so such
     * syncs share one key per target name (the safe side).
     */
    public String lockKey() {
        String endpoint = text("endpointUrl");
        String region = text("region");
        String target = text("target");
        String where = endpoint != null ? endpoint : region != null ? region : "default-region";
        return where + "|" + (target == null ? "" : target.toLowerCase(Locale.ROOT));
    }

    // ---- onto the spec ---------------------------------------------------------------------------------------------

    /**
     * Puts every value on the builder through {@link SpecKeys}. Path keys are relative to {@code workspace} and must
     * stay inside it; without a workspace they are reported as problems (with {@code noWorkspaceAdvice}, what to do).
     * Credential ids are not applied: the caller resolves them. Validation is left to {@link SyncSpec.Builder#build()}.
     *
     * @param workspace the folder path keys are relative to, or {@code null} when there is none
     */
    public SyncSpec.Builder applyTo(SyncSpec.Builder b, Path workspace, String noWorkspaceAdvice) {
        for (Map.Entry<String, Serializable> e : values.entrySet()) {
            SpecKey key = SpecKeys.of(e.getKey());
            Object v = e.getValue();
            switch (key.type()) {
                case PATH -> {
                    Path p = workspacePath(key.name(), (String) v, workspace, noWorkspaceAdvice, b);
                    if (p != null) {
                        key.applyTo(b, p);
                    }
                }
                case PATHS -> {
                    List<Path> files = new ArrayList<>();
                    for (Object f : (List<?>) v) {
                        Path p = workspacePath(key.name(), f.toString(), workspace, noWorkspaceAdvice, b);
                        if (p != null) {
                            files.add(p);
                        }
                    }
                    key.applyTo(b, files);
                }
                case MAPPING -> key.applyTo(b, pairs(key.name(), castList(v), b));
                default -> key.applyTo(b, v);
            }
        }
        return b;
    }

    @SuppressWarnings("unchecked")
    private static List<String> castList(Object v) {
        return (List<String>) v;
    }

    /** {@code name=value} entries as a mapping; an entry without a name is a problem of {@code field}. */
    static Map<String, String> pairs(String field, List<String> entries, SyncSpec.Builder b) {
        if ("tags".equals(field)) {
            return SpecText.tags(entries, b, field);
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (String t : entries) {
            int eq = t.indexOf('=');
            if (eq <= 0) {
                b.problem(field, "'" + t + "' is not name=value; write one name=value per line");
            } else {
                m.put(t.substring(0, eq).trim(), t.substring(eq + 1).trim());
            }
        }
        return m;
    }

    private static Path workspacePath(String field, String value, Path workspace, String noWorkspaceAdvice,
            SyncSpec.Builder b) {
        if (workspace == null) {
            b.problem(field, "'" + value + "' is a workspace path, but this sync has no workspace; "
                    + noWorkspaceAdvice);
            return null;
        }
        Path rel;
        try {
            rel = Path.of(value);
        } catch (RuntimeException e) { // InvalidPathException
            b.problem(field, "'" + value + "' is not a valid path: " + e.getMessage());
            return null;
        }
        if (rel.isAbsolute()) {
            b.problem(field, "'" + value + "' is an absolute path; give a path relative to the workspace"
                    + " (for example db/post-migration-tweaks.sql)");
            return null;
        }
        Path root = workspace.toAbsolutePath().normalize();
        Path p = root.resolve(rel).normalize();
        if (!p.startsWith(root)) {
            b.problem(field, "'" + value + "' points outside the workspace; give a path inside it");
            return null;
        }
        return p;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SpecValues other && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    /** Key names and values; credential ids are names, not secrets, so they may show. */
    @Override
    public String toString() {
        return values.toString();
    }
}
