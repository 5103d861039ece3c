package io.jenkins.plugins.rdssync.core.iam;

import io.jenkins.plugins.rdssync.testkit.RecordedRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

/**
 * What IAM checks for one request the emulator recorded: the action and each resource ARN it is authorised against,
 * per the Service Authorization Reference ("Actions, resources, and condition keys for Amazon RDS", for AWS KMS and
 * for AWS STS; the rows are quoted where they are used): a request is allowed only if every one of these pairs is.
 * Resource types the reference marks required (a restore's option, parameter and subnet groups, even the default
 * ones) are included whether or not the request names them. Tags given at creation also need
 * {@code rds:AddTagsToResource} on the new resource (RDS User Guide, "Granting permission to tag resources on
 * creation": "If tags are specified in the create action, RDS performs additional authorization on the
 * rds:AddTagsToResource action").
 */
public final class RequiredPermissions {
    /** One IAM action on one resource ARN ({@code *} for an action without resource-level permissions). */
    public record Permission(String action, String resource) {
        @Override
        public String toString() {
            return action + " on " + resource;
        }
    }

    private final String region;

    /** @param region the region the emulator answers for */
    public RequiredPermissions(String region) {
        this.region = region;
    }

    /** The permissions one request needs; empty for a call IAM does not authorise (sts:GetCallerIdentity). */
    public List<Permission> of(RecordedRequest r) {
        String account = r.accountId();
        List<Permission> out = new ArrayList<>();
        String a = r.action();
        switch (r.service()) {
            case "sts" -> {
                // GetCallerIdentity: "No permissions are required to perform this operation" (STS API Reference)
                if ("AssumeRole".equals(a)) {
                    out.add(new Permission("sts:AssumeRole", r.param("RoleArn")));
                }
                return out;
            }
            case "kms" -> {
                // the KMS JSON protocol: the key is in the request body
                String keyId = JsonNode.parser().parse(r.param("Body")).field("KeyId").map(JsonNode::asString)
                        .orElse(null);
                out.add(new Permission("kms:" + a, kmsKey(account, keyId)));
                return out;
            }
            default -> {
                // rds, below
            }
        }
        String rds = "rds:" + a;
        switch (a) {
            case "CreateDBSnapshot" -> {
                out.add(new Permission(rds, db(account, r.param("DBInstanceIdentifier"))));
                out.add(new Permission(rds, snapshot(account, r.param("DBSnapshotIdentifier"))));
                tags(r, snapshot(account, r.param("DBSnapshotIdentifier")), out);
            }
            case "CopyDBSnapshot" -> {
                out.add(new Permission(rds, snapshot(account, r.param("SourceDBSnapshotIdentifier"))));
                String copy = snapshot(account, r.param("TargetDBSnapshotIdentifier"));
                out.add(new Permission(rds, copy));
                tags(r, copy, out);
                // SAR row: snapshot* only. The KMS key of a re-encrypting copy is used with the caller's rights
                // (the same kms:DescribeKey and kms:CreateGrant the SAR lists for an RDS action with a key, e.g.
                // ModifyDBInstance): an assumption the row itself does not state
                if (r.param("KmsKeyId") != null) {
                    out.add(new Permission("kms:DescribeKey", kmsKey(account, r.param("KmsKeyId"))));
                    out.add(new Permission("kms:CreateGrant", kmsKey(account, r.param("KmsKeyId"))));
                }
            }
            case "DeleteDBSnapshot", "ModifyDBSnapshotAttribute", "DescribeDBSnapshotAttributes" ->
                    out.add(new Permission(rds, snapshot(account, r.param("DBSnapshotIdentifier"))));
            case "RestoreDBInstanceFromDBSnapshot" -> {
                String db = db(account, r.param("DBInstanceIdentifier"));
                out.add(new Permission(rds, db));
                out.add(new Permission(rds, snapshot(account, r.param("DBSnapshotIdentifier"))));
                // SAR row: db*, og*, pg*, subgrp*, snapshot: RDS uses the default groups when none is named
                out.add(new Permission(rds, arn(account, "og", orDefault(r.param("OptionGroupName")))));
                out.add(new Permission(rds, arn(account, "pg", orDefault(r.param("DBParameterGroupName")))));
                out.add(new Permission(rds, arn(account, "subgrp", orDefault(r.param("DBSubnetGroupName")))));
                tags(r, db, out);
                passRole(r, out);
            }
            case "ModifyDBInstance" -> {
                // SAR row: db*, og, pg, secgrp, subgrp; a rename needs ModifyDBInstance on both names (RDS-FACTS.md)
                out.add(new Permission(rds, db(account, r.param("DBInstanceIdentifier"))));
                if (r.param("NewDBInstanceIdentifier") != null) {
                    out.add(new Permission(rds, db(account, r.param("NewDBInstanceIdentifier"))));
                }
                passRole(r, out);
                if ("true".equals(r.param("ManageMasterUserPassword"))) {
                    // RDS User Guide, "Password management with Amazon RDS and AWS Secrets Manager": the caller
                    // needs kms:DescribeKey, secretsmanager:CreateSecret and secretsmanager:TagResource
                    out.add(new Permission("secretsmanager:CreateSecret", "arn:aws:secretsmanager:" + region + ":"
                            + account + ":secret:rds!db-*"));
                    out.add(new Permission("secretsmanager:TagResource", "arn:aws:secretsmanager:" + region + ":"
                            + account + ":secret:rds!db-*"));
                    out.add(new Permission("kms:DescribeKey", kmsKey(account, r.param("MasterUserSecretKmsKeyId") == null
                            ? "the-aws-managed-secretsmanager-key" : r.param("MasterUserSecretKmsKeyId"))));
                }
                if (r.param("DBParameterGroupName") != null) {
                    out.add(new Permission(rds, arn(account, "pg", r.param("DBParameterGroupName"))));
                }
                if (r.param("OptionGroupName") != null) {
                    out.add(new Permission(rds, arn(account, "og", r.param("OptionGroupName"))));
                }
                if (r.param("DBSubnetGroupName") != null) {
                    out.add(new Permission(rds, arn(account, "subgrp", r.param("DBSubnetGroupName"))));
                }
            }
            case "DeleteDBInstance" -> {
                out.add(new Permission(rds, db(account, r.param("DBInstanceIdentifier"))));
                if (r.param("FinalDBSnapshotIdentifier") != null) {
                    // SAR row: db*, dependent actions rds:CreateDBSnapshot (whose own row needs db* and snapshot*)
                    out.add(new Permission("rds:CreateDBSnapshot", db(account, r.param("DBInstanceIdentifier"))));
                    out.add(new Permission("rds:CreateDBSnapshot", snapshot(account,
                            r.param("FinalDBSnapshotIdentifier"))));
                }
            }
            case "RebootDBInstance", "StartDBInstance", "StopDBInstance" ->
                    out.add(new Permission(rds, db(account, r.param("DBInstanceIdentifier"))));
            case "AddTagsToResource", "RemoveTagsFromResource", "ListTagsForResource" ->
                    out.add(new Permission(rds, r.param("ResourceName")));
            case "DescribeDBInstances" -> out.add(new Permission(rds, r.param("DBInstanceIdentifier") == null
                    ? "*" : db(account, r.param("DBInstanceIdentifier"))));
            case "DescribeDBSnapshots" -> out.add(new Permission(rds, r.param("DBSnapshotIdentifier") != null
                    ? snapshot(account, r.param("DBSnapshotIdentifier"))
                    : r.param("DBInstanceIdentifier") != null ? db(account, r.param("DBInstanceIdentifier")) : "*"));
            case "DescribeDBParameterGroups" -> out.add(new Permission(rds, named(account, "pg",
                    r.param("DBParameterGroupName"))));
            case "DescribeOptionGroups" -> out.add(new Permission(rds, named(account, "og",
                    r.param("OptionGroupName"))));
            case "DescribeDBSubnetGroups" -> out.add(new Permission(rds, named(account, "subgrp",
                    r.param("DBSubnetGroupName"))));
            default -> out.add(new Permission(rds, "*")); // DescribeDBEngineVersions, DescribeOrderable...: no resource
        }
        return out;
    }

    private void tags(RecordedRequest r, String resource, List<Permission> out) {
        if (r.parameters().keySet().stream().anyMatch(k -> k.startsWith("Tags."))) {
            out.add(new Permission("rds:AddTagsToResource", resource));
        }
    }

    /** Enhanced monitoring's role is passed to RDS: iam:PassRole on it (SAR dependent action of both rows). */
    private static void passRole(RecordedRequest r, List<Permission> out) {
        if (r.param("MonitoringRoleArn") != null) {
            out.add(new Permission("iam:PassRole", r.param("MonitoringRoleArn")));
        }
    }

    private static String orDefault(String group) {
        return group != null ? group : "default";
    }

    private String named(String account, String type, String name) {
        return name == null ? "*" : arn(account, type, name);
    }

    String db(String account, String id) {
        return arn(account, "db", id);
    }

    String snapshot(String account, String id) {
        return arn(account, "snapshot", id);
    }

    /** RDS stores identifiers in lower case, and so names them in the ARNs it authorises (RDS-FACTS.md). */
    private String arn(String account, String type, String id) {
        if (id == null) {
            throw new IllegalArgumentException("a request without the " + type + " it acts on");
        }
        if (id.startsWith("arn:")) {
            return id;
        }
        String name = "db".equals(type) || "snapshot".equals(type) ? id.toLowerCase(Locale.ROOT) : id;
        return "arn:aws:rds:" + region + ":" + account + ":" + type + ":" + name;
    }

    private String kmsKey(String account, String keyId) {
        if (keyId == null) {
            return "*";
        }
        if (keyId.startsWith("arn:")) {
            return keyId;
        }
        return "arn:aws:kms:" + region + ":" + account + ":" + (keyId.startsWith("alias/") ? keyId : "key/" + keyId);
    }
}
