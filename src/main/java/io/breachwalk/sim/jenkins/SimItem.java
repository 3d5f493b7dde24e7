package io.breachwalk.sim.jenkins;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** One item of the simulated instance, resolved from the estate: kind, children, builds (numbered, discards applied). */
final class SimItem {

    enum Kind {
        FREESTYLE("hudson.model.FreeStyleProject", "hudson.model.FreeStyleBuild", true),
        PIPELINE("org.jenkinsci.plugins.workflow.job.WorkflowJob", "org.jenkinsci.plugins.workflow.job.WorkflowRun", true),
        MATRIX("hudson.matrix.MatrixProject", "hudson.matrix.MatrixBuild", true),
        MATRIX_CONFIG("hudson.matrix.MatrixConfiguration", "hudson.matrix.MatrixRun", true),
        MAVEN("hudson.maven.MavenModuleSet", "hudson.maven.MavenModuleSetBuild", true),
        FOLDER("com.cloudbees.hudson.plugins.folder.Folder", null, false),
        MULTIBRANCH("org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject", null, false),
        ORG_FOLDER("jenkins.branch.OrganizationFolder", null, false),
        OTHER(null, "hudson.model.Run", true);

        final String clazz;
        final String buildClazz;
        final boolean job;

        Kind(String clazz, String buildClazz, boolean job) {
            this.clazz = clazz;
            this.buildClazz = buildClazz;
            this.job = job;
        }

        static Kind of(String type) {
            if (type == null) return FREESTYLE;
            return switch (type) {
                case "freestyle" -> FREESTYLE;
                case "pipeline" -> PIPELINE;
                case "matrix" -> MATRIX;
                case "maven" -> MAVEN;
                case "folder" -> FOLDER;
                case "multibranch" -> MULTIBRANCH;
                case "org-folder" -> ORG_FOLDER;
                case "other" -> OTHER;
                default -> throw new IllegalArgumentException("unknown job type " + type);
            };
        }
    }

    final JenkinsEstate.Item spec;
    final SimItem parent;
    final String name;
    final Kind kind;
    final List<SimItem> children = new ArrayList<>();
    /** Retained builds, newest first. */
    final List<SimBuild> builds = new ArrayList<>();
    final Map<Integer, SimBuild> byNumber = new TreeMap<>();
    int nextBuildNumber = 1;
    /** The simulator's git repositories, for items whose scm names one. */
    Repos repos;

    SimItem(JenkinsEstate.Item spec, SimItem parent, String name, Kind kind) {
        this.spec = spec;
        this.parent = parent;
        this.name = name;
        this.kind = kind;
    }

    String clazz() {
        if (kind == Kind.OTHER) return spec.clazz() == null ? "hudson.model.Job" : spec.clazz();
        return kind.clazz;
    }

    String fullName() { return parent == null ? name : parent.fullName() + "/" + name; }

    /** Path below the instance root: "job/a/job/b/" (matrix configurations: "job/m/jdk=11/"). */
    String urlPath() {
        String prefix = parent == null ? "" : parent.urlPath();
        String seg = Urls.encodeSegment(name);
        return kind == Kind.MATRIX_CONFIG ? prefix + seg + "/" : prefix + "job/" + seg + "/";
    }

    boolean forbidden() {
        if (spec != null && Boolean.TRUE.equals(spec.forbidden())) return true;
        return parent != null && parent.forbidden();
    }

    /** The scm of this item, inherited from a multibranch parent (branch jobs build the parent's repository). */
    JenkinsEstate.Scm scm() {
        if (spec != null && spec.scm() != null) return spec.scm();
        return parent == null ? null : parent.scm();
    }

    String scriptPath() {
        if (spec != null && spec.scriptPath() != null) return spec.scriptPath();
        if (parent != null && (parent.kind == Kind.MULTIBRANCH || parent.kind == Kind.ORG_FOLDER)) return parent.scriptPath();
        return kind == Kind.MULTIBRANCH || kind == Kind.ORG_FOLDER ? "Jenkinsfile" : null;
    }

    String repoUrl() {
        JenkinsEstate.Scm scm = scm();
        return scm == null || scm.repo() == null ? null : repos.url(scm.repo());
    }

    boolean isBranchJob() { return parent != null && parent.kind == Kind.MULTIBRANCH; }

    /** Builds the explicit and generated builds, assigns numbers and removes discarded ones. */
    void resolveBuilds(Repos repos) {
        if (spec == null || !kind.job) return;
        List<SimBuild> all = new ArrayList<>();
        Set<Integer> used = new HashSet<>();
        if (spec.builds() != null) {
            for (JenkinsEstate.Build b : spec.builds()) {
                if (b.number() == null || b.timestamp() == null) {
                    throw new IllegalArgumentException(fullName() + ": an explicit build needs number and timestamp");
                }
                all.add(SimBuild.of(this, b, repos));
                used.add(b.number());
            }
        }
        if (spec.generate() != null) {
            List<SimBuild.Pending> pending = new ArrayList<>();
            for (JenkinsEstate.Generate g : spec.generate()) {
                long span = Duration.between(g.from(), g.to()).toMillis();
                for (int i = 0; i < g.count(); i++) {
                    pending.add(new SimBuild.Pending(g, g.from().plusMillis(span * i / Math.max(1, g.count()))));
                }
            }
            pending.sort(Comparator.comparing(SimBuild.Pending::timestamp));
            int n = 1;
            for (SimBuild.Pending p : pending) {
                while (used.contains(n)) n++;
                all.add(SimBuild.generated(this, n, p, repos));
                used.add(n);
            }
        }
        all.sort(Comparator.comparingInt((SimBuild b) -> b.number).reversed());
        nextBuildNumber = all.isEmpty() ? 1 : all.get(0).number + 1;
        Set<Integer> discarded = discarded();
        for (SimBuild b : all) {
            if (discarded.contains(b.number)) continue;
            builds.add(b);
            byNumber.put(b.number, b);
        }
    }

    private Set<Integer> discarded() {
        Set<Integer> out = new HashSet<>();
        if (spec.discard() == null) return out;
        for (String r : spec.discard()) {
            String[] p = r.trim().split("-");
            int a = Integer.parseInt(p[0].trim());
            int b = p.length > 1 ? Integer.parseInt(p[1].trim()) : a;
            for (int i = a; i <= b; i++) out.add(i);
        }
        return out;
    }

    Instant firstTimestamp() { return builds.isEmpty() ? null : builds.get(builds.size() - 1).timestamp; }
}
