"""The synonym seed agrees with the demo estate's tag key variants and holds only folded keys."""

import csv
from pathlib import Path

from demo.estate import TAG_KEY_VARIANTS

SEED = Path(__file__).resolve().parents[2] / "dbt" / "seeds" / "tag_key_synonyms.csv"


def synonyms() -> dict[str, str]:
    with SEED.open(newline="") as handle:
        return {row["raw_key"]: row["canonical_key"] for row in csv.DictReader(handle)}


def test_every_estate_variant_folds_to_its_canonical_key():
    seed = synonyms()
    resolved = {
        variant: seed.get(variant.strip().lower())
        for canonical, variants in TAG_KEY_VARIANTS.items()
        for variant in variants
    }
    expected = {
        variant: canonical for canonical, variants in TAG_KEY_VARIANTS.items() for variant in variants
    }
    assert resolved == expected


def test_seed_maps_folded_keys_to_the_estate_canonical_keys():
    seed = synonyms()
    assert all(key == key.strip().lower() for key in seed)
    assert set(seed.values()) == set(TAG_KEY_VARIANTS)
    assert all(seed[canonical] == canonical for canonical in TAG_KEY_VARIANTS)
