package io.breachwalk.source.jenkins.pipeline;


import io.breachwalk.detect.FileLookup;
import io.breachwalk.detect.IndicatorMatcher;
import io.breachwalk.detect.shell.ShellGuard;
import io.breachwalk.detect.shell.ShellScan;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a Jenkinsfile (declarative or scripted Groovy) far enough to answer: where does it run the compromised step
 * (line, stage, inside an if/else or a `when` condition?), which credentials are bound around that step (STEP) and
 * which are bound elsewhere in the pipeline (JOB). It is not a Groovy parser: it follows braces, strings and comments,
 * and looks at the head of each block ({@code stage('x') {}, withCredentials([...]) {}, environment {}, if (...) {}}).
 * Every string literal is handed to the shared shell scanner, so a curl kept in a variable is found too, and a
 * repository script or make target it calls is followed through a {@link FileLookup} (a `possible` use whose text names
 * the script: {@code script:scripts/upload.sh:3 bash <(curl ...)}).
 * The one Jenkinsfile reader: the Jenkins walk and `inspect` (JenkinsfileReader) use it.
 */
public final class JenkinsfileAnalyzer {

    /** A credential bound somewhere in the pipeline. */
    public record Binding(String credentialsId, String how, List<String> variables, int line, String stage) {
        /** For the via column: `withCredentials string(credentialsId: 'npm')`. */
        public String via() {
            return how + "(credentialsId: '" + credentialsId + "')"
                    + (variables.isEmpty() ? "" : " -> " + String.join(", ", variables))
                    + (stage == null ? "" : " in stage '" + stage + "'");
        }
    }

    /** One place that runs (or mentions) the uploader. */
    public record Use(int line, String how, boolean affected, boolean possible, String text, String stage,
                      boolean conditional, String condition, List<Binding> stepBindings) { }

    /** Everything found in one file. */
    public record Analysis(String path, boolean declarative, List<Use> uses, List<Binding> bindings) {
        public List<Use> affectedUses() { return uses.stream().filter(Use::affected).toList(); }

        public boolean runsUploader() { return !affectedUses().isEmpty(); }

        /** Credentials bound in the pipeline but not around the given use: JOB exposure. */
        public List<Binding> jobBindings(Use use) {
            Set<String> step = new LinkedHashSet<>();
            for (Binding b : use.stepBindings()) step.add(b.credentialsId());
            List<Binding> out = new ArrayList<>();
            Set<String> seen = new LinkedHashSet<>();
            for (Binding b : bindings) {
                if (!step.contains(b.credentialsId()) && seen.add(b.credentialsId())) out.add(b);
            }
            return out;
        }
    }

    private static final Pattern STAGE = Pattern.compile("^\\s*stage\\s*\\(\\s*(?:name\\s*:\\s*)?['\"]([^'\"]+)['\"]");
    private static final Pattern COND = Pattern.compile("^\\s*(?:\\}\\s*)?(if\\b|else\\b|when\\b|switch\\b|case\\b|catch\\b)");
    private static final Pattern BINDING = Pattern.compile(
            "\\b(string|usernamePassword|usernameColonPassword|file|sshUserPrivateKey|certificate|dockerCert|"
                    + "aws|amazonWebServicesCredentialsBinding|gitUsernamePassword)\\s*\\(([^()]*)\\)");
    private static final Pattern CRED_ID = Pattern.compile("credentialsId\\s*:\\s*['\"]([^'\"]+)['\"]");
    private static final Pattern VARIABLE = Pattern.compile("(\\w*[vV]ariable)\\s*:\\s*['\"]([^'\"]+)['\"]");
    private static final Pattern ENV_CRED = Pattern.compile("(\\w+)\\s*=\\s*credentials\\s*\\(\\s*['\"]([^'\"]+)['\"]\\s*\\)");
    private static final Pattern SSHAGENT = Pattern.compile("sshagent\\s*\\(\\s*(?:credentials\\s*:\\s*)?\\[([^\\]]*)\\]");
    private static final Pattern QUOTED = Pattern.compile("['\"]([^'\"]+)['\"]");
    private static final Pattern OTHER_CRED = Pattern.compile("\\b(credentials|credentialsId)\\s*[:(]\\s*['\"]([^'\"]+)['\"]");

    private JenkinsfileAnalyzer() { }

    public static Analysis analyze(String path, String text, IndicatorMatcher matcher) {
        return analyze(path, text, matcher, FileLookup.NONE);
    }

    /** @param lookup files of the same tree (at the same commit), for the scripts the pipeline's shell steps call */
    public static Analysis analyze(String path, String text, IndicatorMatcher matcher, FileLookup lookup) {
        return new Scan(path, text == null ? "" : text, matcher, lookup).run();
    }

    /** One block on the brace stack and what its head said. */
    private static final class Frame {
        final String head;
        final int line;
        String stage;
        boolean conditional;
        String condition;
        final List<Binding> bindings = new ArrayList<>();   // bound for everything inside this block
        boolean environment;

        Frame(String head, int line) {
            this.head = head;
            this.line = line;
        }
    }

    private static final class Scan {
        final String path;
        final String s;
        final ShellScan shell;
        final Deque<Frame> stack = new ArrayDeque<>();
        final List<Use> uses = new ArrayList<>();
        final List<Binding> all = new ArrayList<>();
        int line = 1;
        int headStart;
        int parens;

        Scan(String path, String s, IndicatorMatcher matcher, FileLookup lookup) {
            this.path = path;
            this.s = s;
            this.shell = new ShellScan(matcher, lookup);
        }

        Analysis run() {
            stack.push(new Frame("", 1));
            int i = 0;
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c == '\n') {
                    line++;
                    if (parens == 0) onStatementEnd(i + 1);
                    i++;
                } else if (c == '/' && i + 1 < s.length() && s.charAt(i + 1) == '/') {
                    int end = s.indexOf('\n', i);
                    i = end < 0 ? s.length() : end;
                } else if (c == '/' && i + 1 < s.length() && s.charAt(i + 1) == '*') {
                    int end = s.indexOf("*/", i + 2);
                    end = end < 0 ? s.length() : end + 2;
                    line += count(s, i, end);
                    i = end;
                } else if (c == '\'' || c == '"') {
                    i = string(i, c);
                } else if (c == '(' || c == '[') {
                    parens++;
                    i++;
                } else if (c == ')' || c == ']') {
                    parens = Math.max(0, parens - 1);
                    i++;
                } else if (c == '{') {
                    open(s.substring(headStart, i));
                    parens = 0;
                    headStart = i + 1;
                    i++;
                } else if (c == '}') {
                    onStatementEnd(i);
                    close();
                    headStart = i + 1;
                    i++;
                } else if (c == ';' && parens == 0) {
                    onStatementEnd(i);
                    headStart = i + 1;
                    i++;
                } else {
                    i++;
                }
            }
            boolean declarative = s.matches("(?s).*\\bpipeline\\s*\\{.*");
            return new Analysis(path, declarative, List.copyOf(uses), List.copyOf(all));
        }

        /** A statement ended inside the current block: look at it for bindings that do not open a block. */
        private void onStatementEnd(int end) {
            if (end <= headStart) return;
            String stmt = s.substring(headStart, Math.min(end, s.length()));
            headStart = end;
            Frame top = stack.peek();
            if (top.environment) {
                Matcher m = ENV_CRED.matcher(stmt);
                while (m.find()) {
                    Binding b = new Binding(m.group(2), "environment credentials", List.of(m.group(1)), line, stageName());
                    top.bindings.add(b);
                    all.add(b);
                }
                return;
            }
            // A credential used by a step without a block (a git checkout with credentialsId, a credentials() call):
            // bound in this build, not around the uploader.
            Matcher m = OTHER_CRED.matcher(stmt);
            while (m.find()) {
                all.add(new Binding(m.group(2), stmt.trim().split("[\\s(]", 2)[0], List.of(), line, stageName()));
            }
        }

        private void open(String rawHead) {
            String head = rawHead.trim();
            Frame f = new Frame(head, line);
            Matcher st = STAGE.matcher(head);
            if (st.find()) f.stage = st.group(1);
            Matcher cond = COND.matcher(head);
            if (cond.find()) {
                f.conditional = true;
                f.condition = oneLine(head);
            }
            if (head.equals("environment")) f.environment = true;
            if (head.startsWith("withCredentials")) {
                Matcher b = BINDING.matcher(head);
                while (b.find()) {
                    Matcher id = CRED_ID.matcher(b.group(2));
                    if (!id.find()) continue;
                    List<String> vars = new ArrayList<>();
                    Matcher v = VARIABLE.matcher(b.group(2));
                    while (v.find()) vars.add(v.group(2));
                    f.bindings.add(new Binding(id.group(1), "withCredentials " + b.group(1), vars, line, stageName()));
                }
            } else if (head.startsWith("sshagent")) {
                Matcher m = SSHAGENT.matcher(head);
                if (m.find()) {
                    Matcher q = QUOTED.matcher(m.group(1));
                    while (q.find()) f.bindings.add(new Binding(q.group(1), "sshagent", List.of("SSH_AUTH_SOCK"), line, stageName()));
                }
            } else if (!f.environment) {
                // withAWS(credentials: 'x'), docker.withRegistry(url, 'x'), withDockerRegistry(credentialsId: 'x'):
                // a credential bound for the block's body.
                Matcher m = OTHER_CRED.matcher(head);
                while (m.find()) f.bindings.add(new Binding(m.group(2), head.split("[\\s(]", 2)[0], List.of(), line, stageName()));
                if (head.startsWith("docker.withRegistry") || head.startsWith("withDockerRegistry")) {
                    Matcher q = QUOTED.matcher(head);
                    List<String> args = new ArrayList<>();
                    while (q.find()) args.add(q.group(1));
                    if (args.size() >= 2 && f.bindings.isEmpty()) {
                        f.bindings.add(new Binding(args.get(1), head.split("[\\s(]", 2)[0], List.of(), line, stageName()));
                    }
                }
            }
            all.addAll(f.bindings);
            stack.push(f);
        }

        private void close() {
            if (stack.size() <= 1) return;
            Frame f = stack.pop();
            Frame parent = stack.peek();
            if (f.environment) {
                // environment {} binds for its enclosing block: the whole pipeline, or its stage.
                parent.bindings.addAll(f.bindings);
            }
            if (f.head.equals("when")) {
                // A declarative `when {}` sits beside `steps {}`: it makes the whole stage conditional.
                parent.conditional = true;
                parent.condition = "when condition of stage '" + (parent.stage == null ? "?" : parent.stage) + "'";
            }
        }

        private int string(int start, char q) {
            boolean triple = s.startsWith(String.valueOf(q).repeat(3), start);
            int contentStart = start + (triple ? 3 : 1);
            int i = contentStart;
            int startLine = line;
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c == '\\') {
                    i += 2;
                    continue;
                }
                if (triple ? s.startsWith(String.valueOf(q).repeat(3), i) : c == q) break;
                if (c == '\n' && !triple) break;
                i++;
            }
            int end = Math.min(i, s.length());
            String content = s.substring(contentStart, end);
            line += count(s, start, end);
            onString(content, startLine);
            return Math.min(s.length(), end + (triple ? 3 : 1));
        }

        private void onString(String content, int startLine) {
            for (ShellScan.Found m : shell.find(content.replace("\\\n", "\n"), ShellGuard.unknownEnv())) {
                List<Binding> step = new ArrayList<>();
                boolean conditional = false;
                String condition = null;
                for (Frame f : stack) {
                    step.addAll(f.bindings);
                    if (f.conditional && !conditional) {
                        conditional = true;
                        condition = f.condition;
                    }
                }
                String text = m.followed() ? "script:" + m.location() + " " + m.text() : m.text();
                uses.add(new Use(startLine + m.line() - 1, m.how(), m.affected(), m.possible(), text, stageName(),
                        conditional, condition, List.copyOf(step)));
            }
        }

        private String stageName() {
            for (Frame f : stack) if (f.stage != null) return f.stage;
            return null;
        }
    }

    private static int count(String s, int from, int to) {
        int n = 0;
        for (int i = from; i < to && i < s.length(); i++) if (s.charAt(i) == '\n') n++;
        return n;
    }

    private static String oneLine(String s) {
        String t = s.replaceAll("\\s+", " ").trim();
        return t.length() > 120 ? t.substring(0, 117) + "..." : t;
    }
}
