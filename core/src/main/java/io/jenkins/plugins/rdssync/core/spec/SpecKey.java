package io.jenkins.plugins.rdssync.core.spec;

import java.util.function.BiConsumer;

/**
 * One key of the public interface (DESIGN.md, docs/configuration.md): its name, its type, where it can be given,
 * its literal default and how a value is put on a {@link SyncSpec.Builder}. {@link SpecKeys#ALL} lists them all; the
 * CLI's YAML reader and the Jenkins forms read that list, and tests check that SyncSpec, the CLI, the Jenkins step,
 * its form, its help files and the documentation agree with it.
 *
 * @param name the key, the same in YAML, in Pipeline and in the form
 * @param type the kind of value
 * @param scope where the key can be given
 * @param defaultValue the literal default in the {@link Type#plain plain type} of the key (what an unset key means),
 *        or {@code null} when the default is derived (from the target, the SDK, …) or "none"
 * @param why for a key that is not {@link Scope#ALL}: why, in one sentence
 * @param apply puts a plain value on the builder; {@code null} for keys a front end resolves itself (credentials,
 *        the password file)
 */
public record SpecKey(String name, Type type, Scope scope, Object defaultValue, String why,
        BiConsumer<SyncSpec.Builder, Object> apply) {

    /** The kinds of value; each has a plain Java type (what {@link #apply} takes) and a form type. */
    public enum Type {
        /** Text as written; blank means the default. Plain and form: {@code String}. */
        TEXT(String.class, String.class),
        /** A whole number ({@code int}). */
        WHOLE_NUMBER(Integer.class, Integer.class),
        /** A whole number in the {@code long} range (the offset). */
        BIG_NUMBER(Long.class, Long.class),
        /** true/false with a default. */
        BOOLEAN(Boolean.class, Boolean.class),
        /** true/false, or unset meaning "keep what the target has". */
        OPTIONAL_BOOLEAN(Boolean.class, Boolean.class),
        /** A list of text entries; in a form one entry per line. */
        LIST(java.util.List.class, java.util.List.class),
        /** Name → value; in YAML a mapping, in Jenkins a list of {@code name=value} entries. */
        MAPPING(java.util.Map.class, java.util.List.class),
        /** A file or folder; the CLI resolves it against the YAML file's folder, Jenkins against the workspace. */
        PATH(java.nio.file.Path.class, String.class),
        /** A list of files. */
        PATHS(java.util.List.class, java.util.List.class),
        /** A Jenkins credentials id (never expanded from the environment: the credentials plugin reads it). */
        CREDENTIALS_ID(String.class, String.class);

        private final Class<?> plain;
        private final Class<?> form;

        Type(Class<?> plain, Class<?> form) {
            this.plain = plain;
            this.form = form;
        }

        /** The Java type of a value handed to {@link SpecKey#apply}. */
        public Class<?> plain() {
            return plain;
        }

        /** The Java type of the value in a form, a Pipeline step and the Jenkins step's setter. */
        public Class<?> form() {
            return form;
        }

        /** Typed as one entry per line in a form. */
        public boolean lines() {
            return this == LIST || this == MAPPING || this == PATHS;
        }

        public boolean number() {
            return this == WHOLE_NUMBER || this == BIG_NUMBER;
        }
    }

    /** Where a key can be given. */
    public enum Scope {
        /** The CLI's YAML file and Jenkins (step, form). */
        ALL,
        /** Only the CLI's YAML file; {@link SpecKey#why} says why not in Jenkins. */
        CLI_ONLY,
        /** Only Jenkins; {@link SpecKey#why} says what the CLI has instead. */
        JENKINS_ONLY;

        public boolean inJenkins() {
            return this != CLI_ONLY;
        }

        public boolean inCli() {
            return this != JENKINS_ONLY;
        }
    }

    /** Puts a plain value (of {@link Type#plain()}) on the builder; a {@code null} value leaves the default. */
    public void applyTo(SyncSpec.Builder b, Object plainValue) {
        if (apply != null && plainValue != null) {
            apply.accept(b, plainValue);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
