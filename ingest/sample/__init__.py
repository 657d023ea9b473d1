"""Sample-data generator: a clean background population plus planted cases of every detection rule.

`generate(out, scale, seed)` writes the 13 input CSVs of DESIGN.md and, beside them,
`sample_meta.json`, `ground_truth.jsonl`, `hard_negatives.jsonl`, `inspectors.csv` and
`expert_requests.jsonl`. Same seed, same bytes.
"""

from __future__ import annotations

from ingest.sample.generate import AS_OF, SampleMismatch, SampleSummary, generate

__all__ = ["AS_OF", "SampleMismatch", "SampleSummary", "generate"]
