package io.breachwalk.source.gitlab;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The CI/CD variables of one store (a project, a group, the instance) as the walk keeps them: name, type, `protected`
 * and `environment_scope`. The listing's values are dropped as it is read: nothing here can print one.
 */
final class CiVariables {

    /** One variable, without its value. */
    record Variable(String key, String type, boolean isProtected, String environmentScope) {

        /**
         * Whether GitLab gives the variable to a job: protected ones only on protected refs (null: the ref's
         * protection could not be read, so it may have), scoped ones only to jobs of a matching environment.
         */
        boolean reaches(Boolean protectedRef, String environment) {
            if (isProtected && Boolean.FALSE.equals(protectedRef)) return false;
            return scopeMatches(environmentScope, environment);
        }

        String describe() {
            return "file".equals(type) ? "file variable" : "variable";
        }
    }

    /** Where the variables of a store were listed from: `project`, `group` or `instance`, and its owner. */
    record Store(String scope, String owner, boolean listable, String problem, List<Variable> variables) { }

    private CiVariables() { }

    /** The variables of a listing; values are not read. */
    static List<Variable> of(List<JsonNode> items) {
        List<Variable> out = new ArrayList<>();
        for (JsonNode v : items) {
            String key = v.path("key").asText("");
            if (key.isEmpty()) continue;
            out.add(new Variable(key, v.path("variable_type").asText("env_var"), v.path("protected").asBoolean(false),
                    v.path("environment_scope").asText("*")));
        }
        return out;
    }

    /**
     * GitLab's environment_scope rule: `*` reaches every job (with or without an environment); another scope only
     * jobs whose environment matches it, `*` in the scope matching any characters.
     */
    static boolean scopeMatches(String scope, String environment) {
        if (scope == null || scope.isBlank() || scope.equals("*")) return true;
        if (environment == null || environment.isBlank()) return false;
        if (environment.contains("$")) return true; // a name built from variables not known here: it may match
        return glob(scope).matcher(environment).matches();
    }

    /**
     * Protected branch and tag names are names or wildcards (`release/*`, `v*`): `*` matches any characters,
     * slashes too.
     */
    static boolean refMatches(List<String> patterns, String ref) {
        for (String p : patterns) {
            if (p.equals(ref) || (p.contains("*") && glob(p).matcher(ref).matches())) return true;
        }
        return false;
    }

    private static Pattern glob(String wildcard) {
        List<String> parts = new ArrayList<>();
        for (String part : wildcard.split("\\*", -1)) parts.add(Pattern.quote(part));
        return Pattern.compile(String.join(".*", parts), Pattern.DOTALL);
    }

    /**
     * The job's environment name with the pipeline's ref variables filled in (`review/$CI_COMMIT_REF_SLUG`); other
     * variables stay, and a name that still holds one may match any scope.
     */
    static String environment(String name, String ref) {
        if (name == null || !name.contains("$") || ref == null) return name;
        String slug = ref.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]", "-");
        slug = slug.length() > 63 ? slug.substring(0, 63) : slug;
        slug = slug.replaceAll("^-+|-+$", "");
        String out = name;
        for (String[] v : new String[][] {{"CI_COMMIT_REF_SLUG", slug}, {"CI_COMMIT_REF_NAME", ref},
                {"CI_COMMIT_BRANCH", ref}}) {
            out = out.replace("${" + v[0] + "}", v[1]).replaceAll("\\$" + v[0] + "(?![A-Za-z0-9_])",
                    java.util.regex.Matcher.quoteReplacement(v[1]));
        }
        return out;
    }

    /** Predefined variables a job always holds that are credentials: issued for the job and expired with it. */
    static final List<String> EPHEMERAL = List.of("CI_JOB_TOKEN");
}
