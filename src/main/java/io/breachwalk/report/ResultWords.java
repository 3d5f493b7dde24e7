package io.breachwalk.report;

import io.breachwalk.model.Gap;
import io.breachwalk.model.ProviderTraits;
import io.breachwalk.model.RotationItem;
import io.breachwalk.model.RotationStatus;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The words the terminal summary and report.html share for the verdict: what asks for action, the result, and why
 * secrets are REVIEW when a token could not list them. One place, so that the two never disagree and neither reads
 * as an all-clear while a row asks for action.
 */
public final class ResultWords {

    /** Names listed in a warning before "and N more". */
    private static final int NAMES_SHOWN = 5;

    private ResultWords() {
    }

    /** `1 project`, `2 projects`, `1,200 jobs`. */
    public static String plural(long n, String one, String many) {
        return String.format("%,d ", n) + (n == 1 ? one : many);
    }

    /** Rows that ask a person to act: ROTATE, REVIEW and MISSING (DESIGN 5.1). */
    public static long actionRows(ScanReport report) {
        return report.rotation().stream().filter(r -> r.status().asksForAction()).count();
    }

    /** `12 to rotate, 5 to review, 1 missing: confirm revoked`; empty when nothing asks for action. */
    public static String actionCounts(ScanReport report) {
        long rotate = count(report, RotationStatus.ROTATE);
        long review = count(report, RotationStatus.REVIEW);
        long missing = count(report, RotationStatus.MISSING);
        List<String> parts = new ArrayList<>();
        if (rotate > 0) {
            parts.add(String.format("%,d to rotate", rotate));
        }
        if (review > 0) {
            parts.add(String.format("%,d to review", review));
        }
        if (missing > 0) {
            parts.add(String.format("%,d missing: confirm revoked", missing));
        }
        return String.join(", ", parts);
    }

    private static long count(ScanReport report, RotationStatus status) {
        return report.rotation().stream().filter(r -> r.status() == status).count();
    }

    /**
     * The exit status the words describe. A report whose rows ask for action is never described as clean, even one
     * written by an older version that only counted ROTATE.
     */
    public static int outcome(ScanReport report) {
        int exit = report.summary().exitStatus();
        return exit == 0 && actionRows(report) > 0 ? 1 : exit;
    }

    /** The summary's `result` line, after the label. */
    public static String resultLine(ScanReport report, String reportsDir) {
        String counts = actionCounts(report);
        return switch (outcome(report)) {
            case 0 -> "complete; nothing to rotate or review";
            case 1 -> "complete; action needed: " + counts + "; start with rotation.csv, P1 first";
            case 3 -> "INCOMPLETE: blocking coverage gaps left jobs unassessed (coverage.csv); " + (counts.isEmpty()
                    ? "no secret found so far asks for action, but the unassessed jobs may have exposed some"
                    : "found so far: " + counts + " (rotation.csv, P1 first)");
            case ScanReport.STOPPED_EXIT -> "STOPPED: " + stoppedWhy(report) + "; what the other providers found is in "
                    + reportsDir + (counts.isEmpty() ? " (nothing there asks for action)" : " (" + counts + ")");
            default -> "exit " + report.summary().exitStatus();
        };
    }

    /** The page's headline sentence. */
    public static String resultSentence(ScanReport report) {
        String counts = actionCounts(report);
        return switch (outcome(report)) {
            case 0 -> "Complete: nothing to rotate or review.";
            case 1 -> "Complete: action needed: " + counts + ". Start with P1.";
            case 3 -> "Incomplete: blocking coverage gaps left jobs unassessed (see What could not be checked). "
                    + (counts.isEmpty() ? "No secret found so far asks for action, but the unassessed jobs may "
                    + "have exposed some." : "Found so far: " + counts + ", listed below.");
            case ScanReport.STOPPED_EXIT -> "Stopped: " + stoppedWhy(report) + ". What the other providers found is "
                    + "below" + (counts.isEmpty() ? " (nothing there asks for action)." : ": " + counts + ".");
            default -> "Exit status " + report.summary().exitStatus() + ".";
        };
    }

    private static String stoppedWhy(ScanReport report) {
        List<String> stopped = report.summary().stopped();
        return stopped.isEmpty() ? "a provider could not be walked (coverage.csv)" : String.join("; ", stopped);
    }

    /**
     * One provider whose secret stores could not be listed (SECRETS_UNLISTABLE): the stores, the rotation rows that
     * are REVIEW because of it, and the permission that would have listed them.
     */
    public record Unlistable(String provider, String account, List<String> stores, List<RotationItem> review,
                             String permission) {

        /** One sentence: what could not be listed, what that made REVIEW, what to grant. */
        public String sentence() {
            StringBuilder b = new StringBuilder();
            b.append(provider).append(": the ").append(account)
                    .append(" could not list the secrets of ");
            b.append(names(stores, "store", "stores"));
            if (review.isEmpty()) {
                b.append("; no exposed secret depends on it");
            } else {
                b.append(", so ").append(plural(review.size(), "secret is", "secrets are")).append(" REVIEW (")
                        .append(names(review.stream().map(RotationItem::secretName).toList(), "", "")).append(")");
            }
            b.append("; grant ").append(permission).append(" and scan again");
            return b.toString();
        }

        /** `a, b, c and 2 more`; with a noun, more than one name is counted first: `3 stores: a, b, c`. */
        private static String names(List<String> all, String one, String many) {
            List<String> distinct = new ArrayList<>(new LinkedHashSet<>(all));
            String shown = String.join(", ", distinct.subList(0, Math.min(NAMES_SHOWN, distinct.size())));
            if (distinct.size() > NAMES_SHOWN) {
                shown += " and " + (distinct.size() - NAMES_SHOWN) + " more";
            }
            return one.isEmpty() || distinct.size() == 1 ? shown : plural(distinct.size(), one, many) + ": " + shown;
        }
    }

    /** Per provider, in report order: the stores a SECRETS_UNLISTABLE gap names and the REVIEW rows they explain. */
    public static List<Unlistable> unlistable(ScanReport report) {
        Map<String, List<Gap>> byProvider = new LinkedHashMap<>();
        for (Gap g : report.coverage()) {
            if (Gap.SECRETS_UNLISTABLE.equals(g.gap())) {
                byProvider.computeIfAbsent(g.provider(), k -> new ArrayList<>()).add(g);
            }
        }
        List<Unlistable> out = new ArrayList<>();
        byProvider.forEach((provider, gaps) -> {
            ProviderTraits words = report.traits(provider);
            Set<String> stores = new LinkedHashSet<>();
            for (Gap g : gaps) {
                boolean instance = g.project() == null || g.project().isEmpty();
                stores.add(instance ? (words.instanceStore().isEmpty() ? g.host() : words.instanceStore())
                        : words.projectStoreWord().isEmpty() ? g.project()
                        : words.projectStoreWord() + " " + g.project());
            }
            List<RotationItem> review = report.rotation().stream()
                    .filter(r -> r.status() == RotationStatus.REVIEW && !"literal".equals(r.secretScope()))
                    .filter(r -> gaps.stream().anyMatch(g -> explains(g, r))).toList();
            out.add(new Unlistable(provider, words.account(), List.copyOf(stores), review, words.listPermission()));
        });
        return out;
    }

    /** A store's gap explains a REVIEW row of the same provider and host whose owner is that store or under it. */
    private static boolean explains(Gap g, RotationItem r) {
        if (!g.provider().equals(r.provider()) || !String.valueOf(g.host()).equals(String.valueOf(r.host()))) {
            return false;
        }
        String project = g.project() == null ? "" : g.project();
        String owner = r.scopeOwner() == null ? "" : r.scopeOwner();
        return project.isEmpty() || owner.equals(project) || owner.startsWith(project + "/")
                || owner.startsWith(project + ":");
    }
}
