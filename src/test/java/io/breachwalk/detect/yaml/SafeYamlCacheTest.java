package io.breachwalk.detect.yaml;

import io.breachwalk.detect.ConfigParseException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Parses are kept by text: the same text gives the same tree, a refused text is refused again, limits count. */
class SafeYamlCacheTest {

    @Test
    void theSameTextGivesTheSameTreeOnce() throws ConfigParseException {
        String text = "on: push\njobs:\n  test:\n    steps:\n      - run: make test\n";
        YNode first = new SafeYaml().parse(text);
        YNode again = new SafeYaml().parse(new String(text.toCharArray()));
        assertThat(again).isSameAs(first);
        assertThat(again.get("jobs").get("test").get("steps").seq().get(0).get("run").text()).isEqualTo("make test");
    }

    @Test
    void aRefusedTextIsRefusedAgainWithTheSameWords() {
        String text = "a: [1, 2\nb: c\n";
        assertThatThrownBy(() -> new SafeYaml().parse(text)).isInstanceOf(ConfigParseException.class)
                .hasMessageStartingWith("malformed YAML at line");
        String first = message(text);
        assertThat(message(text)).isEqualTo(first);
    }

    @Test
    void stricterLimitsAreNotAnsweredFromALaxParse() throws ConfigParseException {
        String text = "a:\n  b:\n    c:\n      d: 1\n";
        assertThat(new SafeYaml().parse(text).get("a").isMap()).isTrue();
        YamlLimits shallow = new YamlLimits(YamlLimits.defaults().maxAliases(), 2,
                YamlLimits.defaults().maxCodePoints(), YamlLimits.defaults().maxExpandedNodes());
        assertThatThrownBy(() -> new SafeYaml(shallow).parse(text)).isInstanceOf(ConfigParseException.class);
    }

    private static String message(String text) {
        try {
            new SafeYaml().parse(text);
            return null;
        } catch (ConfigParseException e) {
            return e.getMessage();
        }
    }
}
