package io.breachwalk.evidence;

import io.breachwalk.model.EvidenceLink;
import io.breachwalk.model.EvidenceRecord;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The evidence links a walk made or an evidence folder holds, found by (kind, name): the one lookup the live and
 * stored data sources of every provider share, so that online and offline runs name evidence the same way.
 */
public final class LinksByName {

    private final Map<String, EvidenceLink> links = new ConcurrentHashMap<>();

    /** The links of a manifest's records (offline re-analysis). */
    public static LinksByName of(List<EvidenceRecord> records) {
        LinksByName byName = new LinksByName();
        records.forEach(r -> r.items().forEach(byName::put));
        return byName;
    }

    public EvidenceLink put(EvidenceLink link) {
        links.put(key(link.kind(), link.name()), link);
        return link;
    }

    /** The link of that kind and name, or null when none was made or stored. */
    public EvidenceLink get(String kind, String name) {
        return links.get(key(kind, name));
    }

    public Collection<EvidenceLink> all() {
        return links.values();
    }

    private static String key(String kind, String name) {
        return kind + "\u0000" + name;
    }
}
