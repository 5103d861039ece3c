package io.jenkins.plugins.rdssync.bench;

import io.jenkins.plugins.rdssync.core.EngineOptions;
import io.jenkins.plugins.rdssync.core.SyncEngine;
import io.jenkins.plugins.rdssync.core.aws.Polling;
import io.jenkins.plugins.rdssync.core.run.Cancellation;
import io.jenkins.plugins.rdssync.core.run.StageName;
import io.jenkins.plugins.rdssync.core.run.StageOutcome;
import io.jenkins.plugins.rdssync.core.run.SyncListener;
import io.jenkins.plugins.rdssync.core.run.SyncResult;
import io.jenkins.plugins.rdssync.core.spec.Secret;
import io.jenkins.plugins.rdssync.core.spec.Strategy;
import io.jenkins.plugins.rdssync.core.spec.SyncSpec;
import io.jenkins.plugins.rdssync.core.spec.TlsMode;
import io.jenkins.plugins.rdssync.testkit.DbEndpoint;
import io.jenkins.plugins.rdssync.testkit.RdsEmulator;
import io.jenkins.plugins.rdssync.testkit.RecordedRequest;
import io.jenkins.plugins.rdssync.testkit.Transition;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The real engine ({@code SyncEngine.create(spec, listener).options(..).run(..)}) against the RDS emulator with
 * AWS-like durations on a scaled clock, the engine's polling scaled the same way, so that every figure can be read in
 * RDS minutes:
 * <ul>
 * <li>the window during which the target name does not answer, {@code swap} against {@code replace}, as the engine
 * reports it ({@code downtimeSeconds}) and as a tester sees it (a login to the target's name every 50 ms);</li>
 * <li>where the time of a run goes (stages; the backup overlapping the snapshot);</li>
 * <li>Describe calls per waited minute, and five syncs at once in one account against the emulator's throttling.</li>
 * </ul>
 */
final class DowntimeBench {
    static final String PROD_PASSWORD = "Prod-Master-Pw-7731";
    static final String ACC_PASSWORD = "Acc-Login-Pw-4412";
    static final long OFFSET = 1_000_000_000L;

    /** One RDS minute on the scaled clock of the swap/replace runs. */
    static final Duration RDS_MINUTE = Duration.ofMillis(Long.getLong("bench.rdsMinuteMillis", 1000));
    /**
     * The clock of the five-at-once run: 25x faster than real time, so the emulator's one-second throttling window
     * spans 25 RDS seconds, and 300 requests in it (AWS's documented burst) is 12 per RDS second (AWS's documented
     * sustained rate for an account and region).
     */
    static final Duration CONCURRENT_MINUTE = Duration.ofMillis(2400);
    static final int THROTTLE_PER_WINDOW = 300;
    static final int CONCURRENT_SYNCS = 5;

    /** AWS-like phase lengths in RDS minutes (restore ~15-20, snapshot ~10, rename ~2-3, reboot ~2, delete ~5). */
    static final Map<Transition, Double> AWS_LIKE = new EnumMap<>(Map.ofEntries(
            Map.entry(Transition.CREATE, 10.0),
            Map.entry(Transition.RESTORE, 17.0),
            Map.entry(Transition.RESTORE_SETTLE, 0.5),
            Map.entry(Transition.BACKUP, 3.0),
            Map.entry(Transition.SNAPSHOT, 10.0),
            Map.entry(Transition.COPY_SNAPSHOT, 10.0),
            Map.entry(Transition.MODIFY, 2.0),
            Map.entry(Transition.RESET_CREDENTIALS, 1.0),
            Map.entry(Transition.RENAME, 1.0),
            Map.entry(Transition.RENAME_REBOOT, 1.5),
            Map.entry(Transition.REBOOT, 2.0),
            Map.entry(Transition.DELETE, 5.0)));

    private final Path work;
    private final int reps;
    private final boolean verbose;
    private final PreservedRowsBench.PrintStreamOut out;

    DowntimeBench(Path work, int reps, boolean verbose, PreservedRowsBench.PrintStreamOut out) {
        this.work = work;
        this.reps = reps;
        this.verbose = verbose;
        this.out = out;
    }

    /** One sync's figures, in RDS minutes. */
    static final class Run {
        Strategy strategy;
        double wall;
        double downtimeEngine;
        double downtimeProbe;
        /** How long a tester's own account could not log in: the write fence plus the renames (or the restore). */
        double testerRefused;
        long describes;
        long calls;
        Map<String, Long> actions = new TreeMap<>();
        Map<StageName, Double> stages = new EnumMap<>(StageName.class);
        /** Each stage's start and end, RDS minutes after the run started. */
        Map<StageName, double[]> spans = new EnumMap<>(StageName.class);
        /** swap: first rename → old name free → second rename asked → target answers (RDS minutes from the first). */
        double nameFreed = Double.NaN;
        double secondRename = Double.NaN;
        long throttled;

        double describesPerMinute() {
            return describes / wall;
        }
    }

    static final class Result {
        final List<Run> swap = new ArrayList<>();
        final List<Run> replace = new ArrayList<>();
        final List<Run> concurrent = new ArrayList<>();
        double rdsMinuteMillis = RDS_MINUTE.toMillis();
        long concurrentRequests;
        long concurrentThrottled;
        int peakWindow;
        double concurrentWall;

        static Run best(List<Run> runs) {
            return runs.stream().min(java.util.Comparator.comparingDouble(r -> r.downtimeProbe)).orElseThrow();
        }

        void print(PrintStream p) {
            Run s = best(swap);
            Run r = best(replace);
            p.println();
            p.println(String.format(Locale.ROOT, "## Downtime and API calls: the real engine on the RDS emulator"
                    + " (1 RDS minute = %.0f ms; polling %s → %s, settle %s, all scaled alike)", rdsMinuteMillis,
                    "5 s", "30 s", "60 s"));
            p.println();
            p.println("AWS-like phases (RDS minutes): " + AWS_LIKE);
            p.println();
            p.println("| strategy | run (wall) | target does not answer: engine's downtimeSeconds | ... as a tester"
                    + " sees it (login every 50 ms) | a tester's own account refused (write fence) | Describe calls"
                    + " | Describe calls per waited minute | all API calls |");
            p.println("|---|---:|---:|---:|---:|---:|---:|---:|");
            for (Run x : List.of(s, r)) {
                p.println(String.format(Locale.ROOT, "| %s | %.1f min | %.2f min | %.2f min | %.2f min | %d | %.2f"
                        + " | %d |", x.strategy.id(), x.wall, x.downtimeEngine, x.downtimeProbe, x.testerRefused,
                        x.describes, x.describesPerMinute(), x.calls));
            }
            double ratio = s.downtimeProbe / r.downtimeProbe;
            double ratioEngine = s.downtimeEngine / r.downtimeEngine;
            p.println();
            p.println(String.format(Locale.ROOT, "swap ÷ replace, unavailable window: %.1f%% as a tester sees it,"
                    + " %.1f%% by downtimeSeconds (target ≤ 5%%: %s); best of %d runs each, all runs: swap %s,"
                    + " replace %s", 100 * ratio, 100 * ratioEngine, ratio <= 0.05 ? "met" : "NOT MET",
                    swap.size(), minutes(swap), minutes(replace)));
            if (!Double.isNaN(s.nameFreed)) {
                p.println(String.format(Locale.ROOT, "swap window, step by step: the first rename frees the target"
                        + " name after %.2f min; the engine asks for the second rename at %.2f min; the target"
                        + " answers at %.2f min (the new instance's rename and its reboot: %.2f min)",
                        s.nameFreed, s.secondRename, s.downtimeProbe, s.downtimeProbe - s.secondRename));
            }
            p.println();
            p.println("Where a run's time goes (RDS minutes after the start: stage start → end):");
            p.println();
            p.println("| stage | swap | replace |");
            p.println("|---|---|---|");
            for (StageName st : StageName.values()) {
                if (!s.spans.containsKey(st) && !r.spans.containsKey(st)) {
                    continue;
                }
                p.println("| " + st.title() + " | " + span(s, st) + " | " + span(r, st) + " |");
            }
            p.println(String.format(Locale.ROOT, "| whole run | %.1f | %.1f |", s.wall, r.wall));
            for (Run x : List.of(s, r)) {
                double sum = x.stages.values().stream().mapToDouble(Double::doubleValue).sum();
                double[] snap = x.spans.get(StageName.SNAPSHOT);
                double[] backup = x.spans.get(StageName.BACKUP);
                p.println(String.format(Locale.ROOT, "%s: wall %.1f min, sum of the stages %.1f min; Backup %.1f →"
                        + " %.1f runs inside Snapshot %.1f → %.1f, so the wall time is the AWS waits plus the"
                        + " database work after the restore (post-SQL, offset, migrations, reload)", x.strategy.id(),
                        x.wall, sum, backup == null ? 0 : backup[0], backup == null ? 0 : backup[1],
                        snap == null ? 0 : snap[0], snap == null ? 0 : snap[1]));
                p.println("   API calls: " + x.actions);
            }
            p.println();
            p.println(String.format(Locale.ROOT, "%d syncs at once in one account (swap, each its own source and"
                    + " target; 1 RDS minute = %d ms; emulator throttling above %d requests per second, i.e. %d per"
                    + " 25 RDS seconds = AWS's burst, 12/s sustained):", concurrent.size(),
                    CONCURRENT_MINUTE.toMillis(), THROTTLE_PER_WINDOW, THROTTLE_PER_WINDOW));
            p.println(String.format(Locale.ROOT, "   %d requests in %.1f RDS min (%.2f per RDS second on average);"
                    + " busiest emulator window: %d requests (threshold %d); Throttling answers: %d (%s)",
                    concurrentRequests, concurrentWall, concurrentRequests / (concurrentWall * 60), peakWindow,
                    THROTTLE_PER_WINDOW, concurrentThrottled, concurrentThrottled == 0 ? "under the threshold"
                            : "THROTTLED"));
            for (Run x : concurrent) {
                p.println(String.format(Locale.ROOT, "   sync: wall %.1f min, downtime %.2f min, %d Describe calls"
                        + " (%.2f per waited minute)", x.wall, x.downtimeEngine, x.describes,
                        x.describesPerMinute()));
            }
        }

        private static String span(Run x, StageName st) {
            double[] v = x.spans.get(st);
            return v == null ? "" : String.format(Locale.ROOT, "%.1f → %.1f (%.1f)", v[0], v[1], v[1] - v[0]);
        }

        private static String minutes(List<Run> runs) {
            return runs.stream().map(x -> String.format(Locale.ROOT, "%.2f", x.downtimeProbe)).toList() + " min";
        }
    }

    Result run() throws Exception {
        Result result = new Result();
        Path prodSeed = work.resolve("emulator-production.sql");
        Path accSeed = work.resolve("emulator-acceptance.sql");
        Files.writeString(prodSeed, seed(false));
        Files.writeString(accSeed, seed(true));
        out.line(String.format(Locale.ROOT, "%n== Downtime and API calls on the RDS emulator, 1 RDS minute = %d ms",
                RDS_MINUTE.toMillis()));
        try (RdsEmulator rds = emulator(RDS_MINUTE)) {
            rds.createAvailableInstance("production", "admin", PROD_PASSWORD, prodSeed);
            rds.createAvailableInstance("acc-swap", "admin", ACC_PASSWORD, accSeed);
            rds.createAvailableInstance("acc-replace", "admin", ACC_PASSWORD, accSeed);
            for (int rep = 1; rep <= reps; rep++) {
                for (Strategy st : rep % 2 == 1 ? List.of(Strategy.SWAP, Strategy.REPLACE)
                        : List.of(Strategy.REPLACE, Strategy.SWAP)) {
                    String target = st == Strategy.SWAP ? "acc-swap" : "acc-replace";
                    Run run = single(rds, "production", target, st, RDS_MINUTE);
                    (st == Strategy.SWAP ? result.swap : result.replace).add(run);
                    out.line(String.format(Locale.ROOT, "   run %d  %-7s wall %5.1f min, target did not answer"
                            + " %5.2f min (engine says %5.2f), a tester's account refused %5.2f min, %3d Describe"
                            + " calls = %.2f per waited minute", rep, st.id(), run.wall, run.downtimeProbe,
                            run.downtimeEngine, run.testerRefused, run.describes, run.describesPerMinute()));
                }
            }
        }
        concurrent(result, prodSeed, accSeed);
        return result;
    }

    private static RdsEmulator emulator(Duration minute) {
        RdsEmulator.Builder b = RdsEmulator.builder().rdsMinute(minute).securityGroups("sg-0acc")
                .parameterGroup("acc-params");
        AWS_LIKE.forEach(b::transitionMinutes);
        return b.start();
    }

    /** The engine's defaults, scaled to the emulator's clock. */
    static EngineOptions scaledDefaults(Duration rdsMinute) {
        double f = rdsMinute.toNanos() / 60e9;
        Polling p = new Polling(scale(Polling.DEFAULT.first(), f), scale(Polling.DEFAULT.max(), f));
        return new EngineOptions(p, scale(EngineOptions.DEFAULT.settle(), f),
                EngineOptions.DEFAULT.reloadParallelism());
    }

    private static Duration scale(Duration d, double f) {
        return Duration.ofNanos(Math.max(1_000_000, Math.round(d.toNanos() * f)));
    }

    private SyncSpec spec(RdsEmulator rds, String source, String target, Strategy strategy) throws Exception {
        return SyncSpec.builder().source(source).target(target).region(rds.region())
                .endpointUrl(rds.endpoint().toString())
                .awsCredentials("AKIDEMULATOR", Secret.of("emulator-secret-key-9921"), null)
                .mysqlUser("admin").mysqlPassword(Secret.of(ACC_PASSWORD)).dbTls(TlsMode.DISABLED)
                .databases(List.of("shop")).strategy(strategy)
                .workDir(Files.createTempDirectory(work, "sync-" + target + "-"))
                .timeoutMinutes(120).build();
    }

    private Run single(RdsEmulator rds, String source, String target, Strategy strategy, Duration minute)
            throws Exception {
        SyncSpec spec = spec(rds, source, target, strategy);
        rds.requests().clear();
        double ms = minute.toNanos() / 1e6;
        try (Probe probe = new Probe(rds, target, "admin", ACC_PASSWORD);
                Probe tester = new Probe(rds, target, TESTER, TESTER_PASSWORD)) {
            probe.awaitUp();
            tester.awaitUp();
            Instant start = Instant.now();
            Timeline timeline = new Timeline(listener(), start, ms);
            SyncResult result = SyncEngine.create(spec, timeline).options(scaledDefaults(minute))
                    .run(new Cancellation());
            Instant end = Instant.now();
            Run run = figures(rds.requests().all(), result, strategy, start, end, ms);
            run.spans.putAll(timeline.spans);
            run.downtimeProbe = probe.longestDown(start, end) / ms;
            run.testerRefused = tester.longestDown(start, end) / ms;
            if (strategy == Strategy.SWAP) {
                Instant first = requestTime(rds.requests().all(), target, target + "-rds-sync-old");
                Instant second = requestTime(rds.requests().all(), target + "-rds-sync-new", target);
                Instant freed = probe.nameGoneAfter(first);
                if (first != null && second != null && freed != null) {
                    run.nameFreed = Duration.between(first, freed).toNanos() / 1e6 / ms;
                    run.secondRename = Duration.between(first, second).toNanos() / 1e6 / ms;
                }
            }
            return run;
        }
    }

    private static Instant requestTime(List<RecordedRequest> log, String id, String newId) {
        return log.stream().filter(r -> "ModifyDBInstance".equals(r.action()) && id.equals(r.param(
                "DBInstanceIdentifier")) && newId.equals(r.param("NewDBInstanceIdentifier"))).map(RecordedRequest::time)
                .findFirst().orElse(null);
    }

    private static Run figures(List<RecordedRequest> log, SyncResult result, Strategy strategy, Instant start,
            Instant end, double ms) {
        Run run = new Run();
        run.strategy = strategy;
        run.wall = Duration.between(start, end).toNanos() / 1e6 / ms;
        run.downtimeEngine = result.downtimeSeconds() * 1000 / ms;
        for (RecordedRequest r : log) {
            if (r.time().isBefore(start) || r.time().isAfter(end)) {
                continue;
            }
            run.calls++;
            run.actions.merge(r.action(), 1L, Long::sum);
            if (r.action() != null && r.action().startsWith("Describe")) {
                run.describes++;
            }
            if ("Throttling".equals(r.errorCode())) {
                run.throttled++;
            }
        }
        for (StageOutcome o : result.stages()) {
            run.stages.put(o.stage(), o.seconds() * 1000 / ms);
        }
        return run;
    }

    private void concurrent(Result result, Path prodSeed, Path accSeed) throws Exception {
        out.line(String.format(Locale.ROOT, "%n== %d syncs at once, 1 RDS minute = %d ms, throttling above %d"
                + " requests per second", CONCURRENT_SYNCS, CONCURRENT_MINUTE.toMillis(), THROTTLE_PER_WINDOW));
        double ms = CONCURRENT_MINUTE.toNanos() / 1e6;
        try (RdsEmulator rds = emulator(CONCURRENT_MINUTE)) {
            for (int i = 1; i <= CONCURRENT_SYNCS; i++) {
                rds.createAvailableInstance("prod" + i, "admin", PROD_PASSWORD, prodSeed);
                rds.createAvailableInstance("acc" + i, "admin", ACC_PASSWORD, accSeed);
            }
            rds.requests().clear();
            rds.faults().maxRequestsPerSecond(THROTTLE_PER_WINDOW);
            ExecutorService pool = Executors.newFixedThreadPool(CONCURRENT_SYNCS);
            Instant start = Instant.now();
            try {
                List<Future<SyncResult>> futures = new ArrayList<>();
                List<Instant[]> spans = new ArrayList<>();
                for (int i = 1; i <= CONCURRENT_SYNCS; i++) {
                    SyncSpec spec = spec(rds, "prod" + i, "acc" + i, Strategy.SWAP);
                    Instant[] span = new Instant[2];
                    spans.add(span);
                    futures.add(pool.submit(() -> {
                        span[0] = Instant.now();
                        try {
                            return SyncEngine.create(spec, listener()).options(scaledDefaults(CONCURRENT_MINUTE))
                                    .run(new Cancellation());
                        } finally {
                            span[1] = Instant.now();
                        }
                    }));
                }
                List<SyncResult> results = new ArrayList<>();
                for (Future<SyncResult> f : futures) {
                    results.add(f.get());
                }
                Instant end = Instant.now();
                List<RecordedRequest> log = rds.requests().all();
                for (int i = 0; i < results.size(); i++) {
                    String target = "acc" + (i + 1);
                    String source = "prod" + (i + 1);
                    List<RecordedRequest> mine = log.stream().filter(r -> names(r, target, source)).toList();
                    result.concurrent.add(figures(mine, results.get(i), Strategy.SWAP, spans.get(i)[0],
                            spans.get(i)[1], ms));
                }
                result.concurrentWall = Duration.between(start, end).toNanos() / 1e6 / ms;
                result.concurrentRequests = log.size();
                result.concurrentThrottled = log.stream().filter(r -> "Throttling".equals(r.errorCode())).count();
                result.peakWindow = peakPerSecond(log);
                out.line(String.format(Locale.ROOT, "   %d requests, busiest second %d, %d throttled, wall %.1f RDS"
                        + " min", result.concurrentRequests, result.peakWindow, result.concurrentThrottled,
                        result.concurrentWall));
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** Requests of one sync: those naming its target (or its temporary names), its source or its snapshot. */
    private static boolean names(RecordedRequest r, String target, String source) {
        for (String v : r.parameters().values()) {
            if (v.startsWith(target) || v.contains(":db:" + target) || v.startsWith(source)
                    || v.contains(":snapshot:" + source) || v.contains(":db:" + source)) {
                return true;
            }
        }
        return false;
    }

    /** The most requests within any one second (the emulator's throttling window). */
    static int peakPerSecond(List<RecordedRequest> log) {
        List<Instant> t = log.stream().map(RecordedRequest::time).sorted().toList();
        int best = 0;
        int from = 0;
        for (int i = 0; i < t.size(); i++) {
            while (Duration.between(t.get(from), t.get(i)).toMillis() >= 1000) {
                from++;
            }
            best = Math.max(best, i - from + 1);
        }
        return best;
    }

    private SyncListener listener() {
        if (!verbose) {
            return SyncListener.NONE;
        }
        return new io.jenkins.plugins.rdssync.core.run.TextListener(System.out);
    }

    /** Stage starts and ends, passed on to the console when verbose. */
    static final class Timeline implements SyncListener {
        private final SyncListener next;
        private final Instant start;
        private final double ms;
        final Map<StageName, double[]> spans = new EnumMap<>(StageName.class);

        Timeline(SyncListener next, Instant start, double ms) {
            this.next = next;
            this.start = start;
            this.ms = ms;
        }

        private double now() {
            return Duration.between(start, Instant.now()).toNanos() / 1e6 / ms;
        }

        @Override
        public void runStarted(List<StageName> stages, boolean dryRun) {
            next.runStarted(stages, dryRun);
        }

        @Override
        public void stageStarted(StageName stage, int number, int total) {
            spans.put(stage, new double[] {now(), Double.NaN});
            next.stageStarted(stage, number, total);
        }

        @Override
        public void log(StageName stage, String message) {
            next.log(stage, message);
        }

        @Override
        public void warn(StageName stage, String message) {
            next.warn(stage, message);
        }

        @Override
        public void progress(StageName stage, String message, int percent) {
            next.progress(stage, message, percent);
        }

        @Override
        public void stageFinished(StageOutcome outcome) {
            double[] v = spans.get(outcome.stage());
            if (v != null) {
                v[1] = now();
            }
            next.stageFinished(outcome);
        }

        @Override
        public void runFinished(SyncResult result) {
            next.runFinished(result);
        }

        @Override
        public void runFailed(io.jenkins.plugins.rdssync.core.run.SyncException failure) {
            next.runFailed(failure);
        }
    }

    /** A small shop; the acceptance copy also has rows testers made (keys from the offset on). */
    static String seed(boolean acceptance) {
        StringBuilder b = new StringBuilder();
        // a tester's own account, as teams give them: the engine's write fence locks it for the last catch-up
        b.append("CREATE USER '" + TESTER + "'@'%' IDENTIFIED BY '" + TESTER_PASSWORD + "';\n");
        b.append("CREATE DATABASE shop CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;\nUSE shop;\n");
        b.append("GRANT SELECT, INSERT, UPDATE, DELETE ON shop.* TO '" + TESTER + "'@'%';\n");
        b.append("CREATE TABLE customers (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, name VARCHAR(100) NOT NULL,"
                + " email VARCHAR(200) NOT NULL) ENGINE=InnoDB;\n");
        b.append("CREATE TABLE orders (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, customer_id BIGINT NOT NULL,"
                + " created DATETIME(3) NOT NULL, note TEXT NULL, CONSTRAINT fk_orders_customer FOREIGN KEY"
                + " (customer_id) REFERENCES customers (id)) ENGINE=InnoDB;\n");
        b.append("INSERT INTO customers (name, email) SELECT CONCAT('Customer ', seq), CONCAT('c', seq,"
                + " '@example.com') FROM seq_1_to_500;\n");
        b.append("INSERT INTO orders (customer_id, created, note) SELECT 1 + seq % 500, TIMESTAMPADD(MINUTE, seq,"
                + " '2024-01-01'), CONCAT('order ', seq) FROM seq_1_to_2000;\n");
        if (acceptance) {
            b.append("INSERT INTO customers (id, name, email) SELECT " + OFFSET + " + seq, CONCAT('Tester ', seq),"
                    + " CONCAT('t', seq, '@qa.example') FROM seq_0_to_199;\n");
            b.append("INSERT INTO orders (id, customer_id, created, note) SELECT " + OFFSET + " + seq, " + OFFSET
                    + " + seq % 200, NOW(3), 'qa order ✓' FROM seq_0_to_499;\n");
        }
        return b.toString();
    }

    static final String TESTER = "tess";
    static final String TESTER_PASSWORD = "Tess-Bench-Pw-3301";

    /**
     * Logs in to the target's name every 50 ms (its DNS name, as a client has it configured), as a tester would, and
     * remembers when it answered and when the name did not exist at all.
     */
    static final class Probe implements AutoCloseable {
        private final RdsEmulator rds;
        private final String target;
        private final List<Instant> times = new ArrayList<>();
        private final List<Boolean> up = new ArrayList<>();
        private final List<Boolean> named = new ArrayList<>();
        private final Thread thread;
        private volatile boolean stop;

        private final String user;
        private final String password;

        Probe(RdsEmulator rds, String target, String user, String password) {
            this.rds = rds;
            this.target = target;
            this.user = user;
            this.password = password;
            this.thread = new Thread(this::loop, "downtime-probe");
            this.thread.setDaemon(true);
            this.thread.start();
        }

        private void loop() {
            Properties p = new Properties();
            p.setProperty("user", user);
            p.setProperty("password", password);
            p.setProperty("sslMode", "DISABLED");
            p.setProperty("allowPublicKeyRetrieval", "true");
            p.setProperty("connectTimeout", "500");
            p.setProperty("socketTimeout", "1000");
            while (!stop) {
                boolean exists = rds.instanceIds().contains(target);
                boolean ok = false;
                try {
                    DbEndpoint e = rds.nameEndpoint(target);
                    try (Connection c = DriverManager.getConnection("jdbc:mysql://" + e.host() + ":" + e.port() + "/",
                            p); Statement s = c.createStatement()) {
                        s.execute("SELECT 1");
                        ok = true;
                    }
                } catch (Exception e) {
                    // down
                }
                synchronized (this) {
                    times.add(Instant.now());
                    up.add(ok);
                    named.add(exists);
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        void awaitUp() throws InterruptedException {
            for (int i = 0; i < 400; i++) {
                synchronized (this) {
                    if (!up.isEmpty() && up.get(up.size() - 1)) {
                        return;
                    }
                }
                Thread.sleep(25);
            }
            throw new IllegalStateException(target + " does not answer before the run");
        }

        /** The longest time in [from, to] during which logins failed, in milliseconds. */
        synchronized double longestDown(Instant from, Instant to) {
            double best = 0;
            Instant downSince = null;
            for (int i = 0; i < times.size(); i++) {
                Instant t = times.get(i);
                if (t.isBefore(from)) {
                    continue;
                }
                if (!up.get(i) && downSince == null) {
                    downSince = i > 0 ? times.get(i - 1) : t;
                } else if (up.get(i) && downSince != null) {
                    best = Math.max(best, Duration.between(downSince, t).toNanos() / 1e6);
                    downSince = null;
                }
                if (t.isAfter(to)) {
                    break;
                }
            }
            return best;
        }

        /** When the target's name was first seen gone after {@code t}. */
        synchronized Instant nameGoneAfter(Instant t) {
            if (t == null) {
                return null;
            }
            for (int i = 0; i < times.size(); i++) {
                if (times.get(i).isAfter(t) && !named.get(i)) {
                    return times.get(i);
                }
            }
            return null;
        }

        @Override
        public void close() {
            stop = true;
            thread.interrupt();
        }
    }
}
