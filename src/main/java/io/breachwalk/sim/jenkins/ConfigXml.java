package io.breachwalk.sim.jenkins;

import java.util.List;

/**
 * config.xml as Jenkins writes it for each item kind (element names and classes of Jenkins core, the git,
 * credentials-binding, workflow-job/-cps, workflow-multibranch and cloudbees-folder plugins). The estate may replace
 * it with a raw {@code config}.
 */
final class ConfigXml {
    private ConfigXml() { }

    static String of(SimItem item) {
        if (item.spec != null && item.spec.config() != null && item.kind != SimItem.Kind.MATRIX_CONFIG) {
            return item.spec.config();
        }
        StringBuilder x = new StringBuilder("<?xml version='1.1' encoding='UTF-8'?>\n");
        switch (item.kind) {
            case FOLDER -> x.append("<com.cloudbees.hudson.plugins.folder.Folder plugin=\"cloudbees-folder@6.15\">\n")
                    .append("  <description>").append(esc(description(item))).append("</description>\n")
                    .append(folderCredentials(item))
                    .append("</com.cloudbees.hudson.plugins.folder.Folder>\n");
            case MULTIBRANCH -> x.append("<org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject plugin=\"workflow-multibranch@2.22\">\n")
                    .append(folderCredentials(item))
                    .append("  <sources class=\"jenkins.branch.MultiBranchProject$BranchSourceList\" plugin=\"branch-api@2.6.2\">\n")
                    .append("    <data><jenkins.branch.BranchSource><source class=\"jenkins.plugins.git.GitSCMSource\" plugin=\"git@4.6.0\">\n")
                    .append("      <remote>").append(esc(scmUrl(item))).append("</remote>\n")
                    .append("      <credentialsId>").append(esc(scmCredentials(item))).append("</credentialsId>\n")
                    .append("    </source></jenkins.branch.BranchSource></data>\n  </sources>\n")
                    .append("  <factory class=\"org.jenkinsci.plugins.workflow.multibranch.WorkflowBranchProjectFactory\">\n")
                    .append("    <scriptPath>").append(esc(item.scriptPath())).append("</scriptPath>\n  </factory>\n")
                    .append("</org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject>\n");
            case ORG_FOLDER -> x.append("<jenkins.branch.OrganizationFolder plugin=\"branch-api@2.6.2\">\n")
                    .append(folderCredentials(item))
                    .append("  <projectFactories><org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProjectFactory>\n")
                    .append("    <scriptPath>").append(esc(item.scriptPath())).append("</scriptPath>\n")
                    .append("  </org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProjectFactory></projectFactories>\n")
                    .append("</jenkins.branch.OrganizationFolder>\n");
            case PIPELINE -> pipeline(item, x);
            case MATRIX_CONFIG -> x.append("<matrix-config>\n  <description/>\n</matrix-config>\n");
            case OTHER -> x.append("<").append(item.clazz()).append(">\n  <description/>\n</").append(item.clazz()).append(">\n");
            default -> project(item, x);
        }
        return x.toString();
    }

    private static void project(SimItem item, StringBuilder x) {
        String root = switch (item.kind) {
            case MATRIX -> "matrix-project";
            case MAVEN -> "maven2-moduleset";
            default -> "project";
        };
        x.append('<').append(root).append(">\n  <actions/>\n  <description>").append(esc(description(item)))
                .append("</description>\n  <keepDependencies>false</keepDependencies>\n");
        x.append(properties(item));
        x.append(scm(item, "  "));
        x.append("  <canRoam>true</canRoam>\n  <disabled>false</disabled>\n  <triggers/>\n  <concurrentBuild>false</concurrentBuild>\n");
        if (item.kind == SimItem.Kind.MATRIX && item.spec.configurations() != null) {
            x.append("  <axes>\n");
            for (String c : item.spec.configurations()) {
                String[] kv = c.split("=", 2);
                x.append("    <hudson.matrix.TextAxis><name>").append(esc(kv[0])).append("</name><values><string>")
                        .append(esc(kv.length > 1 ? kv[1] : "")).append("</string></values></hudson.matrix.TextAxis>\n");
            }
            x.append("  </axes>\n");
        }
        x.append("  <builders>\n");
        if (item.spec.shell() != null) {
            x.append("    <hudson.tasks.Shell>\n      <command>").append(esc(item.spec.shell()))
                    .append("</command>\n      <configuredLocalRules/>\n    </hudson.tasks.Shell>\n");
        }
        x.append("  </builders>\n  <publishers/>\n  <buildWrappers>\n");
        List<JenkinsEstate.Binding> bindings = item.spec.bindings();
        if (bindings != null && !bindings.isEmpty()) {
            x.append("    <org.jenkinsci.plugins.credentialsbinding.impl.SecretBuildWrapper plugin=\"credentials-binding@1.24\">\n      <bindings>\n");
            for (JenkinsEstate.Binding b : bindings) x.append(binding(b));
            x.append("      </bindings>\n    </org.jenkinsci.plugins.credentialsbinding.impl.SecretBuildWrapper>\n");
        }
        x.append("  </buildWrappers>\n</").append(root).append(">\n");
    }

    private static String binding(JenkinsEstate.Binding b) {
        String type = b.type() == null ? "string" : b.type();
        String cls = switch (type) {
            case "usernamePassword" -> "org.jenkinsci.plugins.credentialsbinding.impl.UsernamePasswordMultiBinding";
            case "file" -> "org.jenkinsci.plugins.credentialsbinding.impl.FileBinding";
            case "sshUserPrivateKey" -> "org.jenkinsci.plugins.credentialsbinding.impl.SSHUserPrivateKeyBinding";
            default -> "org.jenkinsci.plugins.credentialsbinding.impl.StringBinding";
        };
        StringBuilder x = new StringBuilder("        <").append(cls).append(">\n");
        x.append("          <credentialsId>").append(esc(b.credentialsId())).append("</credentialsId>\n");
        if (b.variable() != null) x.append("          <variable>").append(esc(b.variable())).append("</variable>\n");
        if (b.usernameVariable() != null) {
            x.append("          <usernameVariable>").append(esc(b.usernameVariable())).append("</usernameVariable>\n");
        }
        if (b.passwordVariable() != null) {
            x.append("          <passwordVariable>").append(esc(b.passwordVariable())).append("</passwordVariable>\n");
        }
        return x.append("        </").append(cls).append(">\n").toString();
    }

    private static void pipeline(SimItem item, StringBuilder x) {
        x.append("<flow-definition plugin=\"workflow-job@2.40\">\n  <actions/>\n  <description>")
                .append(esc(description(item))).append("</description>\n  <keepDependencies>false</keepDependencies>\n");
        x.append(properties(item));
        if (item.isBranchJob()) {
            // Branch jobs of a multibranch project take their definition from the parent's factory.
            x.append("  <definition class=\"org.jenkinsci.plugins.workflow.multibranch.SCMBinder\" plugin=\"workflow-multibranch@2.22\">\n")
                    .append("    <scriptPath>").append(esc(item.scriptPath())).append("</scriptPath>\n  </definition>\n");
        } else if (item.spec.script() != null) {
            x.append("  <definition class=\"org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition\" plugin=\"workflow-cps@2.87\">\n")
                    .append("    <script>").append(esc(item.spec.script())).append("</script>\n    <sandbox>true</sandbox>\n  </definition>\n");
        } else {
            x.append("  <definition class=\"org.jenkinsci.plugins.workflow.cps.CpsScmFlowDefinition\" plugin=\"workflow-cps@2.87\">\n")
                    .append(scm(item, "    "))
                    .append("    <scriptPath>").append(esc(item.scriptPath() == null ? "Jenkinsfile" : item.scriptPath()))
                    .append("</scriptPath>\n    <lightweight>true</lightweight>\n  </definition>\n");
        }
        x.append("  <triggers/>\n  <disabled>false</disabled>\n</flow-definition>\n");
    }

    private static String properties(SimItem item) {
        List<JenkinsEstate.Param> params = item.spec.parameters();
        if (params == null || params.isEmpty()) return "  <properties/>\n";
        StringBuilder x = new StringBuilder("  <properties>\n    <hudson.model.ParametersDefinitionProperty>\n      <parameterDefinitions>\n");
        for (JenkinsEstate.Param p : params) {
            String cls = switch (p.type() == null ? "string" : p.type()) {
                case "password" -> "hudson.model.PasswordParameterDefinition";
                case "boolean" -> "hudson.model.BooleanParameterDefinition";
                default -> "hudson.model.StringParameterDefinition";
            };
            x.append("        <").append(cls).append(">\n          <name>").append(esc(p.name())).append("</name>\n");
            if ("password".equals(p.type())) x.append("          <defaultValue>{AQAAABAAAAAQsimulatedEncryptedValue=}</defaultValue>\n");
            x.append("        </").append(cls).append(">\n");
        }
        return x.append("      </parameterDefinitions>\n    </hudson.model.ParametersDefinitionProperty>\n  </properties>\n").toString();
    }

    private static String scm(SimItem item, String indent) {
        JenkinsEstate.Scm scm = item.scm();
        if (scm == null) return indent + "<scm class=\"hudson.scm.NullSCM\"/>\n";
        String branch = scm.branch() == null ? "main" : scm.branch();
        return indent + "<scm class=\"hudson.plugins.git.GitSCM\" plugin=\"git@4.6.0\">\n"
                + indent + "  <configVersion>2</configVersion>\n"
                + indent + "  <userRemoteConfigs>\n" + indent + "    <hudson.plugins.git.UserRemoteConfig>\n"
                + indent + "      <url>" + esc(scmUrl(item)) + "</url>\n"
                + (scm.credentialsId() == null ? "" : indent + "      <credentialsId>" + esc(scm.credentialsId()) + "</credentialsId>\n")
                + indent + "    </hudson.plugins.git.UserRemoteConfig>\n" + indent + "  </userRemoteConfigs>\n"
                + indent + "  <branches><hudson.plugins.git.BranchSpec><name>*/" + esc(branch)
                + "</name></hudson.plugins.git.BranchSpec></branches>\n"
                + indent + "</scm>\n";
    }

    private static String folderCredentials(SimItem item) {
        List<JenkinsEstate.Credential> creds = item.spec.credentials();
        if (creds == null || creds.isEmpty()) return "  <properties/>\n";
        // Folder credentials live in the folder's config; Jenkins stores values encrypted, never in clear.
        StringBuilder x = new StringBuilder("  <properties>\n    <com.cloudbees.hudson.plugins.folder.properties.FolderCredentialsProvider_-FolderCredentialsProperty plugin=\"cloudbees-folder@6.15\">\n      <domainCredentialsMap class=\"hudson.util.CopyOnWriteMap$Hash\"><entry><com.cloudbees.plugins.credentials.domains.Domain><specifications/></com.cloudbees.plugins.credentials.domains.Domain><java.util.concurrent.CopyOnWriteArrayList>\n");
        for (JenkinsEstate.Credential c : creds) {
            x.append("        <credential><id>").append(esc(c.id())).append("</id><type>").append(esc(c.type()))
                    .append("</type></credential>\n");
        }
        return x.append("      </java.util.concurrent.CopyOnWriteArrayList></entry></domainCredentialsMap>\n    </com.cloudbees.hudson.plugins.folder.properties.FolderCredentialsProvider_-FolderCredentialsProperty>\n  </properties>\n").toString();
    }

    private static String scmUrl(SimItem item) {
        JenkinsEstate.Scm scm = item.scm();
        if (scm == null) return "";
        return scm.url() != null ? scm.url() : item.repoUrl();
    }

    private static String scmCredentials(SimItem item) {
        JenkinsEstate.Scm scm = item.scm();
        return scm == null || scm.credentialsId() == null ? "" : scm.credentialsId();
    }

    private static String description(SimItem item) {
        return item.spec == null || item.spec.description() == null ? "" : item.spec.description();
    }

    static String esc(String s) {
        if (s == null) return "";
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
