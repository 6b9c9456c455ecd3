"""A run against the paper, finding by finding: a table the notebook prints, so its prose cannot drift.

A notebook that says "the EvoAug models scored higher, as in the paper" is right only for the run it was
written after. Instead it prints a row per finding, computed from its own results::

    rows = [
        findings.compare("KLD, Dev", standard_scores, evoaug_scores, paper="higher"),
        findings.compare("variation, saliency, Dev", standard_var, evoaug_var, paper="lower"),
        findings.compare("motif AUROC, Dev", standard_auroc, evoaug_auroc, paper=None),  # not in the paper
    ]
    print(findings.table(rows).to_string())

Each row has both arms' mean ± sd over replicates (models), the paper's direction for EvoAug-TF against
standard training, this run's direction, and whether they agree. A direction is only a direction: with a
few models per arm, agreement or disagreement can be chance (the notebooks say how small a p-value their
number of models allows).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

__all__ = ["Finding", "compare", "table"]

_DIRECTIONS = ("higher", "lower")


class Finding(NamedTuple):
    """One row of :func:`table`."""

    finding: str
    standard: str
    evoaug: str
    paper: str
    this_run: str
    agrees: str


def _values(values: ArrayLike, name: str) -> np.ndarray:
    array = np.asarray(values, dtype=np.float64).ravel()
    if array.size == 0 or not np.all(np.isfinite(array)):
        raise ValueError(f"Expected {name} to be one or more finite numbers. Received: {name}={values!r}")
    return array


def _mean_sd(values: np.ndarray, digits: int) -> str:
    if values.size == 1:
        return f"{values[0]:.{digits}f} (n = 1)"
    return f"{values.mean():.{digits}f} ± {values.std(ddof=1):.{digits}f} (n = {values.size})"


def compare(finding: str, standard: ArrayLike, evoaug: ArrayLike, paper: str | None, digits: int = 3) -> Finding:
    """One finding: both arms' mean ± sd, the paper's direction, this run's, and whether they agree.

    Parameters
    ----------
    finding : str
        What is compared, e.g. ``"KLD (authors' projection), Dev"``.
    standard, evoaug : array-like
        The score of each replicate (model) of each arm.
    paper : {"higher", "lower"} or None
        The paper's EvoAug-TF arm against standard training; None: the paper has no such finding.
    digits : int
        Decimals shown.

    Returns
    -------
    Finding
        ``this_run`` is ``"EvoAug-TF higher"``, ``"EvoAug-TF lower"`` or ``"equal"`` (of the means);
        ``agrees`` is ``"yes"``, ``"no"`` or ``"-"`` (no paper finding).
    """
    if paper is not None and paper not in _DIRECTIONS:
        raise ValueError(f"Expected paper to be 'higher', 'lower' or None. Received: paper={paper!r}")
    s, e = _values(standard, "standard"), _values(evoaug, "evoaug")
    difference = e.mean() - s.mean()
    ours = "higher" if difference > 0 else "lower" if difference < 0 else "equal"
    return Finding(
        finding=finding,
        standard=_mean_sd(s, digits),
        evoaug=_mean_sd(e, digits),
        paper="not in the paper" if paper is None else f"EvoAug-TF {paper}",
        this_run="equal" if ours == "equal" else f"EvoAug-TF {ours}",
        agrees="-" if paper is None else ("yes" if ours == paper else "no"),
    )


def table(rows: list[Finding]) -> pd.DataFrame:
    """The findings as a table, one row each, indexed by ``finding``."""
    if not rows or not all(isinstance(row, Finding) for row in rows):
        raise ValueError(f"Expected a non-empty list of findings.compare(...) results. Received: {rows!r}")
    frame = pd.DataFrame([row._asdict() for row in rows]).set_index("finding")
    return frame.rename(columns={"evoaug": "EvoAug-TF", "this_run": "this run"})
