package io.breachwalk.detect.yaml;

/** Bounds for reading untrusted YAML: a CI file is small; anything past these is hostile or not a CI file. */
public record YamlLimits(int maxAliases, int maxDepth, int maxCodePoints, int maxExpandedNodes) {
    public static YamlLimits defaults() {
        // Real CI files use tens of aliases and expand to a few thousand nodes; a billion-laughs file needs millions.
        return new YamlLimits(500, 100, 5 * 1024 * 1024, 1_000_000);
    }
}
