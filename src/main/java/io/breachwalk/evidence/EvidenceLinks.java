package io.breachwalk.evidence;

import io.breachwalk.model.EvidenceLink;
import io.breachwalk.model.EvidenceRecord;
import io.breachwalk.model.JobFinding;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** report.json's `evidence`: per job row, the stored files of its run and its project that concern it. */
public final class EvidenceLinks {

    private EvidenceLinks() {
    }

    public static Map<String, List<String>> forJobs(List<JobFinding> jobs, List<EvidenceRecord> records) {
        Map<String, List<EvidenceRecord>> byProject = new TreeMap<>();
        for (EvidenceRecord r : records) {
            byProject.computeIfAbsent(r.provider() + "|" + r.host() + "|" + r.project(), k -> new ArrayList<>()).add(r);
        }
        Map<String, List<String>> out = new TreeMap<>();
        for (JobFinding j : jobs) {
            TreeSet<String> hashes = new TreeSet<>();
            for (EvidenceRecord r : byProject.getOrDefault(j.provider() + "|" + j.host() + "|" + j.project(), List.of())) {
                if (!r.runId().isEmpty() && !r.runId().equals(j.runId())) {
                    continue;
                }
                for (EvidenceLink l : r.items()) {
                    if (l.hash() != null && (l.job() == null || l.job().equals(j.jobId()))) {
                        hashes.add(l.hash());
                    }
                }
            }
            if (!hashes.isEmpty()) {
                out.put(EvidenceRecord.jobKey(j), List.copyOf(hashes));
            }
        }
        return out;
    }
}
