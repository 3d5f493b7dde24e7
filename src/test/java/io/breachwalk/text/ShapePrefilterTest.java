package io.breachwalk.text;

import io.breachwalk.exposure.SecretTypes;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class ShapePrefilterTest {

    /**
     * Every bundled value shape and its derived literals: a new shape in secret-types.yaml fails here until it is
     * added, so that someone looks at what its prefilter became.
     */
    @Test
    void theBundledShapesGetTheseLiterals() {
        Map<String, List<String>> expected = new LinkedHashMap<>();
        expected.put("\\b(AKIA|ASIA)[0-9A-Z]{16}\\b", List.of("AKIA", "ASIA"));
        expected.put("\"type\":\\s*\"service_account\"", List.of("\"type\":"));
        expected.put("\\b(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}\\b", List.of("ghp_", "gho_", "ghu_", "ghs_", "ghr_"));
        expected.put("\\bgithub_pat_[A-Za-z0-9_]{22,}\\b", List.of("github_pat_"));
        expected.put("\\bglpat-[A-Za-z0-9_-]{20,}\\b", List.of("glpat-"));
        expected.put("-----BEGIN PGP PRIVATE KEY BLOCK-----", List.of("-----BEGIN PGP PRIVATE KEY BLOCK-----"));
        expected.put("-----BEGIN (RSA |OPENSSH |EC |DSA )?PRIVATE KEY-----", List.of("-----BEGIN "));
        expected.put("\\bnpm_[A-Za-z0-9]{36}\\b", List.of("npm_"));
        expected.put("\\bpypi-[A-Za-z0-9_-]{50,}\\b", List.of("pypi-"));
        expected.put("\\bdckr_pat_[A-Za-z0-9_-]{20,}\\b", List.of("dckr_pat_"));
        expected.put("\\brubygems_[a-f0-9]{48}\\b", List.of("rubygems_"));
        expected.put("\\b(sk|rk)_live_[A-Za-z0-9]{20,}\\b", List.of("sk_live_", "rk_live_"));
        expected.put("\\bsq[pua]_[a-f0-9]{40}\\b", List.of("sq"));
        expected.put("\\bxox[abposr]-[A-Za-z0-9-]{10,}\\b", List.of("xox"));
        expected.put("hooks\\.slack\\.com/services/", List.of("hooks"));

        Map<String, List<String>> actual = new LinkedHashMap<>();
        for (Pattern p : SecretTypes.bundled().valuePatterns()) {
            assertThat(p.flags()).as(p.pattern()).isZero();
            actual.put(p.pattern(), ShapePrefilter.literals(p).orElse(null));
        }
        assertThat(actual).containsExactlyEntriesOf(expected);
    }

    @Test
    void runsStopAtMetacharactersAndLeaveOutOptionalCharacters() {
        assertThat(literals("abc?d")).contains(List.of("ab"));
        assertThat(literals("abc*d")).contains(List.of("ab"));
        assertThat(literals("abc{0,2}d")).contains(List.of("ab"));
        assertThat(literals("abc+d")).contains(List.of("abc"));
        assertThat(literals("ab.cd")).contains(List.of("ab"));
        assertThat(literals("ab\\.cd")).contains(List.of("ab"));
        assertThat(literals("ab[c]d")).contains(List.of("ab"));
        assertThat(literals("\\b(ab|cd)_x?y")).contains(List.of("ab_", "cd_"));
        assertThat(literals("(ab|cd)")).contains(List.of("ab", "cd"));
        assertThat(literals("x: \"y\"=/@,z-_")).contains(List.of("x: \"y\"=/@,z-_"));
        assertThat(literals("ab(c|d|e)f|")).isEmpty();
    }

    @Test
    void shapesThatAreNotSimpleGetNoPrefilter() {
        for (String shape : List.of(
                "(?i)AKIA[0-9A-Z]{16}",          // inline flag
                "abc|def",                      // top-level alternation
                "\\babc|xyz",
                "(ab|cd)ef|gh",
                "ab[|]c|d",                     // the class hides one bar, not the other
                "((ab|cd)|ef)gh",               // nested group
                "(ab|c(d))e",
                "(ab|cd)?ef",                   // optional leading group
                "(ab|cd)*ef",
                "(ab|cd){0,1}ef",
                "(ab|cd)+ef",
                "(ab|c?d)ef",                   // a quantifier inside the group
                "(ab|[cd])ef",
                "(?:ab|cd)ef",                  // special groups
                "(?<n>ab)cd",
                "(?=ab)cd",
                "\\Qab|cd\\E",                  // quoting
                "ab\\c|cd",                     // control escape
                "ab[]|]|cd",                    // a class that starts with ]
                "ab[a&&[b]]|cd",
                "a",                            // literals too short
                "\\ba1?",
                "(a|bc)d?",
                "(|ab)x?",
                "[a-z]+abc",                    // no leading literal at all
                "\\b\\d{4}",
                "",
                "\\b"
        )) {
            assertThat(literals(shape)).as(shape).isEmpty();
        }
        assertThat(ShapePrefilter.literals(Pattern.compile("AKIA[0-9A-Z]{16}", Pattern.CASE_INSENSITIVE))).isEmpty();
        assertThat(ShapePrefilter.literals(Pattern.compile("AKIA[0-9A-Z]{16}", Pattern.COMMENTS))).isEmpty();
        assertThat(ShapePrefilter.literals(Pattern.compile("AKIA", Pattern.LITERAL))).isEmpty();
    }

    private static Optional<List<String>> literals(String regex) {
        return ShapePrefilter.literals(Pattern.compile(regex));
    }
}
