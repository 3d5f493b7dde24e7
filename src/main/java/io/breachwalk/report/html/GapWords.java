package io.breachwalk.report.html;

import io.breachwalk.model.Gap;

/** Coverage gaps said in plain words for the page's readers, who may never open coverage.csv. */
final class GapWords {

    private GapWords() {
    }

    static String headline(String gap) {
        return switch (gap) {
            case Gap.LOGS_EXPIRED -> "Job logs had expired";
            case Gap.CONFIG_NOT_FOUND -> "The CI configuration was not found at the run's commit";
            case Gap.UNPARSABLE_CONFIG -> "The CI configuration could not be read";
            case Gap.ACCESS_DENIED -> "breachwalk's credentials were refused";
            case Gap.API_ERROR -> "The provider's API kept failing";
            case Gap.RESULT_CAP -> "The provider capped a listing";
            case Gap.BUILDS_DISCARDED -> "Builds in the window had been discarded";
            case Gap.SECRETS_UNLISTABLE -> "The secret stores could not be listed";
            case Gap.UNSUPPORTED_JOB -> "Job types breachwalk cannot read";
            default -> gap;
        };
    }

    static String meaning(String gap) {
        return switch (gap) {
            case Gap.LOGS_EXPIRED -> "Verdicts rest on the CI configuration at each run's commit and the job's step"
                    + " records, not on the job's output: they say probable where a log would have said confirmed.";
            case Gap.CONFIG_NOT_FOUND -> "Without the configuration the run actually used, breachwalk cannot tell"
                    + " whether it ran the compromised step or which secrets it had.";
            case Gap.UNPARSABLE_CONFIG -> "The file could not be parsed, so its jobs have no verdict from"
                    + " configuration; check them by hand.";
            case Gap.ACCESS_DENIED -> "Nothing behind these was checked. Grant the token read access and scan"
                    + " again.";
            case Gap.API_ERROR -> "These were not (fully) checked; scan again later.";
            case Gap.RESULT_CAP -> "Some runs may be missing from the results; narrow the window or the scope and"
                    + " scan again.";
            case Gap.BUILDS_DISCARDED -> "Discarded builds leave no record: jobs that ran then cannot be assessed."
                    + " Treat the secrets those jobs could reach as exposed.";
            case Gap.SECRETS_UNLISTABLE -> "Secrets could be named but not looked up, so their rotation status is"
                    + " REVIEW: nobody can tell whether they changed since.";
            case Gap.UNSUPPORTED_JOB -> "These jobs were listed but not assessed.";
            default -> "See coverage.csv for the details.";
        };
    }
}
