package io.breachwalk.evidence;

import io.breachwalk.model.EvidenceLink;

/**
 * Where a provider's walk reads what it judges: the provider itself (storing each answer as evidence) or an evidence
 * folder (`scan --offline`). Each provider names its evidence kinds as constants of its own sub-interface; the names
 * under a kind are the same live and stored, so the offline re-analysis runs the very code of the online walk.
 */
public interface ProviderData {

    /** What was read under (kind, name), or null when nothing was asked for. */
    EvidenceLink link(String kind, String name);
}
