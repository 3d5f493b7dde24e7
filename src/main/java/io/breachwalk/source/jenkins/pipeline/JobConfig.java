package io.breachwalk.source.jenkins.pipeline;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

/**
 * What a job's (or folder's) config.xml says that matters here: shell steps, credential bindings, password parameters,
 * the pipeline script or the path of the Jenkinsfile in SCM, and the SCM remotes. config.xml is untrusted input: a
 * DOCTYPE is refused outright, so no entity (internal or external) is ever expanded and no file or URL is read.
 */
public record JobConfig(
        String root,
        List<Shell> shells,
        List<Binding> bindings,
        List<String> passwordParameters,
        String inlineScript,
        String scriptPath,
        List<String> scmUrls,
        List<String> branches) {

    /** A shell or batch build step; {@code index} is its position among the builders (1-based). */
    public record Shell(int index, String kind, String command) { }

    /** A SecretBuildWrapper (or ssh-agent wrapper) binding: credential id, binding type, variables. */
    public record Binding(String credentialsId, String type, List<String> variables) {
        public String via() {
            return "SecretBuildWrapper " + type + "(credentialsId: '" + credentialsId + "')"
                    + (variables.isEmpty() ? "" : " -> " + String.join(", ", variables));
        }
    }

    /** config.xml could not be read safely; the message says why, for the coverage row. */
    public static final class UnreadableConfig extends Exception {
        public UnreadableConfig(String message) {
            super(message);
        }
    }

    /**
     * The one branch the job builds, from its git branch specifier ("* /main", "origin/main", "refs/heads/main"), or
     * null when it builds several or a pattern: then no single history can be read.
     */
    public String branch() {
        if (branches.size() != 1) return null;
        String b = branches.get(0).replaceFirst("^\\*/", "").replaceFirst("^refs/heads/", "").replaceFirst("^origin/", "");
        return b.isBlank() || b.contains("*") || b.contains("$") || b.contains(":") ? null : b;
    }

    public boolean pipelineFromScm() { return inlineScript == null && scriptPath != null; }

    public static JobConfig parse(String xml) throws UnreadableConfig {
        Document doc;
        try {
            doc = builder().parse(new InputSource(new StringReader(xml)));
        } catch (SAXException e) {
            String msg = e.getMessage() == null ? "" : e.getMessage();
            if (msg.contains("DOCTYPE")) {
                throw new UnreadableConfig("config.xml declares a DOCTYPE (possible XML entity attack); refused unread");
            }
            throw new UnreadableConfig("config.xml is not well-formed XML: " + oneLine(msg));
        } catch (IOException e) {
            throw new UnreadableConfig("config.xml could not be read: " + e.getMessage());
        }
        Element root = doc.getDocumentElement();
        List<Shell> shells = new ArrayList<>();
        int index = 0;
        for (Element e : descendants(root)) {
            String tag = e.getTagName();
            if (tag.equals("hudson.tasks.Shell") || tag.equals("hudson.tasks.BatchFile")
                    || tag.equals("hudson.plugins.powershell.PowerShell")) {
                index++;
                shells.add(new Shell(index, tag.substring(tag.lastIndexOf('.') + 1), childText(e, "command")));
            }
        }
        List<Binding> bindings = new ArrayList<>();
        for (Element e : descendants(root)) {
            if (e.getTagName().endsWith("SecretBuildWrapper")) {
                Element list = child(e, "bindings");
                if (list == null) continue;
                for (Element b : children(list)) {
                    String id = childText(b, "credentialsId");
                    if (id == null) continue;
                    List<String> vars = new ArrayList<>();
                    for (Element v : children(b)) {
                        if (v.getTagName().toLowerCase().endsWith("variable") && !v.getTextContent().isBlank()) {
                            vars.add(v.getTextContent().trim());
                        }
                    }
                    bindings.add(new Binding(id.trim(), bindingType(b.getTagName()), vars));
                }
            } else if (e.getTagName().endsWith("SSHAgentBuildWrapper")) {
                Element ids = child(e, "credentialIds");
                if (ids == null) continue;
                for (Element s : children(ids)) bindings.add(new Binding(s.getTextContent().trim(), "sshagent", List.of("SSH_AUTH_SOCK")));
            }
        }
        List<String> passwords = new ArrayList<>();
        for (Element e : descendants(root)) {
            if (e.getTagName().equals("hudson.model.PasswordParameterDefinition")) {
                String name = childText(e, "name");
                if (name != null) passwords.add(name.trim());
            }
        }
        String inline = null;
        String scriptPath = null;
        for (Element e : descendants(root)) {
            String tag = e.getTagName();
            String cls = e.getAttribute("class");
            if (tag.equals("definition") && cls.endsWith("CpsFlowDefinition")) inline = childText(e, "script");
            if ((tag.equals("definition") && (cls.endsWith("CpsScmFlowDefinition") || cls.endsWith("SCMBinder")))
                    || tag.endsWith("WorkflowBranchProjectFactory") || tag.endsWith("WorkflowMultiBranchProjectFactory")) {
                String p = childText(e, "scriptPath");
                scriptPath = p == null || p.isBlank() ? "Jenkinsfile" : p.trim();
            }
        }
        List<String> urls = new ArrayList<>();
        for (Element e : descendants(root)) {
            if (e.getTagName().equals("hudson.plugins.git.UserRemoteConfig")) {
                String u = childText(e, "url");
                if (u != null && !u.isBlank()) urls.add(u.trim());
            } else if (e.getTagName().equals("source") && e.getAttribute("class").contains("Git")) {
                String u = childText(e, "remote");
                if (u != null && !u.isBlank()) urls.add(u.trim());
            }
        }
        List<String> branches = new ArrayList<>();
        for (Element e : descendants(root)) {
            if (e.getTagName().equals("hudson.plugins.git.BranchSpec")) {
                String b = childText(e, "name");
                if (b != null && !b.isBlank()) branches.add(b.trim());
            }
        }
        return new JobConfig(root.getTagName(), List.copyOf(shells), List.copyOf(bindings), List.copyOf(passwords),
                inline, scriptPath, List.copyOf(urls), List.copyOf(branches));
    }

    private static DocumentBuilder builder() throws UnreadableConfig {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            f.setNamespaceAware(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(null);
            // Belt and braces: should anything still ask for an external entity, hand it nothing.
            b.setEntityResolver((publicId, systemId) -> new InputSource(new StringReader("")));
            return b;
        } catch (ParserConfigurationException e) {
            throw new UnreadableConfig("no safe XML parser available: " + e.getMessage());
        }
    }

    private static String bindingType(String tag) {
        String simple = tag.substring(tag.lastIndexOf('.') + 1);
        return switch (simple) {
            case "StringBinding" -> "string";
            case "UsernamePasswordMultiBinding" -> "usernamePassword";
            case "UsernamePasswordBinding" -> "usernameColonPassword";
            case "FileBinding" -> "file";
            case "SSHUserPrivateKeyBinding" -> "sshUserPrivateKey";
            case "ZipFileBinding" -> "zip";
            case "CertificateMultiBinding" -> "certificate";
            default -> simple;
        };
    }

    private static List<Element> descendants(Element root) {
        List<Element> out = new ArrayList<>();
        NodeList all = root.getElementsByTagName("*");
        for (int i = 0; i < all.getLength(); i++) out.add((Element) all.item(i));
        return out;
    }

    private static List<Element> children(Element e) {
        List<Element> out = new ArrayList<>();
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element c) out.add(c);
        }
        return out;
    }

    private static Element child(Element e, String tag) {
        for (Element c : children(e)) if (c.getTagName().equals(tag)) return c;
        return null;
    }

    private static String childText(Element e, String tag) {
        Element c = child(e, tag);
        return c == null ? null : c.getTextContent();
    }

    private static String oneLine(String s) {
        String t = s.replaceAll("\\s+", " ").trim();
        return t.length() > 160 ? t.substring(0, 157) + "..." : t;
    }
}
