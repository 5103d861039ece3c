package io.jenkins.plugins.rdssync.core.iam;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.Map;
import org.junit.Test;

/** The evaluation the check relies on, as IAM does it: wildcards, case, explicit deny, placeholders. */
public class IamPolicyTest {
    private static final String POLICY = """
            {"Version": "2012-10-17", "Statement": [
              {"Sid": "Renames", "Effect": "Allow", "Action": ["rds:ModifyDBInstance"],
               "Resource": ["arn:aws:rds:${Region}:${Account}:db:${Target}", "arn:aws:rds:${Region}:${Account}:db:${Target}-rds-sync-???"]},
              {"Sid": "Reads", "Effect": "Allow", "Action": "rds:Describe*", "Resource": "*"},
              {"Sid": "NeverTheSource", "Effect": "Deny", "Action": "rds:*", "Resource": "arn:aws:rds:*:*:db:production"}
            ]}""";
    private static final Map<String, String> VALUES = Map.of("Region", "eu-west-1", "Account", "123456789012",
            "Target", "acc");

    private static IamPolicy policy() {
        return IamPolicy.parse("test.json", POLICY, VALUES);
    }

    @Test
    public void placeholdersAndWildcardsMatchAsIamDoes() {
        IamPolicy p = policy();
        assertTrue(p.allowing("rds:ModifyDBInstance", "arn:aws:rds:eu-west-1:123456789012:db:acc").isPresent());
        assertTrue("? is one character", p.allowing("rds:ModifyDBInstance",
                "arn:aws:rds:eu-west-1:123456789012:db:acc-rds-sync-old").isPresent());
        assertFalse(p.allowing("rds:ModifyDBInstance",
                "arn:aws:rds:eu-west-1:123456789012:db:acc-rds-sync-older").isPresent());
        assertFalse("another account", p.allowing("rds:ModifyDBInstance",
                "arn:aws:rds:eu-west-1:999999999999:db:acc").isPresent());
        assertFalse("a regex character is literal", p.allowing("rds:ModifyDBInstance",
                "arn:aws:rds:eu-west-1:123456789012:db:acX").isPresent());
        assertEquals("Reads", p.allowing("rds:DescribeDBSnapshots", "*").orElseThrow().sid());
    }

    @Test
    public void actionsCompareWithoutCaseResourcesWithCase() {
        IamPolicy p = policy();
        assertTrue(p.allowing("RDS:modifydbinstance", "arn:aws:rds:eu-west-1:123456789012:db:acc").isPresent());
        assertFalse(p.allowing("rds:ModifyDBInstance", "arn:aws:rds:eu-west-1:123456789012:db:ACC").isPresent());
    }

    @Test
    public void anExplicitDenyIsReported() {
        assertTrue(policy().denies("rds:DeleteDBInstance", "arn:aws:rds:eu-west-1:123456789012:db:production"));
        assertFalse(policy().denies("rds:DeleteDBInstance", "arn:aws:rds:eu-west-1:123456789012:db:acc"));
    }

    @Test
    public void aPlaceholderWithoutValueIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> IamPolicy.parse("test.json", POLICY, Map.of("Region", "eu-west-1")));
        assertTrue(e.getMessage(), e.getMessage().contains("${Account}"));
    }

    @Test
    public void aStatementCanBeTakenOut() {
        IamPolicy p = policy().without("Renames");
        assertFalse(p.allowing("rds:ModifyDBInstance", "arn:aws:rds:eu-west-1:123456789012:db:acc").isPresent());
        assertThrows(IllegalArgumentException.class, () -> p.without("Renames"));
    }
}
