package io.breachwalk.detect.config;

import java.util.List;

/**
 * What a configuration says about one job: does it run the compromised step, how, how sure, which secrets.
 * @param confidence    "probable" (the configuration runs it) or "possible" (indirect: a script, a template, a
 *                      third-party action); empty when {@code usesIndicator} is false
 * @param secretsInStep secret names in the compromised step's environment or arguments ("project-level: all" where
 *                      the provider puts every project variable in every step)
 * @param secretsInJob  secret names delivered to the same job but not to that step
 * @param evidence      one line a person can check: file and line
 * @param unknown       true when nothing in the job runs the step but it calls a repository script this tree does not
 *                      hold, so that whether it does cannot be told ({@code usesIndicator} is then false)
 */
public record JobReport(String file, String provider, String job, boolean usesIndicator, String how,
                        String confidence, List<String> secretsInStep, List<String> secretsInJob, String evidence,
                        boolean unknown) {
    /** The uses_indicator cell: "true", "false" or "unknown". */
    public String indicator() {
        return usesIndicator ? "true" : unknown ? "unknown" : "false";
    }
}
