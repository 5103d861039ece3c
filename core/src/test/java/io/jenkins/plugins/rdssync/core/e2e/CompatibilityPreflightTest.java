package io.jenkins.plugins.rdssync.core.e2e;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.jenkins.plugins.rdssync.core.run.StageName;
import io.jenkins.plugins.rdssync.core.run.SyncException;
import io.jenkins.plugins.rdssync.core.spec.Secret;
import io.jenkins.plugins.rdssync.core.spec.Strategy;
import io.jenkins.plugins.rdssync.core.spec.SyncSpec;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;

/**
 * Every restore RDS would refuse, and every instance the sync cannot treat as one plain DB instance, is refused in
 * Preflight with the field to fix, in both strategies, before any mutating call reaches RDS: in {@code replace} the
 * restore comes after acceptance was deleted, so a refusal there would leave no acceptance at all.
 */
@RunWith(Parameterized.class)
public class CompatibilityPreflightTest {
    @ClassRule
    public static final EmulatedRds RDS = new EmulatedRds(b -> b.parameterGroup("acc-params-84", "mysql8.4")
            .optionGroup("acc-options-84", "mysql", "8.4"));

    @Parameterized.Parameters(name = "{0}")
    public static Collection<Object[]> strategies() {
        return Arrays.asList(new Object[][] {{Strategy.SWAP}, {Strategy.REPLACE}});
    }

    private final Strategy strategy;

    public CompatibilityPreflightTest(Strategy strategy) {
        this.strategy = strategy;
    }

    @BeforeClass
    public static void fixtures() throws Exception {
        // production upgraded to MySQL 8.4 while acceptance still has its 8.0 parameter group
        RDS.rds.createAvailableInstance("prod-84", "admin", EmulatedRds.PROD_PASSWORD, null);
        RDS.rds.setEngineVersion("prod-84", "8.4.3");
        RDS.rds.createAvailableInstance("acc-80", "admin", EmulatedRds.ACC_PASSWORD, null);
        try (var c = RDS.client()) {
            c.modifyDBInstance(r -> r.dbInstanceIdentifier("acc-80").dbParameterGroupName("acc-params")
                    .applyImmediately(true));
        }
        RDS.rds.awaitInstanceStatus("acc-80", "available", java.time.Duration.ofSeconds(30));
        RDS.rds.createAvailableInstance("acc-plain", "admin", EmulatedRds.ACC_PASSWORD, null);
        RDS.rds.createAvailableInstance("prod-cluster", "admin", EmulatedRds.PROD_PASSWORD, null);
        RDS.rds.setClusterMember("prod-cluster", "prod-multi-az");
        RDS.rds.createAvailableInstance("acc-aurora", "admin", EmulatedRds.ACC_PASSWORD, null);
        RDS.rds.setEngine("acc-aurora", "aurora-mysql");
        RDS.rds.createAvailableInstance("acc-mariadb", "admin", EmulatedRds.ACC_PASSWORD, null);
        RDS.rds.setEngine("acc-mariadb", "mariadb");
        RDS.rds.createAvailableInstance("acc-primary", "admin", EmulatedRds.ACC_PASSWORD, null);
        RDS.rds.createAvailableInstance("acc-replica", "admin", EmulatedRds.ACC_PASSWORD, null);
        RDS.rds.setReadReplica("acc-replica", "acc-primary");
    }

    private void refused(String field, String expected, Function<SyncSpec.Builder, SyncSpec.Builder> spec,
            String source, String target) throws Exception {
        RDS.rds.requests().clear();
        RecordingListener log = new RecordingListener();
        try {
            RDS.sync(spec.apply(RDS.spec(source, target).strategy(strategy).preserveRows(false)).build(), log);
            fail("expected a refusal naming " + field + "\n" + log.text());
        } catch (SyncException e) {
            assertEquals(e.getMessage(), StageName.PREFLIGHT, e.stage());
            assertTrue(e.getMessage(), e.getMessage().startsWith("Preflight failed: " + field + ": "));
            assertTrue(e.getMessage(), e.getMessage().contains(expected));
            assertTrue(e.hint(), e.hint().startsWith("Nothing was changed"));
        }
        assertEquals("no mutating call before the refusal", List.of(), RDS.rds.requests().mutating());
        assertFalse(log.text().contains(EmulatedRds.ACC_PASSWORD));
    }

    @Test
    public void parameterGroupOfAnotherFamilyThanTheSnapshot() throws Exception {
        refused("parameterGroup", "needs family mysql8.4", s -> s, "prod-84", "acc-80");
        refused("parameterGroup", "family mysql8.0", s -> s.parameterGroup("acc-params"), "prod-84", "acc-plain");
    }

    @Test
    public void optionGroupOfAnotherMajorVersion() throws Exception {
        refused("optionGroup", "mysql 8.4", s -> s.optionGroup("acc-options-84"), "production", "acc-plain");
    }

    @Test
    public void classNotOrderableForTheEngineVersion() throws Exception {
        refused("instanceClass", "db.t2.micro", s -> s.instanceClass("db.t2.micro").parameterGroup("acc-params-84")
                        .optionGroup("acc-options-84"),
                "prod-84", "acc-plain");
    }

    @Test
    public void provisionedStorageWithoutIops() throws Exception {
        refused("storageType", "needs provisioned Iops", s -> s.storageType("io1"), "production", "acc-plain");
    }

    @Test
    public void masterPasswordRdsWouldRefuse() throws Exception {
        refused("mysqlCredentialsId", "RDS refuses", s -> s.mysqlPassword(Secret.of("Acc@Login-Pw-4412")),
                "production", "acc-plain");
        refused("mysqlCredentialsId", "8 to 41", s -> s.mysqlPassword(Secret.of("short")), "production",
                "acc-plain");
    }

    @Test
    public void targetOfAnotherEngine() throws Exception {
        refused("target", "runs mariadb", s -> s, "production", "acc-mariadb");
    }

    @Test
    public void clusterMembersAndAuroraAreRefused() throws Exception {
        refused("source", "member of DB cluster 'prod-multi-az'", s -> s, "prod-cluster", "acc-plain");
        refused("target", "an Aurora instance", s -> s, "production", "acc-aurora");
    }

    @Test
    public void readReplicaTargetsAreRefused() throws Exception {
        refused("target", "is a read replica of 'acc-primary'", s -> s, "production", "acc-replica");
        refused("target", "has read replicas [acc-replica]", s -> s, "production", "acc-primary");
    }
}
