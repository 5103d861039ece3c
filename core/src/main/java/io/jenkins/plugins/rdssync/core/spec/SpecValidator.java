package io.jenkins.plugins.rdssync.core.spec;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Every check on a {@link SyncSpec} that needs neither AWS nor a database, in one place. Messages name the field
 * and the fix. The same rules back the Jenkins form validation.
 */
public final class SpecValidator {
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\\d{1,2}");
    private static final Pattern ROLE_ARN = Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}");
    private static final Pattern INSTANCE_CLASS = Pattern.compile("db\\.[a-z0-9]+\\.[a-z0-9]+");
    private static final Pattern SECURITY_GROUP = Pattern.compile("sg-[0-9a-f]{1,17}");
    private static final Pattern ACCESS_KEY_ID = Pattern.compile("[A-Za-z0-9]{1,128}");
    private static final Pattern SQL_NAME = Pattern.compile("[A-Za-z0-9_$]{1,64}");
    private static final Set<String> SYSTEM_SCHEMAS = Set.of("mysql", "information_schema", "performance_schema", "sys");
    /** Room left for the suffixes the swap strategy appends to the target's identifier. */
    public static final String NEW_SUFFIX = "-rds-sync-new";
    public static final String OLD_SUFFIX = "-rds-sync-old";

    private SpecValidator() {
    }

    /** All problems of the spec; empty when it is good. */
    public static List<SpecProblem> validate(SyncSpec s) {
        List<SpecProblem> p = new ArrayList<>();
        instanceId("source", s.source(), p);
        instanceId("target", s.target(), p);
        if (s.source() != null && s.target() != null && s.source().equalsIgnoreCase(s.target())) {
            p.add(new SpecProblem("target", "is the same instance as source ('" + s.source()
                    + "'); the target is deleted and replaced, so it must be a different instance"));
        }
        if (s.target() != null && s.strategy() == Strategy.SWAP && s.target().length() + NEW_SUFFIX.length() > 63) {
            p.add(new SpecProblem("target", "'" + s.target() + "' is too long for strategy swap, which restores it as '"
                    + s.target() + NEW_SUFFIX + "' (63 characters at most); use a target of at most "
                    + (63 - NEW_SUFFIX.length()) + " characters or strategy: replace"));
        }
        s.region().map(r -> regionProblem(r, s.endpointUrl().isPresent()))
                .ifPresent(m -> p.add(new SpecProblem("region", m)));
        s.endpointUrl().ifPresent(u -> endpoint(u, p));
        if (s.accessKeyId().isPresent() != s.secretAccessKey().isPresent()) {
            p.add(new SpecProblem("awsCredentialsId", "an access key id needs its secret access key and vice versa;"
                    + " give both, or neither to use the default AWS credential chain"));
        }
        if (s.sessionToken().isPresent() && s.accessKeyId().isEmpty()) {
            p.add(new SpecProblem("awsCredentialsId", "a session token was given without the access key id and secret"
                    + " access key it belongs to; give all three (temporary credentials), or none"));
        }
        s.accessKeyId().filter(k -> !ACCESS_KEY_ID.matcher(k).matches()).ifPresent(k ->
                // never repeated: it may well be the secret access key, typed into the wrong field
                p.add(new SpecProblem("awsCredentialsId", "the access key id is not an access key id (letters and"
                        + " digits only, like AKIAIOSFODNN7EXAMPLE); was the secret access key given as the key id?"
                        + " Check which value goes in which field")));
        s.roleArn().ifPresent(a -> {
            if (!ROLE_ARN.matcher(a).matches()) {
                p.add(new SpecProblem("roleArn", "'" + a
                        + "' is not an IAM role ARN; use arn:aws:iam::123456789012:role/NAME"));
            }
        });
        if (s.externalId().isPresent() && s.roleArn().isEmpty()) {
            p.add(new SpecProblem("externalId", "is only used when assuming a role; set roleArn too, or remove it"));
        }
        sourceSide(s, p);
        snapshot(s, p);
        restoreSettings(s, p);
        databases(s, p);
        preserved(s, p);
        sql(s, p);
        targetRules(s, p);
        if (s.timeoutMinutes() <= 0) {
            p.add(new SpecProblem("timeoutMinutes", "must be a positive number of minutes (default "
                    + SyncSpec.DEFAULT_TIMEOUT_MINUTES + ")"));
        }
        for (Map.Entry<String, Integer> e : s.stageTimeoutMinutes().entrySet()) {
            if (e.getValue() == null || e.getValue() <= 0) {
                p.add(new SpecProblem("stageTimeoutMinutes", "'" + e.getKey() + "' needs a positive number of minutes"));
            }
        }
        return p;
    }

    /**
     * What is wrong with a region name, or null when it is good: also for a region found on the agent (AWS_REGION,
     * the profile) rather than given.
     *
     * @param endpointGiven an endpointUrl is set, so a region the SDK does not know yet may be right
     */
    public static String regionProblem(String region, boolean endpointGiven) {
        if (!REGION.matcher(region).matches()) {
            return "'" + region + "' is not an AWS region name; use for example eu-west-1";
        }
        if (!endpointGiven && !knownRegion(region)) {
            return "'" + region + "' is not an AWS region this version of rds-sync knows (such as eu-west-1 or"
                    + " us-east-1); check the spelling, or set endpointUrl for a region newer than this version";
        }
        return null;
    }

    /** Does the AWS SDK know this region (partition metadata, so also regions it can derive)? */
    static boolean knownRegion(String region) {
        return software.amazon.awssdk.regions.Region.regions().stream().anyMatch(r -> r.id().equals(region))
                || software.amazon.awssdk.regions.RegionMetadata.of(software.amazon.awssdk.regions.Region.of(region))
                        != null;
    }

    /** RDS DB instance identifier rules: 1–63 letters, digits or hyphens; a letter first; no "--"; no trailing "-". */
    public static String instanceIdProblem(String id) {
        if (id == null || id.isBlank()) {
            return "is required";
        }
        if (id.length() > 63) {
            return "'" + id + "' is longer than 63 characters, the RDS limit for DB instance identifiers";
        }
        if (!Character.isLetter(id.charAt(0)) || id.charAt(0) > 'z') {
            return "'" + id + "' must start with a letter (RDS DB instance identifier rules)";
        }
        if (!id.matches("[A-Za-z0-9-]+")) {
            return "'" + id + "' may contain only letters, digits and hyphens (RDS DB instance identifier rules)";
        }
        if (id.contains("--") || id.endsWith("-")) {
            return "'" + id + "' must not contain two consecutive hyphens or end with a hyphen"
                    + " (RDS DB instance identifier rules)";
        }
        return null;
    }

    /** RDS DB snapshot identifier rules: 1–255 letters, digits or hyphens; a letter first; no "--"; no trailing "-". */
    public static String snapshotIdProblem(String id) {
        if (id == null || id.isBlank()) {
            return "is required";
        }
        if (id.length() > 255) {
            return "'" + id + "' is longer than 255 characters, the RDS limit for snapshot identifiers";
        }
        if (!Character.isLetter(id.charAt(0)) || !id.matches("[A-Za-z0-9-]+") || id.contains("--")
                || id.endsWith("-")) {
            return "'" + id + "' is not a valid snapshot identifier: letters, digits and single hyphens,"
                    + " starting with a letter and not ending with a hyphen";
        }
        return null;
    }

    private static void instanceId(String field, String id, List<SpecProblem> p) {
        String problem = instanceIdProblem(id);
        if (problem != null) {
            p.add(new SpecProblem(field, problem.equals("is required")
                    ? "is required: the DB instance identifier of the " + (field.equals("source")
                            ? "production instance to snapshot" : "acceptance instance to replace")
                    : problem));
        }
    }

    private static void endpoint(String u, List<SpecProblem> p) {
        try {
            URI uri = new URI(u);
            if (uri.getScheme() == null || !(uri.getScheme().equals("https") || uri.getScheme().equals("http"))
                    || uri.getHost() == null) {
                p.add(new SpecProblem("endpointUrl", "'" + u
                        + "' is not an http(s) URL; use for example https://rds.eu-west-1.amazonaws.com"));
            }
        } catch (URISyntaxException e) {
            p.add(new SpecProblem("endpointUrl", "'" + u + "' is not a URL: " + e.getReason()));
        }
    }

    /** Production in another account or region: its own credentials, role and region. */
    private static void sourceSide(SyncSpec s, List<SpecProblem> p) {
        s.sourceRegion().map(r -> regionProblem(r, s.sourceEndpointUrl().isPresent() || s.endpointUrl().isPresent()))
                .ifPresent(m -> p.add(new SpecProblem("sourceRegion", m)));
        s.sourceEndpointUrl().ifPresent(u -> {
            List<SpecProblem> q = new ArrayList<>();
            endpoint(u, q);
            q.forEach(x -> p.add(new SpecProblem("sourceEndpointUrl", x.message())));
        });
        if (s.sourceAccessKeyId().isPresent() != s.sourceSecretAccessKey().isPresent()) {
            p.add(new SpecProblem("sourceAwsCredentialsId", "an access key id for the source side needs its secret"
                    + " access key and vice versa; give both, or neither to use the target side's credentials"));
        }
        if (s.sourceSessionToken().isPresent() && s.sourceAccessKeyId().isEmpty()) {
            p.add(new SpecProblem("sourceAwsCredentialsId", "a session token was given for the source side without its"
                    + " access key id and secret access key; give all three, or none"));
        }
        s.sourceAccessKeyId().filter(k -> !ACCESS_KEY_ID.matcher(k).matches()).ifPresent(k ->
                p.add(new SpecProblem("sourceAwsCredentialsId", "the source side's access key id is not an access key"
                        + " id (letters and digits only, like AKIAIOSFODNN7EXAMPLE); was the secret access key given"
                        + " as the key id? Check which value goes in which field")));
        if (s.sourceProfile().isPresent() && s.sourceAccessKeyId().isPresent()) {
            p.add(new SpecProblem("sourceProfile", "the source side has both access keys and a profile; give one of"
                    + " them"));
        }
        s.sourceProfile().filter(n -> !n.matches("[\\w.@+=:/-]+")).ifPresent(n -> p.add(new SpecProblem(
                "sourceProfile", "'" + n + "' is not an AWS profile name (a section of ~/.aws/config, e.g."
                        + " production)")));
        s.sourceRoleArn().filter(a -> !ROLE_ARN.matcher(a).matches()).ifPresent(a -> p.add(new SpecProblem(
                "sourceRoleArn", "'" + a + "' is not an IAM role ARN; use the role in the production account, e.g."
                        + " arn:aws:iam::111122223333:role/rds-sync-source")));
        if (s.sourceExternalId().isPresent() && s.sourceRoleArn().isEmpty()) {
            p.add(new SpecProblem("sourceExternalId", "is only used when assuming the source role; set sourceRoleArn"
                    + " too, or remove it"));
        }
        if (s.sourceHasOwnIdentity() && s.snapshotMode() == SnapshotMode.LATEST_AUTOMATED) {
            p.add(new SpecProblem("snapshotMode", "latest-automated cannot be used with a source in another account:"
                    + " only manual snapshots can be shared with another account (RDS User Guide, \"Sharing a DB"
                    + " snapshot\"); use snapshotMode rolling or new"));
        }
    }

    private static void snapshot(SyncSpec s, List<SpecProblem> p) {
        SnapshotMode mode = s.snapshotMode();
        // the default name is made of source and target, which are checked themselves
        boolean derived = s.snapshotName() != null
                && s.snapshotName().equals(SyncSpec.defaultSnapshotName(s.source(), s.target()));
        if (mode != SnapshotMode.LATEST_AUTOMATED && !derived) {
            String name = mode == SnapshotMode.NEW ? s.snapshotName() + "-20260101-000000" : s.snapshotName();
            String problem = snapshotIdProblem(name);
            if (problem != null) {
                p.add(new SpecProblem("snapshotName", problem.replace("-20260101-000000", "")));
            }
            if (name != null && name.startsWith("rds:")) {
                p.add(new SpecProblem("snapshotName", "names starting with rds: belong to automated snapshots;"
                        + " use snapshotMode: latest-automated"));
            }
        }
        if (mode == SnapshotMode.NEW && s.snapshotKeep() < 1) {
            p.add(new SpecProblem("snapshotKeep", "must be at least 1 (the snapshot just made)"));
        }
    }

    private static void restoreSettings(SyncSpec s, List<SpecProblem> p) {
        s.instanceClass().ifPresent(c -> {
            if (!INSTANCE_CLASS.matcher(c).matches()) {
                p.add(new SpecProblem("instanceClass", "'" + c + "' is not a DB instance class; use for example db.t3.medium"));
            }
        });
        for (String sg : s.securityGroups()) {
            if (!SECURITY_GROUP.matcher(sg).matches()) {
                p.add(new SpecProblem("securityGroups", "'" + sg
                        + "' is not a VPC security group id; use ids like sg-0123456789abcdef0"));
            }
        }
        s.instancePort().ifPresent(port -> {
            if (port < 1150 || port > 65535) {
                p.add(new SpecProblem("instancePort", port + " is outside 1150–65535, the ports RDS for MySQL accepts"));
            }
        });
        s.backupRetention().ifPresent(r -> {
            if (r < 0 || r > 35) {
                p.add(new SpecProblem("backupRetention", r + " days is outside 0–35, the range RDS accepts"));
            }
        });
        if (s.oldTarget() == OldTarget.KEEP && s.strategy() == Strategy.REPLACE) {
            p.add(new SpecProblem("oldTarget", "keep needs strategy swap: replace restores under the target's name,"
                    + " so the old instance cannot stay; use snapshot (a final snapshot is the way back) or swap"));
        }
        if (s.oldTargetKeepHours() < 1 || s.oldTargetKeepHours() > 24 * 30) {
            p.add(new SpecProblem("oldTargetKeepHours", s.oldTargetKeepHours()
                    + " is outside 1–720 hours; a kept old target is deleted by the first run after that time"));
        }
        s.storageType().ifPresent(t -> {
            if (!Set.of("standard", "gp2", "gp3", "io1", "io2").contains(t)) {
                p.add(new SpecProblem("storageType", "'" + t + "' is not an RDS storage type; use gp3, gp2, io1, io2 or standard"));
            }
        });
        for (Map.Entry<String, String> tag : s.tags().entrySet()) {
            String k = tag.getKey();
            if (k == null || k.isBlank() || k.length() > 128 || k.toLowerCase(Locale.ROOT).startsWith("aws:")) {
                p.add(new SpecProblem("tags", "tag key '" + k + "' must be 1–128 characters and not start with aws:"));
            }
            if (tag.getValue() != null && tag.getValue().length() > 256) {
                p.add(new SpecProblem("tags", "the value of tag '" + k + "' is longer than 256 characters"));
            }
        }
    }

    private static void databases(SyncSpec s, List<SpecProblem> p) {
        for (String db : s.databases()) {
            if (!SQL_NAME.matcher(db).matches()) {
                p.add(new SpecProblem("databases", "'" + db + "' is not a schema name this tool accepts"
                        + " (letters, digits, _ and $, at most 64)"));
            } else if (SYSTEM_SCHEMAS.contains(db.toLowerCase(Locale.ROOT))) {
                p.add(new SpecProblem("databases", "'" + db + "' is a system schema; list your application's schemas"));
            }
        }
        if (s.needsDatabaseLogin() && s.mysqlUser().isEmpty()) {
            p.add(new SpecProblem("mysqlCredentialsId", "a database login is needed to preserve rows or run SQL;"
                    + " give the target's master user (CLI: mysqlUser and RDS_SYNC_DB_PASSWORD), or set preserveRows: false"));
        }
        if (s.mysqlUser().isPresent() && s.mysqlPassword().isEmpty()) {
            p.add(new SpecProblem("mysqlCredentialsId", "the database password for user '" + s.mysqlUser().get()
                    + "' is missing (CLI: set RDS_SYNC_DB_PASSWORD or mysqlPasswordFile)"));
        }
        s.dbPort().ifPresent(port -> {
            if (port < 1 || port > 65535) {
                p.add(new SpecProblem("dbPort", port + " is not a TCP port (1–65535)"));
            }
        });
        if (s.dbHost().isPresent() && s.strategy() == Strategy.SWAP) {
            p.add(new SpecProblem("dbHost", "a tunnel or proxy reaches only the target's name, but strategy swap"
                    + " prepares the new instance under its own endpoint before the switch; use strategy: replace"
                    + " with dbHost, or reach the endpoints directly (remove dbHost)"));
        }
        if (s.dbPort().isPresent() && s.dbHost().isEmpty()) {
            p.add(new SpecProblem("dbHost", "dbPort is set without dbHost; set both to connect through a tunnel or proxy"));
        }
        s.dbTlsCaBundle().ifPresent(bundle -> {
            if (!Files.isReadable(bundle)) {
                p.add(new SpecProblem("dbTlsCaBundle", "cannot read '" + bundle
                        + "'; give the path of the RDS CA bundle (PEM), for example global-bundle.pem"));
            }
        });
    }

    private static void preserved(SyncSpec s, List<SpecProblem> p) {
        if (s.offset() <= 0) {
            p.add(new SpecProblem("offset", s.offset() + " must be a positive number: the first key of rows made on"
                    + " acceptance (default " + SyncSpec.DEFAULT_OFFSET + ")"));
        }
        for (TableKey t : s.preserveTables()) {
            if ((t.schema() != null && !SQL_NAME.matcher(t.schema()).matches()) || !SQL_NAME.matcher(t.table()).matches()
                    || !SQL_NAME.matcher(t.key()).matches()) {
                p.add(new SpecProblem("preserveTables", "'" + t + "' has a name this tool does not accept"
                        + " (letters, digits, _ and $)"));
            }
        }
        for (ColumnKeep c : s.preserveColumns()) {
            if (!SQL_NAME.matcher(c.table()).matches() || !SQL_NAME.matcher(c.column()).matches()
                    || (c.key() != null && !SQL_NAME.matcher(c.key()).matches())) {
                p.add(new SpecProblem("preserveColumns", "'" + c + "' has a name this tool does not accept"));
            }
            if (c.where() != null && c.where().contains(";")) {
                p.add(new SpecProblem("preserveColumns", "the where clause of '" + c + "' must be one condition without ';'"));
            }
        }
    }

    private static void sql(SyncSpec s, List<SpecProblem> p) {
        for (Path f : s.postSql()) {
            if (!Files.isRegularFile(f)) {
                p.add(new SpecProblem("postSql", "file '" + f + "' does not exist; give a path to an existing .sql file"
                        + " (in Jenkins, relative to the workspace)"));
            } else if (!Files.isReadable(f)) {
                p.add(new SpecProblem("postSql", "file '" + f + "' cannot be read"));
            }
        }
        s.migrations().ifPresent(m -> {
            if (!Files.isDirectory(m)) {
                p.add(new SpecProblem("migrations", "folder '" + m + "' does not exist; give the folder holding the"
                        + " migration *.sql files (in Jenkins, relative to the workspace)"));
            }
        });
        if (!SQL_NAME.matcher(s.migrationsTable()).matches()) {
            p.add(new SpecProblem("migrationsTable", "'" + s.migrationsTable() + "' is not a table name"));
        }
        if (!SQL_NAME.matcher(s.migrationsColumn()).matches()) {
            p.add(new SpecProblem("migrationsColumn", "'" + s.migrationsColumn() + "' is not a column name"));
        }
    }

    private static void targetRules(SyncSpec s, List<SpecProblem> p) {
        String target = s.target();
        if (target == null) {
            return;
        }
        if (!s.allowTargets().isEmpty() && s.allowTargets().stream().noneMatch(g -> Glob.matches(g, target))) {
            p.add(new SpecProblem("target", "'" + target + "' matches none of allowTargets " + s.allowTargets()
                    + "; this configuration may only replace those instances"));
        }
        s.denyTargets().stream().filter(g -> Glob.matches(g, target)).findFirst().ifPresent(g ->
                p.add(new SpecProblem("target", "'" + target + "' matches denyTargets pattern '" + g
                        + "'; this instance must never be replaced")));
    }
}
