package io.jenkins.plugins.rdssync;

import com.cloudbees.jenkins.plugins.awscredentials.AmazonWebServicesCredentials;
import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import hudson.model.Descriptor;
import hudson.model.Item;
import hudson.model.Queue;
import hudson.model.queue.Tasks;
import hudson.security.ACL;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.rdssync.core.spec.FormValues;
import io.jenkins.plugins.rdssync.core.spec.InvalidSpecException;
import io.jenkins.plugins.rdssync.core.spec.SnapshotMode;
import io.jenkins.plugins.rdssync.core.spec.SpecProblem;
import io.jenkins.plugins.rdssync.core.spec.SpecKeys;
import io.jenkins.plugins.rdssync.core.spec.SpecText;
import io.jenkins.plugins.rdssync.core.spec.SpecValidator;
import io.jenkins.plugins.rdssync.core.spec.OldTarget;
import io.jenkins.plugins.rdssync.core.spec.Strategy;
import io.jenkins.plugins.rdssync.core.spec.SpecValues;
import io.jenkins.plugins.rdssync.core.spec.SyncSpec;
import io.jenkins.plugins.rdssync.core.spec.TlsMode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import jenkins.model.Jenkins;
import net.sf.json.JSONArray;
import net.sf.json.JSONObject;
import org.springframework.security.core.Authentication;

/**
 * Form support shared by the step's and the builder's descriptors (both expose the same fields and the same
 * {@code doCheck…}/{@code doFill…}/{@code doTest…} methods, which delegate here). Every rule comes from core:
 * {@link SpecValidator} directly for identifiers, or a {@link SyncSpec} built from the one value being checked,
 * keeping only the problems of that field. Nothing here re-implements a validation rule.
 */
final class SyncForms {

    private SyncForms() {
    }

    // ---- permissions -------------------------------------------------------------------------------------------

    /** May the current user configure syncs here (the job, or Jenkins itself when there is no job)? */
    static boolean canConfigure(@CheckForNull Item item) {
        return item != null ? item.hasPermission(Item.CONFIGURE) : Jenkins.get().hasPermission(Jenkins.ADMINISTER);
    }

    /** As {@link #canConfigure}, failing with an access-denied response. */
    static void checkConfigure(@CheckForNull Item item) {
        if (item != null) {
            item.checkPermission(Item.CONFIGURE);
        } else {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        }
    }

    /** May the current user see which credentials exist here (credentials-plugin consumer guide)? */
    static boolean canListCredentials(@CheckForNull Item item) {
        return item != null
                ? item.hasPermission(Item.EXTENDED_READ) || item.hasPermission(CredentialsProvider.USE_ITEM)
                : Jenkins.get().hasPermission(Jenkins.ADMINISTER);
    }

    // ---- validation ----------------------------------------------------------------------------------------------

    static FormValidation instanceId(@CheckForNull Item item, String field, String value) {
        if (!canConfigure(item)) {
            return FormValidation.ok();
        }
        String problem = SpecValidator.instanceIdProblem(value);
        if (problem == null) {
            return FormValidation.ok();
        }
        return FormValidation.error(problem.equals("is required")
                ? Messages.Form_InstanceRequired(field.equals("source") ? Messages.Form_SourceRole()
                        : Messages.Form_TargetRole())
                : problem);
    }

    /** The target: identifier rules, not the source, and short enough for the swap strategy's temporary name. */
    static FormValidation target(@CheckForNull Item item, String value, String source, String strategy) {
        FormValidation id = instanceId(item, "target", value);
        if (id.kind != FormValidation.Kind.OK || !canConfigure(item)) {
            return id;
        }
        return spec(item, "target", b -> b.source(blankTo(source, "source-instance")).target(value).strategy(strategy));
    }

    /**
     * Checks one field by building a spec that holds it (other required fields filled with harmless stand-ins) and
     * reporting the core's problems for that field only.
     */
    static FormValidation spec(@CheckForNull Item item, String field, Consumer<SyncSpec.Builder> values) {
        if (!canConfigure(item)) {
            return FormValidation.ok();
        }
        SyncSpec.Builder b = SyncSpec.builder().source("source-instance").target("target-instance")
                .preserveRows(false);
        values.accept(b);
        try {
            b.build();
            return FormValidation.ok();
        } catch (InvalidSpecException e) {
            List<String> mine = e.problems().stream().filter(p -> field.equals(p.field()))
                    .map(SpecProblem::message).distinct().collect(Collectors.toList());
            return mine.isEmpty() ? FormValidation.ok() : FormValidation.error(String.join("; ", mine));
        }
    }

    /** A whole-number field: a number at all, then the core's rules for it. Blank means the default. */
    static FormValidation integer(@CheckForNull Item item, String field, String value,
            BiConsumer<SyncSpec.Builder, Integer> apply) {
        if (!canConfigure(item)) {
            return FormValidation.ok();
        }
        Integer v;
        try {
            v = SpecText.wholeNumber(value);
        } catch (NumberFormatException e) {
            return FormValidation.error(Messages.Form_NotANumber(field, value.trim()));
        }
        if (v == null) {
            return FormValidation.ok();
        }
        return spec(item, field, b -> apply.accept(b, v));
    }

    /** The tags field: {@code key=value} lines, parsed as a build parses them. */
    static FormValidation tags(@CheckForNull Item item, String value) {
        return spec(item, "tags", b -> SpecValues.of(Map.of("tags", value == null ? "" : value)).applyTo(b, null, ""));
    }

    /** A true/false setting whose blank keeps what the target has ({@code multiAz}, {@code publiclyAccessible}). */
    static ListBoxModel keepOrChoose() {
        ListBoxModel m = new ListBoxModel();
        m.add(Messages.Form_KeepTargets(), "");
        m.add("true", "true");
        m.add("false", "false");
        return m;
    }

    /** "Test AWS access": describe the source and the target with the chosen credentials, read-only. */
    static FormValidation testAwsAccess(@CheckForNull Item item, SyncSettings s, String awsCredentialsId) {
        checkConfigure(item);
        try {
            return AccessProbe.awsAccess(s, resolveForTest(item, awsCredentialsId, null, s.getRoleArn() != null));
        } catch (AbortException e) {
            return FormValidation.error(e.getMessage());
        }
    }

    /** "Test database login": log in to the target (or dbHost) with the chosen database credentials. */
    static FormValidation testDatabaseLogin(@CheckForNull Item item, SyncSettings s, String awsCredentialsId,
            String mysqlCredentialsId) {
        checkConfigure(item);
        try {
            return AccessProbe.databaseLogin(s, resolveForTest(item, awsCredentialsId, mysqlCredentialsId,
                    s.getRoleArn() != null));
        } catch (AbortException e) {
            return FormValidation.error(e.getMessage());
        }
    }

    /** Settings from the values a "Test" button sends; a bad number is left out (its own check reports it). */
    static SyncSettings testSettings(String source, String target, String region, String endpointUrl,
            String roleArn, String externalId, String dbHost, String dbPort, String dbTls) {
        Map<String, Object> m = new HashMap<>();
        m.put("source", source);
        m.put("target", target);
        m.put("region", region);
        m.put("endpointUrl", endpointUrl);
        m.put("roleArn", roleArn);
        m.put("externalId", externalId);
        m.put("dbHost", dbHost);
        m.put("dbTls", dbTls);
        try {
            m.put("dbPort", FormValues.value(SpecKeys.of("dbPort"), dbPort));
        } catch (InvalidSpecException e) {
            // reported by doCheckDbPort
        }
        m.values().removeIf(v -> v == null);
        return new SyncSettings(SpecValues.of(m));
    }

    static String blankTo(String v, String dflt) {
        String t = SpecText.trim(v);
        return t == null ? dflt : t;
    }

    // ---- credentials ---------------------------------------------------------------------------------------------

    /**
     * Whom credentials are listed and looked up for: the authentication builds of the job run as (credentials
     * consumer guide), so the forms offer what a build may use; {@code ACL.SYSTEM2} outside a job.
     */
    static Authentication authenticationOf(@CheckForNull Item item) {
        return item instanceof Queue.Task task ? Tasks.getAuthenticationOf2(task) : ACL.SYSTEM2;
    }

    static ListBoxModel awsCredentialItems(@CheckForNull Item item, String current) {
        if (!canListCredentials(item)) {
            return new StandardListBoxModel().includeCurrentValue(current);
        }
        Authentication as = authenticationOf(item);
        return new StandardListBoxModel()
                .includeEmptyValue()
                .includeMatchingAs(as, item, AmazonWebServicesCredentials.class, List.of(), CredentialsMatchers.always())
                .includeMatchingAs(as, item, StandardUsernamePasswordCredentials.class, List.of(),
                        CredentialsMatchers.always())
                .includeCurrentValue(current);
    }

    static ListBoxModel dbCredentialItems(@CheckForNull Item item, String current) {
        if (!canListCredentials(item)) {
            return new StandardListBoxModel().includeCurrentValue(current);
        }
        return new StandardListBoxModel()
                .includeEmptyValue()
                .includeMatchingAs(authenticationOf(item), item, StandardUsernamePasswordCredentials.class, List.of(),
                        CredentialsMatchers.always())
                .includeCurrentValue(current);
    }

    static FormValidation checkCredentials(@CheckForNull Item item, String value, boolean aws) {
        if (!canListCredentials(item)) {
            return FormValidation.ok();
        }
        String id = SpecText.trim(value);
        if (id == null) {
            return aws ? FormValidation.ok(Messages.Form_AwsDefaultChain()) : FormValidation.ok();
        }
        if (id.startsWith("${") && id.endsWith("}")) {
            return FormValidation.warning(Messages.Form_CredentialsExpression());
        }
        StandardCredentials c = lookup(item, id);
        if (c == null) {
            return FormValidation.error(Messages.Form_CredentialsNotFound(id));
        }
        // the kinds a build accepts (CredentialResolver): a warning here instead of a failed build later
        if (aws && !(c instanceof AmazonWebServicesCredentials) && !(c instanceof StandardUsernamePasswordCredentials)) {
            return FormValidation.warning(Messages.Credentials_WrongType("awsCredentialsId", id,
                    CredentialResolver.typeOf(c), Messages.Credentials_AwsTypes()));
        }
        if (!aws && !(c instanceof StandardUsernamePasswordCredentials)) {
            return FormValidation.warning(Messages.Credentials_WrongType("mysqlCredentialsId", id,
                    CredentialResolver.typeOf(c), Messages.Credentials_DbTypes()));
        }
        return FormValidation.ok();
    }

    /** The source side's credentials: blank means the target side's (then sourceRoleArn). */
    static FormValidation checkSourceCredentials(@CheckForNull Item item, String value) {
        if (SyncSettings.trim(value) == null) {
            return canListCredentials(item) ? FormValidation.ok(Messages.Form_SourceUsesTargetCredentials())
                    : FormValidation.ok();
        }
        return checkCredentials(item, value, true);
    }

    @CheckForNull
    static StandardCredentials lookup(@CheckForNull Item item, String id) {
        return CredentialsMatchers.firstOrNull(CredentialsProvider.lookupCredentialsInItem(StandardCredentials.class,
                item, authenticationOf(item), List.of()), CredentialsMatchers.withId(id));
    }

    /** The credentials the "Test …" buttons use: the same kinds and rules as a build, looked up in the job. */
    static ResolvedCredentials resolveForTest(@CheckForNull Item item, String awsId, String dbId,
            boolean stepAssumesRole) throws AbortException {
        ResolvedCredentials r = ResolvedCredentials.NONE;
        String a = SpecText.trim(awsId);
        if (a != null) {
            StandardCredentials c = lookup(item, a);
            if (c == null) {
                throw new AbortException(Messages.Credentials_NotFound("awsCredentialsId", a));
            }
            r = CredentialResolver.aws(r, c, a, stepAssumesRole);
        }
        String d = SpecText.trim(dbId);
        if (d != null) {
            StandardCredentials c = lookup(item, d);
            if (c == null) {
                throw new AbortException(Messages.Credentials_NotFound("mysqlCredentialsId", d));
            }
            r = CredentialResolver.mysql(r, c, d);
        }
        return r;
    }

    // ---- drop-down lists with fixed choices --------------------------------------------------------------------

    static ListBoxModel snapshotModes() {
        ListBoxModel m = new ListBoxModel();
        m.add(Messages.Form_Default(SnapshotMode.ROLLING.id()), "");
        for (SnapshotMode s : SnapshotMode.values()) {
            m.add(s.id(), s.id());
        }
        return m;
    }

    static ListBoxModel strategies() {
        ListBoxModel m = new ListBoxModel();
        m.add(Messages.Form_Default(Strategy.SWAP.id()), "");
        for (Strategy s : Strategy.values()) {
            m.add(s.id(), s.id());
        }
        return m;
    }

    static ListBoxModel oldTargets() {
        ListBoxModel m = new ListBoxModel();
        m.add(Messages.Form_Default(OldTarget.SNAPSHOT.id()), "");
        for (OldTarget o : OldTarget.values()) {
            m.add(o.id(), o.id());
        }
        return m;
    }

    static ListBoxModel tlsModes() {
        ListBoxModel m = new ListBoxModel();
        m.add(Messages.Form_Default(TlsMode.VERIFY_CA.id()), "");
        for (TlsMode s : TlsMode.values()) {
            m.add(s.id(), s.id());
        }
        return m;
    }

    // ---- form submission -----------------------------------------------------------------------------------------

    /**
     * The submitted form as the setters want it, by core's {@link FormValues} (blank: the default; text areas: lists;
     * typed numbers: numbers; {@code stapler-class} and other bookkeeping untouched). Called from both descriptors'
     * {@code newInstance}: the Snippet Generator's, and the freestyle builder's for its nested {@code sync} object.
     *
     * @throws Descriptor.FormException naming the first field that cannot be read and how to fix it
     */
    static JSONObject normalise(JSONObject form) throws Descriptor.FormException {
        Map<String, Object> n;
        try {
            n = FormValues.normalise(form);
        } catch (InvalidSpecException e) {
            SpecProblem p = e.problems().get(0);
            throw new Descriptor.FormException(p.field() + ": " + p.message(), p.field());
        }
        JSONObject out = new JSONObject();
        for (Map.Entry<String, Object> e : n.entrySet()) {
            if (e.getValue() instanceof List<?> l) {
                JSONArray a = new JSONArray();
                a.addAll(l);
                out.put(e.getKey(), a);
            } else {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }
}
