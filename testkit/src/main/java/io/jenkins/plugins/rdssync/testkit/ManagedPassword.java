package io.jenkins.plugins.rdssync.testkit;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Secrets Manager management of the master password (ModifyDBInstance ManageMasterUserPassword), and the backup
 * retention changes that take the instance offline, as RDS does them:
 * <ul>
 * <li>ManageMasterUserPassword and MasterUserPassword together are refused, and so is MasterUserPassword while the
 * password is managed (ModifyDBInstance API reference; shared/RDS-FACTS.md, "Restores");</li>
 * <li>turning management on makes a new secret ({@code rds!db-...}) with a generated password;</li>
 * <li>retention 0 -> n: offline ({@code modifying}), then the baseline {@code backing-up}; n -> 0: an outage, the
 * instance restarts (RDS User Guide, "Backup retention period", "Enabling automated backups").</li>
 * </ul>
 */
final class ManagedPassword {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789-_~!#$%^*";

    private ManagedPassword() {
    }

    static void check(RdsBackend.Instance i, Params p, String password) {
        boolean manage = Boolean.TRUE.equals(p.bool("ManageMasterUserPassword"));
        if (manage && password != null) {
            throw RdsApiException.invalidParameterCombination("You can't specify MasterUserPassword when"
                    + " ManageMasterUserPassword is turned on.");
        }
        if (password != null && i.extras.secretArn != null && !Boolean.FALSE.equals(p.bool("ManageMasterUserPassword"))) {
            throw RdsApiException.invalidParameterCombination("The master user password is managed in AWS Secrets"
                    + " Manager; turn ManageMasterUserPassword off to set MasterUserPassword.");
        }
        if (Boolean.FALSE.equals(p.bool("ManageMasterUserPassword")) && i.extras.secretArn != null) {
            if (password == null) {
                throw RdsApiException.invalidParameterCombination("MasterUserPassword is required when turning off"
                        + " ManageMasterUserPassword.");
            }
            i.extras.secretArn = null;
            i.extras.secretKmsKeyId = null;
        }
    }

    /** The steps of a modification that turns management or backups on or off (with {@code finish} at its end). */
    static List<RdsBackend.Step> andBackups(RdsBackend backend, RdsBackend.Instance i, Params p, boolean backupsOn,
            boolean backupsOff, Runnable finish, Supplier<CompletableFuture<?>> setServerPassword) {
        boolean manage = Boolean.TRUE.equals(p.bool("ManageMasterUserPassword")) && i.extras.secretArn == null;
        String kms = p.str("MasterUserSecretKmsKeyId");
        List<RdsBackend.Step> steps = new ArrayList<>();
        RdsBackend.Step modifying = new RdsBackend.Step(InstanceStatus.MODIFYING, Transition.MODIFY, 1);
        if (manage) {
            // the secret's password becomes the master password once the modification ran
            String generated = generate();
            i.pending.put("MasterUserPassword", "****");
            modifying.work(() -> {
                synchronized (backend) {
                    i.masterPassword = generated;
                }
                return setServerPassword.get();
            });
        }
        modifying.onEnd(() -> {
            finish.run();
            if (manage) {
                i.pending.remove("MasterUserPassword");
                i.extras.secretArn = "arn:aws:secretsmanager:" + backend.cfg.region + ":" + backend.cfg.accountId
                        + ":secret:rds!db-" + i.dbiResourceId.toLowerCase(java.util.Locale.ROOT) + "-" + generate()
                        .substring(0, 6);
                i.extras.secretKmsKeyId = kms != null ? kms : "arn:aws:kms:" + backend.cfg.region + ":"
                        + backend.cfg.accountId + ":alias/aws/secretsmanager";
            }
            if ((backupsOn || backupsOff) && i.net != null) {
                i.net.dropConnections(); // "an outage occurs" on 0 <-> n
            }
        });
        steps.add(modifying);
        if (backupsOn) {
            steps.add(backend.baselineBackup(i));
        }
        return steps;
    }

    private static String generate() {
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < 28; k++) {
            b.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return b.toString();
    }
}
