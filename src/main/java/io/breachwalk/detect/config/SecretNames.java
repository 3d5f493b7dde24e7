package io.breachwalk.detect.config;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds secret names in configuration text. Names only: a value is never copied anywhere. */
public final class SecretNames {
    private SecretNames() { }

    /** Written where a provider puts every project-level variable into every step. */
    public static final String PROJECT_LEVEL_ALL = "project-level: all";

    private static final Pattern SECRETISH = Pattern.compile(
            "(?i)(token|secret|passw|pwd|api_?key|access_?key|private_?key|credential|auth|_key$|^key$|login|_pat$|^pat$)");
    private static final Pattern SHELL_VAR = Pattern.compile("\\$\\{?([A-Za-z_][A-Za-z0-9_]*)|%([A-Za-z_][A-Za-z0-9_]*)%");
    private static final Pattern MACRO = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_.]*)\\)");

    /** Variables every provider defines itself; not user secrets (CI_JOB_TOKEN expires with the job). */
    private static final Set<String> PREDEFINED = Set.of("CI_JOB_TOKEN", "CI_REGISTRY_PASSWORD", "CI_DEPLOY_PASSWORD",
            "CI_BUILD_TOKEN", "CI_REPOSITORY_URL", "ACTIONS_RUNTIME_TOKEN", "SYSTEM_ACCESSTOKEN");

    public static boolean looksSecret(String name) {
        return name != null && SECRETISH.matcher(name).find() && !PREDEFINED.contains(name.toUpperCase());
    }

    /** Secret-looking $VAR, ${VAR} and %VAR% references in shell or batch text. */
    public static Set<String> shellRefs(String text) {
        Set<String> out = new LinkedHashSet<>();
        if (text == null) return out;
        Matcher m = SHELL_VAR.matcher(text);
        while (m.find()) {
            String n = m.group(1) != null ? m.group(1) : m.group(2);
            if (looksSecret(n)) out.add(n);
        }
        return out;
    }

    /** Secret-looking Azure Pipelines $(NAME) macros. */
    public static Set<String> macroRefs(String text) {
        Set<String> out = new LinkedHashSet<>();
        if (text == null) return out;
        Matcher m = MACRO.matcher(text);
        while (m.find()) if (looksSecret(m.group(1))) out.add(m.group(1));
        return out;
    }
}
