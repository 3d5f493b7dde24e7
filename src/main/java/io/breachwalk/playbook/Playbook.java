package io.breachwalk.playbook;

import java.util.List;
import java.util.Map;

/**
 * An incident: its window, the indicators of the compromised step, and the exposure policy.
 *
 * @param actionCommits per action repository, commit SHA to release class (from the playbook's commits files)
 * @param source        where it was loaded from (`bundled:codecov-2021` or a file path), for the report
 * @param text          the YAML as loaded, for `playbooks show` and the report
 */
public record Playbook(
        String id,
        String title,
        String summary,
        List<String> references,
        Window window,
        Indicators indicators,
        ExposurePolicy exposure,
        Map<String, Map<String, String>> actionCommits,
        String source,
        String text) {

    public Playbook withWindow(Window newWindow) {
        return new Playbook(id, title, summary, references, newWindow, indicators, exposure, actionCommits, source, text);
    }
}
