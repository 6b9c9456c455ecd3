"""The JASPAR matrices shipped as package data are the database's (checked against pyjaspar, offline)."""

import importlib.resources

import numpy as np
import pytest

from evoaug_tf.datasets.synthetic import (
    DEEPSTARR_MOTIF_MATRICES,
    JASPAR_RELEASE,
    load_jaspar,
)
from evoaug_tf.datasets.synthetic_chip import CHIP_FACTOR_MATRICES

pyjaspar = pytest.importorskip("pyjaspar", reason="test-only dependency (requirements-dev.txt)")

SHIPPED = sorted(
    path.name.removesuffix(".jaspar")
    for path in (importlib.resources.files("evoaug_tf") / "data" / "jaspar").iterdir()
    if path.name.endswith(".jaspar")
)


@pytest.fixture(scope="module")
def database():
    return pyjaspar.jaspardb(release=JASPAR_RELEASE)


def test_every_motif_has_a_shipped_matrix_and_nothing_else_is_shipped():
    assert sorted([*DEEPSTARR_MOTIF_MATRICES.values(), *CHIP_FACTOR_MATRICES.values()]) == SHIPPED


@pytest.mark.parametrize("matrix_id", SHIPPED)
def test_shipped_matrix_is_the_database_matrix(database, matrix_id):
    reference = database.fetch_motif_by_id(matrix_id)
    assert reference is not None, f"{matrix_id} is not in {JASPAR_RELEASE}"
    shipped = load_jaspar(matrix_id)
    assert shipped.matrix_id == reference.matrix_id
    assert shipped.name == reference.name
    expected = np.array([reference.counts[base] for base in "ACGT"], dtype=np.float64)
    np.testing.assert_allclose(shipped.counts, expected, rtol=1e-5, atol=1e-3)
    assert shipped.consensus == str(reference.consensus)
    assert reference.collection == "CORE"
    if matrix_id in CHIP_FACTOR_MATRICES.values():
        assert "9606" in reference.species  # human, as the ChIP-seq sets
    else:
        assert "7227" in reference.species  # Drosophila melanogaster


def test_gabpa_matrix_is_the_chip_seq_one(database):
    """GABPA: MA0062.4, built from ChIP-seq peaks (the stand-in of notebook 05)."""
    reference = database.fetch_motif_by_id(CHIP_FACTOR_MATRICES["GABPA"])
    assert (reference.name, reference.data_type) == ("GABPA", "ChIP-seq")
    assert load_jaspar("MA0062.4").consensus == "CACTTCCTGT"


def test_the_two_corrected_motifs(database):
    """twist is twi MA0249 (ACACATG, not CAGCTG); Ohler1 is bound by M1BP MA1459 (not GTCACGCT)."""
    twist = load_jaspar(DEEPSTARR_MOTIF_MATRICES["twist"])
    ohler1 = load_jaspar(DEEPSTARR_MOTIF_MATRICES["Ohler1"])
    assert (twist.name, twist.matrix_id.split(".")[0], twist.consensus) == ("twi", "MA0249", "ACACATG")
    assert (ohler1.name, ohler1.matrix_id.split(".")[0]) == ("M1BP", "MA1459")
    assert "GTCACACTG" in ohler1.consensus
