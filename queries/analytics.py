"""networkx analytics on subgraphs read from Neo4j (LK3 related-unit communities)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import networkx as nx


def related_unit_graph(links: Iterable[dict[str, Any]]) -> nx.Graph:
    """Undirected graph of units; an edge per pair sharing a phone, e-mail or legal rep (rules/lk3.cypher).

    Edge attributes: ``shared`` (list of "kind:value") and ``legal_rep`` (the shared legal
    representative, or None) — a shared legal_rep with a shared contact is the strongest link.
    """
    g = nx.Graph()
    for lk in links:
        g.add_edge(lk["unit_a"], lk["unit_b"],
                   shared=[f"{s['kind']}:{s['value']}" for s in lk["shared"]],
                   legal_rep=lk.get("legal_rep"))
    return g


def related_unit_communities(links: Iterable[dict[str, Any]], min_units: int = 3) -> list[frozenset[str]]:
    """Communities of the related-unit graph with at least ``min_units`` units, sorted.

    A community is a connected component: two units are in one community when a chain of shared
    contacts links them. Components are deterministic and need no tuning, and related-unit
    graphs are sparse (most units share nothing), so components stay small; greedy modularity
    would split a ring in two exactly where staff circulate across it.
    """
    g = related_unit_graph(links)
    comps = [frozenset(c) for c in nx.connected_components(g) if len(c) >= min_units]
    return sorted(comps, key=lambda c: sorted(c))
