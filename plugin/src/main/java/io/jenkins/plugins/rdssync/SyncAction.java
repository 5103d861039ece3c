package io.jenkins.plugins.rdssync;

import hudson.EnvVars;
import hudson.Util;
import hudson.model.EnvironmentContributingAction;
import hudson.model.Run;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jenkins.model.RunAction2;
import org.kohsuke.stapler.export.Exported;
import org.kohsuke.stapler.export.ExportedBean;

/**
 * The "RDS Sync" page of a build: one per target synced in that build, with the stage table (status and duration),
 * the snapshot, the endpoint, the preserved row counts and the downtime; a summary on the build's main page; and, for
 * freestyle builds, the {@code RDS_SYNC_*} environment variables of later build steps.
 *
 * <p>Saved in {@code build.xml}, so it holds plain strings and numbers only: no AWS SDK objects, no secrets.
 * Updated live while the sync runs (from remoting threads), hence the synchronisation.
 *
 * <p>Exported to the remote API: {@code /job/J/N/api/json} lists it among the build's {@code actions} with the
 * state, endpoint, snapshot, preserved row counts, stages (name, status, seconds) and downtime, for scripts and
 * dashboards. An action is the second level below the build, a stage the third ({@link Exported#visibility()}), as
 * core's {@code ParametersAction} and its values are.
 */
@ExportedBean
public final class SyncAction implements RunAction2, EnvironmentContributingAction {

    public static final String ENV_ENDPOINT = "RDS_SYNC_ENDPOINT";
    public static final String ENV_PORT = "RDS_SYNC_PORT";
    public static final String ENV_INSTANCE = "RDS_SYNC_INSTANCE";
    public static final String ENV_SNAPSHOT = "RDS_SYNC_SNAPSHOT";

    /** Where a sync is. */
    public enum State {
        WAITING, RUNNING, SUCCESS, FAILED, CANCELLED, INVALID
    }

    private final String source;
    private final String target;
    private State state = State.RUNNING;
    private boolean dryRun;
    private String currentStage;
    private int stageCount;
    private List<StageRow> stages = new ArrayList<>();
    private String endpoint;
    private Integer port;
    private String instance;
    private String snapshot;
    private LinkedHashMap<String, Long> preservedRows;
    private Double downtimeSeconds;
    private String message;
    private String hint;
    private String waitingFor;

    private transient Run<?, ?> run;

    SyncAction(String source, String target, boolean dryRun) {
        this.source = source;
        this.target = target;
        this.dryRun = dryRun;
    }

    /** The action of this build for the target, added if missing, made ready for a new (or resumed) run. */
    static SyncAction attach(Run<?, ?> run, SyncSettings settings, boolean keepStages) {
        for (SyncAction a : run.getActions(SyncAction.class)) {
            if (a.target != null && a.target.equalsIgnoreCase(settings.getTarget())) {
                a.restart(settings.isDryRun(), keepStages);
                return a;
            }
        }
        SyncAction a = new SyncAction(settings.getSource(), settings.getTarget(), settings.isDryRun());
        run.addAction(a);
        return a;
    }

    private synchronized void restart(boolean dry, boolean keepStages) {
        state = State.RUNNING;
        dryRun = dry;
        message = null;
        hint = null;
        waitingFor = null;
        if (!keepStages) {
            stages = new ArrayList<>();
            currentStage = null;
        }
    }

    // ---- updates (controller side of a running sync) ---------------------------------------------------------

    synchronized void waiting(String forWhom) {
        state = State.WAITING;
        waitingFor = forWhom;
    }

    synchronized void running() {
        state = State.RUNNING;
        waitingFor = null;
    }

    synchronized void stageStarted(String stage, int number, int total) {
        stageCount = total;
        // a resumed run starts again at the stage it stopped in: replace that row
        stages.removeIf(r -> r.getName().equals(stage));
        stages.add(new StageRow(number, stage, "RUNNING", 0, null));
        currentStage = earliestRunning(stage);
    }

    /** Snapshot runs while Backup starts and ends: the current stage is the earliest one still running. */
    private String earliestRunning(String otherwise) {
        return stages.stream().filter(r -> "RUNNING".equals(r.getStatus())).map(StageRow::getName).findFirst()
                .orElse(otherwise);
    }

    synchronized void stageFinished(String stage, String status, double seconds, String summary) {
        for (int i = 0; i < stages.size(); i++) {
            StageRow r = stages.get(i);
            if (r.getName().equals(stage)) {
                stages.set(i, new StageRow(r.getNumber(), stage, status, seconds, summary));
                currentStage = earliestRunning(currentStage);
                return;
            }
        }
        stages.add(new StageRow(stages.size() + 1, stage, status, seconds, summary));
    }

    /** Takes the outcome of the run; on success the plain result ({@code SyncResult.toPlainMap()}). */
    @SuppressWarnings("unchecked")
    synchronized void finished(SyncOutcome outcome) {
        message = outcome.message();
        hint = outcome.hint();
        waitingFor = null;
        switch (outcome.kind()) {
            case SUCCESS -> state = State.SUCCESS;
            case FAILED -> state = State.FAILED;
            case CANCELLED -> state = State.CANCELLED;
            default -> state = State.INVALID;
        }
        Map<String, Object> r = outcome.result();
        if (r == null) {
            return;
        }
        endpoint = str(r.get("endpoint"));
        port = r.get("port") instanceof Number n ? n.intValue() : null;
        instance = str(r.get("instance"));
        snapshot = str(r.get("snapshot"));
        downtimeSeconds = r.get("downtimeSeconds") instanceof Number n ? n.doubleValue() : null;
        dryRun = Boolean.TRUE.equals(r.get("dryRun"));
        preservedRows = new LinkedHashMap<>();
        if (r.get("preservedRows") instanceof Map<?, ?> m) {
            m.forEach((k, v) -> preservedRows.put(String.valueOf(k), v instanceof Number n ? n.longValue() : 0L));
        }
        if (r.get("stages") instanceof List<?> list) {
            List<StageRow> rows = new ArrayList<>();
            int n = 0;
            for (Object o : list) {
                if (o instanceof Map<?, ?> s) {
                    String name = str(s.get("name"));
                    rows.add(new StageRow(++n, name, str(s.get("status")),
                            s.get("seconds") instanceof Number sec ? sec.doubleValue() : 0, summaryOf(name)));
                }
            }
            stages = rows;
            stageCount = rows.size();
        }
    }

    private String summaryOf(String stage) {
        for (StageRow r : stages) {
            if (r.getName().equals(stage)) {
                return r.getSummary();
            }
        }
        return null;
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }

    // ---- Action ------------------------------------------------------------------------------------------------

    @Override
    public String getIconFileName() {
        return "symbol-rds-sync plugin-rds-sync";
    }

    @Override
    public String getDisplayName() {
        return Messages.SyncAction_DisplayName(target);
    }

    @Override
    public String getUrlName() {
        return "rds-sync-" + target;
    }

    @Override
    public void onAttached(Run<?, ?> r) {
        this.run = r;
    }

    @Override
    public void onLoad(Run<?, ?> r) {
        this.run = r;
    }

    public Run<?, ?> getRun() {
        return run;
    }

    /** Environment of later freestyle build steps (and of {@code env} in Pipeline) once the sync has finished. */
    @Override
    public synchronized void buildEnvironment(Run<?, ?> r, EnvVars env) {
        if (state != State.SUCCESS) {
            return;
        }
        if (endpoint != null) {
            env.put(ENV_ENDPOINT, endpoint);
        }
        if (port != null) {
            env.put(ENV_PORT, String.valueOf(port));
        }
        if (instance != null) {
            env.put(ENV_INSTANCE, instance);
        }
        if (snapshot != null) {
            env.put(ENV_SNAPSHOT, snapshot);
        }
    }

    private synchronized Object readResolve() {
        if (stages == null) {
            stages = new ArrayList<>();
        }
        return this;
    }

    // ---- view model (summary.jelly, index.jelly) ---------------------------------------------------------------

    @Exported(visibility = 2)
    public String getSource() {
        return source;
    }

    @Exported(visibility = 2)
    public String getTarget() {
        return target;
    }

    @Exported(visibility = 2)
    public synchronized State getState() {
        return state;
    }

    @Exported(visibility = 2)
    public synchronized boolean isDryRun() {
        return dryRun;
    }

    @Exported(visibility = 2)
    public synchronized String getCurrentStage() {
        return currentStage;
    }

    @Exported(visibility = 2)
    public synchronized int getStageCount() {
        return stageCount;
    }

    @Exported(visibility = 2)
    public synchronized List<StageRow> getStages() {
        return Collections.unmodifiableList(new ArrayList<>(stages));
    }

    @Exported(visibility = 2)
    public synchronized String getEndpoint() {
        return endpoint;
    }

    @Exported(visibility = 2)
    public synchronized Integer getPort() {
        return port;
    }

    @Exported(visibility = 2)
    public synchronized String getInstance() {
        return instance;
    }

    @Exported(visibility = 2)
    public synchronized String getSnapshot() {
        return snapshot;
    }

    @Exported(visibility = 2)
    public synchronized Map<String, Long> getPreservedRows() {
        return preservedRows == null ? Collections.emptyMap() : Collections.unmodifiableMap(preservedRows);
    }

    @Exported(visibility = 2)
    public synchronized long getPreservedRowTotal() {
        return preservedRows == null ? 0 : preservedRows.values().stream().mapToLong(Long::longValue).sum();
    }

    @Exported(visibility = 2)
    public synchronized Double getDowntimeSeconds() {
        return downtimeSeconds;
    }

    public synchronized String getDowntime() {
        return downtimeSeconds == null ? null : Util.getTimeSpanString(Math.round(downtimeSeconds * 1000));
    }

    @Exported(visibility = 2)
    public synchronized String getMessage() {
        return message;
    }

    @Exported(visibility = 2)
    public synchronized String getHint() {
        return hint;
    }

    @Exported(visibility = 2)
    public synchronized String getWaitingFor() {
        return waitingFor;
    }

    /** A one-line description for the build page summary. */
    public synchronized String getHeadline() {
        return switch (state) {
            case WAITING -> Messages.SyncAction_Waiting(source, target, waitingFor);
            case RUNNING -> Messages.SyncAction_Running(source, target,
                    currentStage == null ? "-" : currentStage);
            case SUCCESS -> dryRun ? Messages.SyncAction_Planned(source, target)
                    : Messages.SyncAction_Succeeded(source, target);
            case FAILED -> Messages.SyncAction_Failed(source, target, currentStage == null ? "-" : currentStage);
            case CANCELLED -> Messages.SyncAction_Cancelled(source, target, currentStage == null ? "-" : currentStage);
            default -> Messages.SyncAction_Invalid(source, target);
        };
    }

    /** One row of the stage table: plain values only. */
    @ExportedBean(defaultVisibility = 3)
    public static final class StageRow {
        private final int number;
        private final String name;
        private final String status;
        private final double seconds;
        private final String summary;

        StageRow(int number, String name, String status, double seconds, String summary) {
            this.number = number;
            this.name = name;
            this.status = status;
            this.seconds = seconds;
            this.summary = summary;
        }

        @Exported
        public int getNumber() {
            return number;
        }

        @Exported
        public String getName() {
            return name;
        }

        @Exported
        public String getStatus() {
            return status;
        }

        @Exported
        public double getSeconds() {
            return seconds;
        }

        public String getDuration() {
            return "RUNNING".equals(status) ? "" : Util.getTimeSpanString(Math.round(seconds * 1000));
        }

        @Exported
        public String getSummary() {
            return summary;
        }
    }
}
