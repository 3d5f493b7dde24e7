package io.breachwalk.detect.config;

/**
 * One CI configuration file to read.
 * @param displayPath how the file is named in reports (the path given, or the path inside the repository)
 * @param repoPath    the file's path inside its repository, '/'-separated: local templates and includes resolve from it
 * @param text        the file's content
 */
public record CiFile(String displayPath, String repoPath, String text) {
    /** The directory of {@link #repoPath}, "" at the repository root. */
    public String repoDir() {
        int i = repoPath.lastIndexOf('/');
        return i < 0 ? "" : repoPath.substring(0, i);
    }
}
