"""The synthetic GABPA ChIP-seq stand-in: reproducible, rules as documented, GC-matched, shuffles exact."""

import numpy as np
import pytest

from evoaug_tf import recipes, sizes
from evoaug_tf.datasets import make_synthetic_chip_pwm, registry
from evoaug_tf.datasets.synthetic import load_jaspar, reverse_complement
from evoaug_tf.datasets.synthetic_chip import (
    CHIP_FACTOR_CORES,
    CHIP_FACTOR_MATRICES,
    SEQUENCE_KINDS,
    dinucleotide_counts,
    dinucleotide_shuffle,
    site_scores,
)

ALPHABET = "ACGT"


@pytest.fixture(scope="module")
def gabpa():
    return make_synthetic_chip_pwm(n=4000, seed=0)


def per_split(data, key):
    return np.concatenate([data.info["per_split"][key][split] for split in ("train", "valid", "test")])


def bases_of(data):
    return np.concatenate([data.x_train, data.x_valid, data.x_test]).argmax(axis=-1)


def test_same_seed_same_data_other_seed_other_data():
    a, b, c = (make_synthetic_chip_pwm(n=300, seed=s) for s in (3, 3, 4))
    np.testing.assert_array_equal(a.x_train, b.x_train)
    np.testing.assert_array_equal(a.y_test, b.y_test)
    assert a.sites == b.sites
    assert not np.array_equal(a.x_train, c.x_train)


def test_shapes_one_hot_and_labels(gabpa):
    assert gabpa.x_train.shape[1:] == (200, 4) and gabpa.task_names == ("GABPA",)
    assert (gabpa.x_train.sum(axis=-1) == 1).all()
    assert set(np.unique(gabpa.y_train)) == {0.0, 1.0}
    assert gabpa.info["motif_matrix"] == CHIP_FACTOR_MATRICES["GABPA"] == "MA0062.4"


def test_sites_are_written_where_recorded_and_named_by_kind(gabpa):
    matrix = load_jaspar("MA0062.4")
    kind = gabpa.info["per_split"]["kind"]["train"]
    for row, row_sites in enumerate(gabpa.sites["train"][:400]):
        names = {site.name for site in row_sites}
        expected = {0: {"GABPA"}, 1: set(), 2: {"unbound"}, 3: {"decoy"}, 4: set(), 5: set()}[int(kind[row])]
        assert names == expected
        text = "".join(ALPHABET[i] for i in gabpa.x_train[row].argmax(axis=-1))
        for site in row_sites:
            planted = text[site.start : site.end]
            planted = reverse_complement(planted) if site.strand == "-" else planted
            assert sum(a != b for a, b in zip(planted, matrix.consensus)) == site.mismatches
        mask = gabpa.motif_mask["train"][row]
        assert mask.sum() == 10 * sum(site.name == "GABPA" for site in row_sites)


def test_kinds_follow_the_rates(gabpa):
    kind, bound = per_split(gabpa, "kind"), per_split(gabpa, "bound")
    rates = gabpa.info["rates"]
    assert set(kind[bound]) <= {0, 1} and set(kind[~bound]) <= {2, 3, 4, 5}
    assert abs(bound.mean() - rates["positive_fraction"]) < 0.03
    assert abs((kind[~bound] == 3).mean() - rates["decoy_fraction"]) < 0.03
    assert abs((kind[bound] == 1).mean() - rates["motifless_fraction"]) < 0.02
    flipped = per_split(gabpa, "bound") != np.concatenate([gabpa.y_train, gabpa.y_valid, gabpa.y_test])[:, 0]
    assert abs(flipped.mean() - rates["label_noise"]) < 0.01
    assert len(SEQUENCE_KINDS) == 6


def test_affinities_spread_from_weak_to_consensus(gabpa):
    kind, score = per_split(gabpa, "kind"), per_split(gabpa, "site_score")
    bound_scores = score[kind == 0]
    assert np.isnan(score[(kind == 1) | (kind >= 4)]).all() and not np.isnan(bound_scores).any()
    assert bound_scores.max() == pytest.approx(1.0) and (bound_scores <= 1.0 + 1e-12).all()
    assert (bound_scores < 0.5).mean() > 0.1  # weak sites are common
    assert (bound_scores > 0.9).mean() > 0.1  # and so are near-consensus ones
    assert bound_scores.std() > 0.15


def test_decoys_break_the_ets_core(gabpa):
    matrix = load_jaspar("MA0062.4")
    core = list(CHIP_FACTOR_CORES["GABPA"])
    assert matrix.consensus[core[0] : core[-1] + 1] == "TCC"  # GGA on the other strand
    for row, row_sites in enumerate(gabpa.sites["train"]):
        text = "".join(ALPHABET[i] for i in gabpa.x_train[row].argmax(axis=-1))
        for site in row_sites:
            if site.name == "decoy":
                planted = text[site.start : site.end]
                planted = reverse_complement(planted) if site.strand == "-" else planted
                assert planted[core[0] : core[-1] + 1] != "TCC"


def test_bound_sites_sit_near_the_centre_others_anywhere(gabpa):
    kind = gabpa.info["per_split"]["kind"]["train"]
    first = [s for row, sites in enumerate(gabpa.sites["train"]) for s in sites[:1] if kind[row] == 0]
    lone = [s for row, sites in enumerate(gabpa.sites["train"]) for s in sites if kind[row] in (2, 3)]
    bound_offsets = np.array([abs((s.start + s.end) / 2 - 100) for s in first])
    other_offsets = np.array([abs((s.start + s.end) / 2 - 100) for s in lone])
    assert np.median(bound_offsets) < 30 < np.median(other_offsets)


def test_negatives_are_gc_matched(gabpa):
    gc = np.isin(bases_of(gabpa), (1, 2)).mean(axis=1)
    bound = per_split(gabpa, "bound")
    assert abs(gc[bound].mean() - gc[~bound].mean()) < 0.01
    quantiles = [0.1, 0.25, 0.5, 0.75, 0.9]
    np.testing.assert_allclose(np.quantile(gc[bound], quantiles), np.quantile(gc[~bound], quantiles), atol=0.015)
    # Unmatched random DNA (GC 0.42, as the CTCF-like task) would differ: the matching is what removes GC.
    assert gc[bound].mean() > 0.5


def test_dinucleotide_shuffle_keeps_counts_and_ends():
    rng = np.random.default_rng(0)
    bases = rng.integers(0, 4, size=(200, 60)).astype(np.uint8)
    bases[:20] = np.array([0, 0, 0, 1, 2, 3] * 10)  # low-complexity rows too
    shuffled = dinucleotide_shuffle(bases, seed=1)
    np.testing.assert_array_equal(dinucleotide_counts(shuffled), dinucleotide_counts(bases))
    np.testing.assert_array_equal(shuffled[:, [0, -1]], bases[:, [0, -1]])
    assert (shuffled != bases).any(axis=1).mean() > 0.9
    np.testing.assert_array_equal(dinucleotide_shuffle(bases, seed=1), shuffled)


def test_dinucleotide_shuffle_is_uniform_on_a_small_case():
    """ACAGA has three dinucleotide-preserving orders with the same ends (ACAGA, AGACA): each about half."""
    bases = np.tile(np.array([[0, 1, 0, 2, 0]], dtype=np.uint8), (4000, 1))
    shuffled = dinucleotide_shuffle(bases, seed=0)
    words = {"".join(ALPHABET[i] for i in row) for row in shuffled}
    assert words == {"ACAGA", "AGACA"}
    share = np.mean([row[1] == 1 for row in shuffled])
    assert abs(share - 0.5) < 0.04


def test_shuffled_negatives_share_a_positives_dinucleotides(gabpa):
    kind = per_split(gabpa, "kind")
    bases = bases_of(gabpa)
    counts = dinucleotide_counts(bases).reshape(len(bases), -1)
    positives = {tuple(row) for row in counts[per_split(gabpa, "bound")]}
    shuffled = np.flatnonzero(kind == 5)
    assert len(shuffled) > 100
    assert all(tuple(counts[row]) in positives for row in shuffled)


def test_site_scores_consensus_is_one():
    matrix = load_jaspar("MA0062.4")
    consensus = np.array([[ALPHABET.index(b) for b in matrix.consensus]])
    assert site_scores(consensus, "MA0062.4")[0] == pytest.approx(1.0)
    with pytest.raises(ValueError, match=r"Expected sites to be \(N, 10\).*Received: sites.shape="):
        site_scores(consensus[:, :5], "MA0062.4")


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"factor": "CTCF"}, r"Expected factor to be one of \['GABPA'\]. Received: factor='CTCF'"),
        ({"motifless_fraction": 1.5}, r"Received: motifless_fraction=1.5"),
        ({"positive_fraction": 1.0}, r"Expected positive_fraction to be a fraction in \(0, 1\)"),
        ({"unbound_site_fraction": 0.6, "decoy_fraction": 0.6}, r"unbound_site_fraction \+ decoy_fraction <= 1"),
        ({"label_noise": 0.5}, r"Expected label_noise to be in \[0, 0.5\). Received: label_noise=0.5"),
        ({"length": 8}, r"Expected length >= the matrix width 10. Received: length=8"),
        ({"gc_mean": 0.9}, r"Received: gc_mean=0.9"),
        ({"centre_sd": -1}, r"Received: centre_sd=-1"),
        ({"n": 2}, r"Expected n to be an int >= 3"),
    ],
)
def test_errors_name_the_argument(kwargs, match):
    with pytest.raises(ValueError, match=match):
        make_synthetic_chip_pwm(**{"n": 50, **kwargs})


def test_dinucleotide_errors():
    with pytest.raises(ValueError, match=r"Expected bases to be \(N, L\) base indices 0..3"):
        dinucleotide_shuffle(np.array([[0, 4, 1]]))
    with pytest.raises(ValueError, match=r"Expected bases to be \(N, L\) base indices"):
        dinucleotide_counts(np.zeros(5, dtype=int))


def test_registry_and_sizes_teach_gabpa():
    for name in ("quick", "offline", "class"):
        assert sizes.get(name).chip_factors == ("GABPA",)
    assert "GABPA" in sizes.get("paper").chip_factors and "CTCF" in sizes.get("paper").chip_factors
    info = registry.get_chip_info("gabpa")
    assert (info.filename, info.length, info.task_names, info.task_type) == ("GABPA_200.h5", 200, ("GABPA",), "binary")
    assert registry.get_dataset_info("GABPA_200.h5") is info
    assert registry.download_command("GABPA", dest="data") == "python -m evoaug_tf download chip GABPA --dest data"
    assert registry.fallback_file_url("GABPA_200.h5", "http://127.0.0.1:1").endswith(
        "/records/7265991/files/GABPA_200.h5?download=1"
    )


def test_recipes_use_the_factors_stand_in():
    gabpa = recipes.resolve("quick", "GABPA").load_full()
    ctcf = recipes.resolve("quick", "CTCF").load_full()
    assert gabpa.task_names == ("GABPA",) and gabpa.info["motif_matrix"] == "MA0062.4"
    assert ctcf.task_names == ("CTCF-like",)
