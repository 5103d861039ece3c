package io.jenkins.plugins.rdssync;

import hudson.util.FormValidation;
import io.jenkins.plugins.rdssync.core.aws.AwsAccess;
import io.jenkins.plugins.rdssync.core.aws.InstanceInfo;
import io.jenkins.plugins.rdssync.core.aws.RdsGateway;
import io.jenkins.plugins.rdssync.core.db.DbAddress;
import io.jenkins.plugins.rdssync.core.db.DbConnector;
import io.jenkins.plugins.rdssync.core.db.DbException;
import io.jenkins.plugins.rdssync.core.run.SecretMaskingOutputStream;
import io.jenkins.plugins.rdssync.core.spec.InvalidSpecException;
import io.jenkins.plugins.rdssync.core.spec.Secret;
import io.jenkins.plugins.rdssync.core.spec.SyncSpec;
import io.jenkins.plugins.rdssync.core.spec.TlsMode;
import java.time.Duration;
import java.util.Optional;

/**
 * The "Test AWS access" and "Test database login" buttons: read-only calls through core ({@link RdsGateway} in
 * read-only mode, {@link DbConnector#checkLogin}). They run on the controller, from where the form was submitted;
 * a build may run on an agent with other network access and another default AWS chain, which the messages say.
 * Messages never contain secrets ({@code DbException} and the SDK do not quote them; results are masked anyway).
 */
final class AccessProbe {
    static final Duration DB_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration DB_SOCKET_TIMEOUT = Duration.ofSeconds(30);

    private AccessProbe() {
    }

    static FormValidation awsAccess(SyncSettings s, ResolvedCredentials credentials) {
        SyncSpec spec;
        try {
            spec = awsSpec(s, credentials).build();
        } catch (InvalidSpecException e) {
            return FormValidation.error(e.getMessage());
        }
        try (RdsGateway rds = new RdsGateway(AwsAccess.rdsClient(spec), true)) {
            Optional<InstanceInfo> source = rds.instance(spec.source());
            Optional<InstanceInfo> target = rds.instance(spec.target());
            String text = Messages.Test_AwsOk(describe(spec.source(), source), describe(spec.target(), target));
            if (source.isEmpty()) {
                return FormValidation.warning(text + " " + Messages.Test_SourceMissing(spec.source()));
            }
            return FormValidation.ok(text + " " + Messages.Test_FromController());
        } catch (RuntimeException e) { // SdkException: bad keys, no permission, unknown region, no network
            return FormValidation.error(Messages.Test_AwsFailed(masked(e.getMessage(), credentials))
                    + " " + Messages.Test_FromController());
        }
    }

    static FormValidation databaseLogin(SyncSettings s, ResolvedCredentials credentials) {
        if (credentials.mysqlUser() == null) {
            return FormValidation.error(Messages.Test_NoDbCredentials());
        }
        TlsMode tls;
        try {
            tls = s.getDbTls() == null ? TlsMode.VERIFY_CA : TlsMode.fromId(s.getDbTls());
        } catch (IllegalArgumentException e) {
            return FormValidation.error("dbTls: " + e.getMessage());
        }
        DbAddress at;
        try {
            at = address(s, credentials);
        } catch (IllegalArgumentException | IllegalStateException e) {
            return FormValidation.error(masked(e.getMessage(), credentials));
        }
        DbConnector db = new DbConnector(credentials.mysqlUser(), Secret.of(credentials.mysqlPassword()), tls, null)
                .withTimeouts(DB_CONNECT_TIMEOUT, DB_SOCKET_TIMEOUT);
        try {
            db.checkLogin(at);
            return FormValidation.ok(Messages.Test_DbOk(at, credentials.mysqlUser()) + " "
                    + Messages.Test_FromController());
        } catch (DbException e) {
            String field = e.field() != null ? e.field() + ": " : "";
            return FormValidation.error(field + masked(e.getMessage(), credentials) + " "
                    + Messages.Test_FromController());
        }
    }

    /** {@code dbHost}/{@code dbPort} when given, else the target's endpoint as RDS reports it. */
    private static DbAddress address(SyncSettings s, ResolvedCredentials credentials) {
        if (s.getDbHost() != null) {
            return new DbAddress(s.getDbHost(), s.getDbPort() != null ? s.getDbPort() : 3306);
        }
        SyncSpec spec;
        try {
            spec = awsSpec(s, credentials).build();
        } catch (InvalidSpecException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        try (RdsGateway rds = new RdsGateway(AwsAccess.rdsClient(spec), true)) {
            InstanceInfo target = rds.instance(spec.target()).orElseThrow(
                    () -> new IllegalStateException(Messages.Test_TargetMissing(spec.target())));
            if (!target.hasEndpoint()) {
                throw new IllegalStateException(Messages.Test_TargetNoEndpoint(spec.target(), target.status()));
            }
            return new DbAddress(target.endpointHost(), target.endpointPort());
        } catch (RuntimeException e) {
            if (e instanceof IllegalStateException) {
                throw e;
            }
            throw new IllegalStateException(Messages.Test_AwsFailed(e.getMessage()), e);
        }
    }

    private static SyncSpec.Builder awsSpec(SyncSettings s, ResolvedCredentials credentials) {
        SyncSpec.Builder b = SyncSpec.builder()
                .source(s.getSource()).target(s.getTarget())
                .region(s.getRegion()).endpointUrl(s.getEndpointUrl())
                .roleArn(s.getRoleArn()).externalId(s.getExternalId())
                .preserveRows(false);
        credentials.applyTo(b);
        return b.mysqlUser(null).mysqlPassword(null);
    }

    private static String describe(String id, Optional<InstanceInfo> info) {
        return info.map(i -> Messages.Test_InstanceFound(id, i.status(), i.instanceClass()))
                .orElseGet(() -> Messages.Test_InstanceMissing(id));
    }

    private static String masked(String text, ResolvedCredentials credentials) {
        return SecretMaskingOutputStream.mask(text, credentials.valuesToMask());
    }
}
