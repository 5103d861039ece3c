package io.jenkins.plugins.rdssync.testkit;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The RDS actions as seen across accounts, in front of the caller's own {@link RdsBackend}: sharing a manual snapshot
 * (the {@code restore} attribute), seeing, copying and restoring another account's snapshot by ARN once it is shared,
 * and refusing every other use of another account's resources. Each rule names its source.
 */
final class CrossAccountRds {
    /** {@code arn:aws:rds:region:account:kind:name} (RDS User Guide, "Amazon Resource Names (ARNs) in Amazon RDS"). */
    private static final Pattern RDS_ARN = Pattern.compile("arn:aws[a-z-]*:rds:([a-z0-9-]+):(\\d{12}):([a-z-]+):(.+)");
    /** "You can share a manual DB snapshot with up to 20 other AWS accounts" (RDS User Guide, "Sharing a DB snapshot"). */
    static final int SHARE_LIMIT = 20;

    private final AwsAccounts accounts;

    CrossAccountRds(AwsAccounts accounts) {
        this.accounts = accounts;
    }

    /** Runs one RDS action for the caller in its own account's backend. */
    String dispatch(AwsAccounts.Caller caller, RdsBackend own, String action, Params p) {
        switch (action) {
            case "ModifyDBSnapshotAttribute":
                return modifyAttribute(caller, own, p);
            case "DescribeDBSnapshotAttributes":
                return describeAttributes(caller, own, p);
            case "DescribeDBSnapshots":
                return describeSnapshots(caller, own, p);
            case "CopyDBSnapshot":
                refuseForeign(caller, action, p, Set.of("SourceDBSnapshotIdentifier"));
                return own.dispatch(action, p);
            case "RestoreDBInstanceFromDBSnapshot":
                refuseForeign(caller, action, p, Set.of("DBSnapshotIdentifier"));
                return own.dispatch(action, p);
            default:
                refuseForeign(caller, action, p, Set.of());
                return own.dispatch(action, p);
        }
    }

    /**
     * RDS has no resource-based policies: an identity may act on another account's DB instances and snapshots only
     * where RDS itself lets it (copying, restoring and describing a snapshot shared with it). Anything else is an
     * implicit deny, worded as IAM words it (IAM User Guide, "Troubleshoot access denied error messages": "... is not
     * authorized to perform: ... because no resource-based policy allows the ... action").
     */
    private void refuseForeign(AwsAccounts.Caller caller, String action, Params p, Set<String> allowed) {
        for (Map.Entry<String, String> e : p.asMap().entrySet()) {
            // a tag's value is text, whatever it looks like
            if (allowed.contains(e.getKey()) || e.getKey().startsWith("Tags.")) {
                continue;
            }
            Matcher m = RDS_ARN.matcher(e.getValue());
            if (m.matches() && !m.group(2).equals(caller.accountId())) {
                throw accessDenied(caller, "rds:" + action, e.getValue());
            }
        }
    }

    static RdsApiException accessDenied(AwsAccounts.Caller caller, String permission, String resource) {
        return new RdsApiException(403, "AccessDenied", "User: " + caller.principalArn()
                + " is not authorized to perform: " + permission + " on resource: " + resource
                + " because no resource-based policy allows the " + permission + " action");
    }

    // ---- the restore attribute (ModifyDBSnapshotAttribute, DescribeDBSnapshotAttributes) ------------------------

    /**
     * Shares or unshares a manual snapshot (RDS API Reference, ModifyDBSnapshotAttribute): AttributeName
     * {@code restore}; ValuesToAdd/ValuesToRemove are account ids or {@code all}; an encrypted snapshot can be shared
     * with account ids only, never {@code all}; at most {@value #SHARE_LIMIT} accounts (SharedSnapshotQuotaExceeded,
     * HTTP 400). A snapshot encrypted with the account's AWS managed key {@code aws/rds} cannot be shared (RDS User
     * Guide, "Sharing encrypted snapshots": "You can't share a snapshot that has been encrypted using the default KMS
     * key of the AWS account that shared the snapshot"); the API reference names no error code for it, the
     * emulator answers InvalidParameterValue.
     */
    private String modifyAttribute(AwsAccounts.Caller caller, RdsBackend own, Params p) {
        refuseForeign(caller, "ModifyDBSnapshotAttribute", p, Set.of());
        String id = p.required("DBSnapshotIdentifier");
        String name = p.required("AttributeName");
        List<String> add = p.list("ValuesToAdd");
        List<String> remove = p.list("ValuesToRemove");
        if (!"restore".equals(name)) {
            throw RdsApiException.invalidParameterValue("Invalid snapshot attribute name: " + name
                    + ". The only attribute that can be modified is restore.");
        }
        for (String v : add) {
            if (!v.equals("all") && !v.matches("\\d{12}")) {
                throw RdsApiException.invalidParameterValue("Invalid AWS account id: " + v);
            }
        }
        return own.onSnapshot(id, s -> {
            if ("automated".equals(s.type)) {
                throw RdsApiException.invalidSnapshotState("Only manual snapshots can be shared.");
            }
            if (!"available".equals(s.status)) {
                throw RdsApiException.invalidSnapshotState("DBSnapshot must have state available but actually has "
                        + s.status);
            }
            if (!add.isEmpty() && s.encrypted) {
                if (add.contains("all")) {
                    throw RdsApiException.invalidParameterValue("Encrypted snapshots cannot be shared publicly;"
                            + " share them with account ids.");
                }
                AwsAccounts.KmsKey key = accounts.key(s.kmsKeyId, own.cfg.accountId, own.cfg.region);
                if (key == null || key.awsManaged()) {
                    throw RdsApiException.invalidParameterValue("The snapshot " + s.id + " is encrypted with the"
                            + " default KMS key of the account (aws/rds) and cannot be shared. Copy it with a customer"
                            + " managed key and share the copy.");
                }
            }
            Set<String> next = new TreeSet<>(s.restoreAccounts);
            next.addAll(add);
            next.removeAll(remove);
            if (next.size() > SHARE_LIMIT) {
                throw new RdsApiException(400, "SharedSnapshotQuotaExceeded", "You have exceeded the maximum number"
                        + " of accounts (" + SHARE_LIMIT + ") that you can share a manual DB snapshot with.");
            }
            s.restoreAccounts.clear();
            s.restoreAccounts.addAll(next);
            return attributesXml(s.id, next);
        });
    }

    /** The {@code restore} attribute of one of the caller's snapshots (RDS API Reference, DescribeDBSnapshotAttributes). */
    private String describeAttributes(AwsAccounts.Caller caller, RdsBackend own, Params p) {
        refuseForeign(caller, "DescribeDBSnapshotAttributes", p, Set.of());
        String id = p.required("DBSnapshotIdentifier");
        return own.onSnapshot(id, s -> attributesXml(s.id, s.restoreAccounts));
    }

    private static String attributesXml(String id, Set<String> accounts) {
        Xml x = new Xml().open("DBSnapshotAttributesResult").el("DBSnapshotIdentifier", id)
                .open("DBSnapshotAttributes").open("DBSnapshotAttribute").el("AttributeName", "restore")
                .open("AttributeValues");
        for (String a : accounts) {
            x.el("AttributeValue", a);
        }
        return x.close("AttributeValues").close("DBSnapshotAttribute").close("DBSnapshotAttributes")
                .close("DBSnapshotAttributesResult").toString();
    }

    // ---- shared snapshots seen, copied and restored from another account -----------------------------------------

    /**
     * DescribeDBSnapshots across accounts (RDS API Reference, DescribeDBSnapshots): a shared snapshot is named by its
     * ARN, and is listed with SnapshotType {@code shared} when {@code IncludeShared} is true or SnapshotType is
     * {@code shared}. A snapshot of another account that is not shared with the caller is not found.
     */
    private String describeSnapshots(AwsAccounts.Caller caller, RdsBackend own, Params p) {
        refuseForeign(caller, "DescribeDBSnapshots", p, Set.of("DBSnapshotIdentifier"));
        String id = p.str("DBSnapshotIdentifier");
        Matcher m = id == null ? null : RDS_ARN.matcher(id);
        if (m != null && m.matches() && (!m.group(2).equals(caller.accountId()) || !m.group(1).equals(own.cfg.region))) {
            Shared view = sharedWithCaller(caller.accountId(), id, m);
            return "<DBSnapshots>" + view.xml + "</DBSnapshots>";
        }
        String result = own.dispatch("DescribeDBSnapshots", p);
        boolean shared = Boolean.TRUE.equals(p.bool("IncludeShared")) || "shared".equals(p.str("SnapshotType"));
        if (!shared || id != null || p.str("DBInstanceIdentifier") != null) {
            return result;
        }
        StringBuilder foreign = new StringBuilder();
        for (RdsBackend other : accounts.all()) {
            if (other == own) {
                continue;
            }
            for (String sid : other.snapshotsSharedWith(caller.accountId())) {
                foreign.append(other.sharedView(other.export(sid, null)));
            }
        }
        int end = result.indexOf("</DBSnapshots>");
        return end < 0 ? result : result.substring(0, end) + foreign + result.substring(end);
    }

    /** A shared snapshot of another account as the caller may see it. */
    private record Shared(RdsBackend owner, String id, String xml) { }

    private Shared sharedWithCaller(String callerAccount, String arn, Matcher m) {
        RdsBackend owner = accounts.backendExactly(m.group(2), m.group(1));
        String id = m.group(4);
        if (owner == null || !"snapshot".equals(m.group(3))) {
            throw RdsApiException.snapshotNotFound(arn);
        }
        RdsBackend.Snapshot s;
        try {
            s = owner.export(id, null);
        } catch (RdsApiException e) {
            throw RdsApiException.snapshotNotFound(arn);
        }
        // a snapshot that is not shared with the caller is invisible to it (RDS User Guide, "Sharing a DB snapshot");
        // the account's own snapshot in another region needs no share
        boolean own = owner.cfg.accountId.equals(callerAccount);
        if (!own && !s.restoreAccounts.contains(callerAccount) && !s.restoreAccounts.contains("all")) {
            throw RdsApiException.snapshotNotFound(arn);
        }
        return new Shared(owner, id, owner.sharedView(s));
    }

    /**
     * For {@link RdsBackend.ForeignSnapshots}: the shared snapshot of another account that a CopyDBSnapshot or
     * RestoreDBInstanceFromDBSnapshot in {@code callerAccount} names by ARN, or null when the name is the caller's own.
     * A shared snapshot is named by ARN (RDS User Guide, "Sharing a DB snapshot"); an encrypted one needs its KMS key
     * to be usable by the caller's account (its key policy), else KMSKeyNotAccessibleFault; a copy of an encrypted
     * shared snapshot must name a KmsKeyId of the caller's own account (RDS API Reference, CopyDBSnapshot,
     * KmsKeyId: "If you copy an encrypted DB snapshot that is shared from another AWS account, then you must specify a
     * value for this parameter"). A snapshot of the caller's own account in another region is copied across regions
     * (RDS User Guide, "Copying a DB snapshot"); an encrypted one needs a KmsKeyId of the destination region ("KMS keys
     * are specific to the AWS Region that they are created in").
     */
    RdsBackend.Snapshot foreignSnapshot(String callerAccount, String callerRegion, String idOrArn, String action,
            String kmsKeyId) {
        Matcher m = RDS_ARN.matcher(idOrArn);
        if (!m.matches() || (m.group(2).equals(callerAccount) && m.group(1).equals(callerRegion))) {
            return null;
        }
        Shared view = sharedWithCaller(callerAccount, idOrArn, m);
        RdsBackend.Snapshot s = view.owner().export(view.id(), null);
        if (s.encrypted) {
            AwsAccounts.KmsKey sourceKey = accounts.key(s.kmsKeyId, view.owner().cfg.accountId,
                    view.owner().cfg.region);
            if (sourceKey == null || !sourceKey.usableBy(callerAccount)) {
                throw kmsNotAccessible(s.kmsKeyId);
            }
            if ("CopyDBSnapshot".equals(action)) {
                if (kmsKeyId == null) {
                    throw RdsApiException.invalidParameterValue("KmsKeyId must be specified to copy an encrypted"
                            + " snapshot shared from another AWS account or from another region.");
                }
                AwsAccounts.KmsKey target = accounts.key(kmsKeyId, callerAccount, callerRegion);
                if (target == null || !target.accountId().equals(callerAccount) || !target.region().equals(callerRegion)) {
                    throw kmsNotAccessible(kmsKeyId);
                }
            }
        }
        // the data is linked for the caller now: the owner may delete its snapshot once the copy has started
        return view.owner().export(view.id(), view.owner().stagingDir());
    }

    /** As RDS words it (seen in awslabs/aurora-snapshot-tool#25 for a copy with a key the caller may not use). */
    static RdsApiException kmsNotAccessible(String key) {
        return new RdsApiException(400, "KMSKeyNotAccessibleFault", "Specified KMS key [" + key + "] does not exist,"
                + " is not enabled or you do not have permissions to access it.");
    }
}
