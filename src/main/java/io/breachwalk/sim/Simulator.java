package io.breachwalk.sim;

/**
 * A provider's API served on loopback from an estate description: what `demo` and the tests scan instead of a real
 * CI system. Each provider folder under {@code sim/} has one, and says how to scan its sample ({@link DemoEstate}).
 */
public interface Simulator extends AutoCloseable {

    /** The provider column value of what a scan of this simulator finds, e.g. {@code github-actions}, {@code jenkins}. */
    String provider();

    /** Where it listens, e.g. http://127.0.0.1:PORT: the value of the provider's URL option. */
    String baseUrl();

    /** Stops serving. */
    @Override
    void close();
}
