package io.breachwalk.text;

import io.breachwalk.exposure.SecretTypes;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The prefiltered redactor against the one before it (copied into {@link ReferenceRedactor}) on random texts built
 * from pieces of every token shape: the output must be the same for every input, never less redacted.
 */
class RedactorDifferentialTest {

    private static final String UPPER_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final String ALNUM_ = ALNUM + "_";
    private static final String ALNUM_DASH = ALNUM + "_-";
    private static final String HEX = "0123456789abcdef";
    private static final List<String> CREDENTIALS = List.of("s3cr3t-Value", "hunter22", "tok_en:with@chars");
    private static final List<String> WORDISH = List.of("a", "Z", "9", "_", "x1", "abc_DEF", "é", "ß", "ı", "\u212A",
            "日本", "\uD83D\uDE00", "Ω", "\u0301", "e\u0301");
    private static final List<String> NON_WORD = List.of(" ", "-", ".", "/", ":", "@", "\n", "\t", ",", ";", "'",
            "\"", "=", "{", "}", "[", "]", "\":\"", "\",\"", "\": ", "?", "#", "%", "&", "\\", "\r\n", "  ", "://", "http", "HtTpS", "https:/", "s://", "@@", "::");

    @Test
    void randomTextsAreRedactedExactlyAsBefore() {
        List<Pattern> bundled = SecretTypes.bundled().valuePatterns();
        List<Pattern> withTraps = new ArrayList<>(bundled);
        // Shapes that only match what an earlier replacement wrote: the prefilter must test the current text.
        withTraps.add(Pattern.compile("\\bREDACTED"));
        withTraps.add(Pattern.compile("(ED|CT)ED\\]"));
        withTraps.add(Pattern.compile("\\b(ab|cd)ef|x"));
        Redactor fast = new Redactor(CREDENTIALS, bundled);
        ReferenceRedactor reference = new ReferenceRedactor(CREDENTIALS, bundled);
        Redactor fastTraps = new Redactor(List.of(), withTraps);
        ReferenceRedactor referenceTraps = new ReferenceRedactor(List.of(), withTraps);

        Random random = new Random(20261205L);
        int changed = 0;
        int userinfo = 0;
        for (int n = 0; n < 120_000; n++) {
            String text = randomText(random);
            String expected = reference.redact(text);
            assertThat(fast.redact(text)).as("text #%d: %s", n, text).isEqualTo(expected);
            assertThat(fastTraps.redact(text)).as("text #%d: %s", n, text).isEqualTo(referenceTraps.redact(text));
            if (!expected.equals(text)) {
                changed++;
            }
            if (expected.contains(":[REDACTED]@")) {
                userinfo++;
            }
        }
        // The texts must exercise the redaction, not only the prefilters' skipping.
        assertThat(changed).isGreaterThan(30_000);
        assertThat(userinfo).isGreaterThan(3_000);
    }

    @Test
    void everyBundledShapeIsStillRedacted() {
        List<Pattern> bundled = SecretTypes.bundled().valuePatterns();
        Redactor fast = new Redactor(CREDENTIALS, bundled);
        ReferenceRedactor reference = new ReferenceRedactor(CREDENTIALS, bundled);
        Random random = new Random(7);
        for (int n = 0; n < 50; n++) {
            for (String example : examples(random)) {
                for (String text : List.of(example, "x " + example + " y", "{\"v\":\"" + example + "\"}",
                        "a" + example + "b", "é" + example + "é", example + example)) {
                    assertThat(fast.redact(text)).as(text).isEqualTo(reference.redact(text));
                }
            }
            for (String secret : List.of("AKIA" + random(random, UPPER_DIGITS, 16), "ghs_" + random(random, ALNUM, 36),
                    "github_pat_" + random(random, ALNUM_, 40), "glpat-" + random(random, ALNUM, 20),
                    "npm_" + random(random, ALNUM, 36), "pypi-" + random(random, ALNUM, 60),
                    "dckr_pat_" + random(random, ALNUM, 24), "rubygems_" + random(random, HEX, 48),
                    "rk_live_" + random(random, ALNUM, 24), "sqa_" + random(random, HEX, 40),
                    "xoxb-" + random(random, ALNUM, 20), "-----BEGIN OPENSSH PRIVATE KEY-----")) {
                String text = "{\"v\":\"" + secret + "\"}";
                assertThat(fast.redact(text)).isEqualTo("{\"v\":\"[REDACTED]\"}");
            }
        }
        assertThat(fast.redact(null)).isNull();
        assertThat(fast.redact("")).isEmpty();
    }

    private static String randomText(Random random) {
        StringBuilder text = new StringBuilder();
        int pieces = 1 + random.nextInt(12);
        for (int i = 0; i < pieces; i++) {
            text.append(piece(random));
        }
        return text.toString();
    }

    private static String piece(Random random) {
        int kind = random.nextInt(10);
        return switch (kind) {
            case 0, 1 -> pick(random, examples(random));
            case 2 -> {
                String whole = pick(random, examples(random));
                yield whole.substring(0, 1 + random.nextInt(whole.length()));
            }
            case 3 -> {
                String whole = pick(random, examples(random));
                yield whole.substring(random.nextInt(whole.length()));
            }
            case 4 -> pick(random, WORDISH);
            case 5, 6 -> pick(random, NON_WORD);
            case 7 -> {
                String c = pick(random, CREDENTIALS);
                yield random.nextBoolean() ? c : c.substring(0, random.nextInt(c.length()));
            }
            case 8 -> flipCase(random, pick(random, examples(random)));
            default -> random(random, ALNUM_, 1 + random.nextInt(6));
        };
    }

    /** One example of every shape, fresh random characters each time. */
    private static List<String> examples(Random r) {
        return List.of(
                "AKIA" + random(r, UPPER_DIGITS, 16), "ASIA" + random(r, UPPER_DIGITS, 16),
                "AKIA" + random(r, UPPER_DIGITS, 15), "AKIA" + random(r, UPPER_DIGITS, 17),
                "ghp_" + random(r, ALNUM, 36), "gho_" + random(r, ALNUM, 36), "ghu_" + random(r, ALNUM, 36),
                "ghs_" + random(r, ALNUM, 36), "ghr_" + random(r, ALNUM, 36), "ghp_" + random(r, ALNUM, 35),
                "github_pat_" + random(r, ALNUM_, 22 + r.nextInt(60)),
                "glpat-" + random(r, ALNUM_DASH, 20 + r.nextInt(6)),
                "-----BEGIN PGP PRIVATE KEY BLOCK-----", "-----BEGIN RSA PRIVATE KEY-----",
                "-----BEGIN OPENSSH PRIVATE KEY-----", "-----BEGIN EC PRIVATE KEY-----",
                "-----BEGIN DSA PRIVATE KEY-----", "-----BEGIN PRIVATE KEY-----", "-----BEGIN CERTIFICATE-----",
                "npm_" + random(r, ALNUM, 36), "pypi-" + random(r, ALNUM_DASH, 50 + r.nextInt(30)),
                "dckr_pat_" + random(r, ALNUM_DASH, 20 + r.nextInt(10)), "rubygems_" + random(r, HEX, 48),
                "sk_live_" + random(r, ALNUM, 20 + r.nextInt(10)), "rk_live_" + random(r, ALNUM, 20),
                "sqp_" + random(r, HEX, 40), "squ_" + random(r, HEX, 40), "sqa_" + random(r, HEX, 40),
                "xoxb-" + random(r, ALNUM + "-", 10 + r.nextInt(30)), "xoxp-" + random(r, ALNUM, 12),
                "xoxz-" + random(r, ALNUM, 12), "https://hooks.slack.com/services/T0/B0/" + random(r, ALNUM, 24),
                "\"type\": \"service_account\"", "\"type\":\"service_account\"", "\"type\":  \n\"service_account\"",
                "Authorization: Bearer x", "authorization=token abc", "AUTHORIZATION :  basic Zm9v",
                "Authorization:\"x\"", "authorization", "Authorization: ",
                "https://u:p@h/", "http://user:pw@host", "HTTPS://a:b@c", "https://host/path@x",
                "https://" + random(r, ALNUM, 5) + ":" + random(r, ALNUM, 8) + "@github.com/o/r.git",
                "git@github.com:o/r.git", "https://api.github.com/repos/o/r/actions/runs/123",
                "[REDACTED]", "REDACTED]", "abef", "cdef");
    }

    private static String flipCase(Random random, String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            out.append(random.nextBoolean() ? Character.toUpperCase(c) : Character.toLowerCase(c));
        }
        return out.toString();
    }

    private static String random(Random random, String alphabet, int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return out.toString();
    }

    private static String pick(Random random, List<String> from) {
        return from.get(random.nextInt(from.size()));
    }
}
