package io.jenkins.plugins.rdssync.cli;

import io.jenkins.plugins.rdssync.core.EngineOptions;
import io.jenkins.plugins.rdssync.core.SyncEngine;
import io.jenkins.plugins.rdssync.core.run.Cancellation;
import io.jenkins.plugins.rdssync.core.run.SyncException;
import io.jenkins.plugins.rdssync.core.run.SyncListener;
import io.jenkins.plugins.rdssync.core.run.SyncResult;
import io.jenkins.plugins.rdssync.core.spec.SyncSpec;
import java.time.Duration;

/** How the commands obtain an engine; a seam so that tests can script the engine's events. */
@FunctionalInterface
public interface Engines {
    /** One run of a spec. */
    @FunctionalInterface
    interface Run {
        SyncResult run(Cancellation cancellation) throws SyncException;
    }

    Run create(SyncSpec spec, SyncListener listener);

    /**
     * The same engines with timings for an emulator whose RDS minute lasts {@code rdsMinute} (the demo); scripted
     * test engines ignore it.
     */
    default Engines forEmulator(Duration rdsMinute) {
        return this;
    }

    /** The real engine of rds-sync-core. */
    static Engines core() {
        return new Core(null);
    }

    /** The real engine with the given timings. */
    static Engines core(EngineOptions options) {
        return new Core(options);
    }

    /** rds-sync-core's {@link SyncEngine}. */
    final class Core implements Engines {
        private final EngineOptions options;

        private Core(EngineOptions options) {
            this.options = options;
        }

        @Override
        public Run create(SyncSpec spec, SyncListener listener) {
            SyncEngine engine = SyncEngine.create(spec, listener);
            if (options != null) {
                engine = engine.options(options);
            }
            return engine::run;
        }

        @Override
        public Engines forEmulator(Duration rdsMinute) {
            return new Core(EngineOptions.forEmulator(rdsMinute));
        }
    }
}
