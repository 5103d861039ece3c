package io.jenkins.plugins.rdssync.core;

import io.jenkins.plugins.rdssync.core.aws.AwsSides;
import io.jenkins.plugins.rdssync.core.run.Cancellation;
import io.jenkins.plugins.rdssync.core.run.SerialListener;
import io.jenkins.plugins.rdssync.core.run.SyncException;
import io.jenkins.plugins.rdssync.core.run.SyncListener;
import io.jenkins.plugins.rdssync.core.run.SyncResult;
import io.jenkins.plugins.rdssync.core.spec.SyncSpec;
import io.jenkins.plugins.rdssync.core.stage.SyncRun;

/**
 * The one entry point of the engine: the CLI and the Jenkins plugin both build a {@link SyncSpec}, call
 * {@link #run(Cancellation)} and render the {@link SyncListener} events.
 */
public final class SyncEngine {
    private final SyncSpec spec;
    private final SyncListener listener;
    private EngineOptions options = EngineOptions.DEFAULT;

    private SyncEngine(SyncSpec spec, SyncListener listener) {
        this.spec = spec;
        this.listener = SerialListener.of(listener == null ? SyncListener.NONE : listener);
    }

    public static SyncEngine create(SyncSpec spec, SyncListener listener) {
        return new SyncEngine(spec, listener);
    }

    /** Timings other than the defaults (tests and the demo, against the emulator). */
    public SyncEngine options(EngineOptions engineOptions) {
        this.options = engineOptions;
        return this;
    }

    /**
     * Runs the sync (or, with {@code dryRun}, describes every action without changing anything).
     *
     * @throws SyncException naming the stage that failed and what to do next
     */
    public SyncResult run(Cancellation cancellation) throws SyncException {
        try (AwsSides sides = AwsSides.open(spec, options.awsRetryDelay(), options.stsAndKmsAtEndpointUrl())) {
            return new SyncRun(spec, listener, sides, options, cancellation).execute();
        }
    }
}
