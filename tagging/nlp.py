"""Taxonomy loading and phrase matching over Chinese text (spaCy `zh` + jieba + PhraseMatcher).

jieba may split a synonym (`双评价` -> `双 / 评价`) or merge it into a longer word
(`县域国土空间规划编制`), so token-aligned PhraseMatcher hits are completed by a character-level
scan of the same synonyms: every occurrence of a synonym in the text is found, whatever the
segmentation. Overlapping hits keep the longest span (a `美丽乡村规划` is a village plan, not
`美丽乡村`).
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

TAXONOMY_PATH = Path(__file__).with_name("taxonomy.json")


@dataclass(frozen=True)
class TagDef:
    """One taxonomy entry (specialty or structural tag)."""

    id: str
    label: str
    label_en: str
    parent: str | None
    kind: str  # "specialty" | "structural"
    synonyms: tuple[str, ...] = ()


@dataclass
class Taxonomy:
    """All tags by id, plus the synonym -> tag index used by the matcher."""

    version: str
    tags: dict[str, TagDef]
    by_synonym: dict[str, str] = field(default_factory=dict)
    digest: str = ""

    def specialties(self) -> list[TagDef]:
        return [t for t in self.tags.values() if t.kind == "specialty"]

    def ancestors(self, tag_id: str) -> list[str]:
        """Parents of ``tag_id``, nearest first."""
        out: list[str] = []
        parent = self.tags[tag_id].parent
        while parent and parent not in out:
            out.append(parent)
            parent = self.tags[parent].parent
        return out

    def children(self, tag_id: str) -> list[str]:
        return [t.id for t in self.tags.values() if t.parent == tag_id]

    def resolve(self, term: str) -> str | None:
        """A tag id for a tag id, label or synonym (exact, case-insensitive for ASCII)."""
        term = term.strip()
        if term in self.tags:
            return term
        low = term.lower()
        for t in self.tags.values():
            if t.label == term or t.label_en.lower() == low:
                return t.id
        return self.by_synonym.get(low)


@cache
def load_taxonomy(path: Path = TAXONOMY_PATH) -> Taxonomy:
    """Read and validate taxonomy.json (cached)."""
    raw = path.read_text(encoding="utf-8")
    data = json.loads(raw)
    tags: dict[str, TagDef] = {}
    for kind, key in (("specialty", "specialties"), ("structural", "structural")):
        for item in data[key]:
            syns = tuple(dict.fromkeys([item["label"], *item.get("synonyms", [])])) if kind == "specialty" else ()
            tags[item["id"]] = TagDef(item["id"], item["label"], item["label_en"], item.get("parent"), kind, syns)
    by_syn: dict[str, str] = {}
    for t in tags.values():
        if t.parent and t.parent not in tags:
            raise ValueError(f"taxonomy.json: tag {t.id} has unknown parent {t.parent}")
        for s in t.synonyms:
            by_syn.setdefault(s.lower(), t.id)
    return Taxonomy(data.get("version", "0"), tags, by_syn, hashlib.sha256(raw.encode()).hexdigest()[:16])


@dataclass(frozen=True)
class Match:
    """One synonym found in a text: char span [start, end)."""

    tag_id: str
    start: int
    end: int
    text: str
    how: str  # "token" (PhraseMatcher) | "char" (sub-token fallback)


_ASCII = re.compile(r"[A-Za-z0-9]")
_SPACE = re.compile(r"\s")
MATCH_CACHE_SIZE = 1 << 17


class TaxonomyMatcher:
    """spaCy blank `zh` (jieba) + PhraseMatcher(LOWER) with a char-level fallback."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        # spaCy and jieba take seconds to import: only processes that tag or search pay for them.
        import jieba
        import spacy
        from spacy.matcher import PhraseMatcher

        jieba.setLogLevel(60)  # silence "Building prefix dict" on stderr
        # Teach jieba the synonyms so most of them come out as one token (better alignment).
        for syn in taxonomy.by_synonym:
            if not _ASCII.search(syn):
                jieba.add_word(syn, freq=20000)
        self.taxonomy = taxonomy
        self.nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
        self.matcher = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        for t in taxonomy.specialties():
            self.matcher.add(t.id, [self.nlp.make_doc(s) for s in t.synonyms])
        syns = sorted(taxonomy.by_synonym, key=len, reverse=True)
        self._char_re = re.compile("|".join(re.escape(s) for s in syns))
        # Texts repeat a lot (national sample: 297k projects share 28k names and 368 descriptions,
        # 200k bios are 5k distinct), and jieba segmentation is most of the tagging time: memoise
        # the matches per text. Match is frozen, so the cached tuples are safe to share.
        self._match_cached = lru_cache(maxsize=MATCH_CACHE_SIZE)(self._match)

    def match(self, text: str) -> list[Match]:
        """Non-overlapping taxonomy matches in ``text`` (longest span wins), in text order."""
        if not text:
            return []
        return list(self._match_cached(text))

    def _match(self, text: str) -> tuple[Match, ...]:
        lowered = text.lower()
        low = lowered if len(lowered) == len(text) else text
        if low is lowered and not self._char_re.search(low) and not _SPACE.search(text):
            # Every token-level hit is a synonym occurring in the lower-cased text (tokens are
            # contiguous when the text has no whitespace), so a text without any synonym substring
            # has no match at all: skip the segmentation.
            return ()
        found: dict[tuple[int, int], Match] = {}
        doc = self.nlp.make_doc(text)
        for match_id, s, e in self.matcher(doc):
            span = doc[s:e]
            tag = self.nlp.vocab.strings[match_id]
            found[(span.start_char, span.end_char)] = Match(tag, span.start_char, span.end_char, span.text, "token")
        # Overlapping scan: start a search at every position so shorter synonyms inside a
        # longer non-synonym word are found too.
        pos = 0
        while pos < len(low):
            m = self._char_re.search(low, pos)
            if not m:
                break
            s, e = m.span()
            if self._word_ok(low, s, e) and (s, e) not in found:
                tag = self.taxonomy.by_synonym[m.group(0)]
                found[(s, e)] = Match(tag, s, e, text[s:e], "char")
            pos = s + 1
        return tuple(_longest(found.values()))

    @staticmethod
    def _word_ok(text: str, s: int, e: int) -> bool:
        # ASCII synonyms (GIS, TOD, CIM) must not sit inside a longer Latin word.
        if not _ASCII.match(text[s]):
            return True
        before = text[s - 1] if s > 0 else " "
        after = text[e] if e < len(text) else " "
        return not (_ASCII.match(before) or _ASCII.match(after))


def _longest(matches: Any) -> list[Match]:
    chosen: list[Match] = []
    taken: list[tuple[int, int]] = []
    for m in sorted(matches, key=lambda m: (-(m.end - m.start), m.start, m.how != "token")):
        if any(m.start < e and s < m.end for s, e in taken):
            continue
        chosen.append(m)
        taken.append((m.start, m.end))
    return sorted(chosen, key=lambda m: m.start)


_matcher: TaxonomyMatcher | None = None
_matcher_lock = threading.Lock()


def get_matcher() -> TaxonomyMatcher:
    """The process-wide matcher (spaCy + jieba load once; ~2 s). Thread-safe: the web app warms it
    in the background while the first requests may already ask for it."""
    global _matcher
    if _matcher is None:
        with _matcher_lock:
            if _matcher is None:
                _matcher = TaxonomyMatcher(load_taxonomy())
    return _matcher
