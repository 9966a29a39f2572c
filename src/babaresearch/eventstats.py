"""Pure test statistics of event studies, over plain numpy arrays.

Nothing here knows about tickers, dates or pandas frames: :mod:`babaresearch.events` gathers
returns into arrays, fits the normal-return model and calls these functions. Every statistic is
two-sided and names the paper it comes from.

Notation (Campbell, Lo & MacKinlay 1997, ch. 4): ``N`` events, estimation window of ``T_i``
usable sessions, event window of ``L`` sessions, ``k`` parameters in the normal-return model
in the residual variance (constant mean 1, market model 2, market-adjusted 1: nothing is
estimated for its expected return but its variance is taken around the mean AR), abnormal returns
``AR`` and their sum over the event window ``CAR``, all simple returns in decimal.

Independence: every cross-event statistic here (cross-sectional t, Patell Z, BMP t, the rank
tests, the generalized sign test) treats the events as independent. Events clustered on the same
calendar dates have cross-correlated abnormal returns, which makes all of them over-reject;
no Kolari & Pynnönen (2010, Rev. Financial Studies 23(11)) adjustment is applied. The per-event
CAR t-test is unaffected.
"""

from __future__ import annotations

import numpy as np

#: Plain-text references, used in the ``reference`` column of ``EventStudyResult.aggregate``.
REF_BROWN_WARNER = "Brown & Warner (1985), J. Financial Economics 14(1), cross-sectional t"
REF_PATELL = ("Patell (1976), J. Accounting Research 14(2), standardized residual Z, in the CAR form "
              "(J2) of Campbell, Lo & MacKinlay (1997), 4.4.3")
REF_BMP = "Boehmer, Musumeci & Poulsen (1991), J. Financial Economics 30(2), standardized cross-sectional t"
REF_CORRADO = ("Corrado (1989), J. Financial Economics 23(2), rank test; missing days weighted by "
               "Kolari & Pynnönen (2011), J. Empirical Finance 18(5)")
REF_CORRADO_COWAN = ("Corrado (1989) rank test, multi-day form of Cowan (1992), Rev. Quant. Finance & "
                     "Accounting 2; missing days weighted by Kolari & Pynnönen (2011)")
REF_COWAN_SIGN = "Cowan (1992), Rev. Quant. Finance & Accounting 2, generalized sign test"

#: Expected standardized rank under the null (ranks scaled into (0, 1)).
_NULL_RANK = 0.5


def _two_sided_t(stat, dof):
    """Two-sided p-value of a Student-t statistic with ``dof`` degrees of freedom."""
    from scipy import stats

    return 2.0 * stats.t.sf(np.abs(stat), dof)


def _two_sided_normal(stat):
    """Two-sided p-value of a standard-normal statistic."""
    from scipy import stats

    return 2.0 * stats.norm.sf(np.abs(stat))


def car_t_test(car: np.ndarray, var_car: np.ndarray, dof: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """t-statistic and two-sided p-value of each event's CAR (Campbell, Lo & MacKinlay 1997, 4.4).

    Parameters
    ----------
    car : array of float, shape (N,)
        Cumulative abnormal return of each event over the event window, decimal.
    var_car : array of float, shape (N,)
        Variance of the CAR under the null, decimal squared, including the prediction error of
        the estimated parameters: ``sigma^2 * 1'(I + X*(X'X)^-1 X*')1``.
    dof : array of int, shape (N,)
        Degrees of freedom of the estimation-window residual variance, ``n_est - k``.

    Returns
    -------
    t, p : arrays of float, shape (N,)
        ``t = CAR / sqrt(var_car)``, distributed Student-t with ``dof`` degrees under the null
        (normal residuals); ``p`` is two-sided.
    """
    car = np.asarray(car, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = car / np.sqrt(np.asarray(var_car, dtype=float))
    return t, _two_sided_t(t, np.asarray(dof, dtype=float))


def cross_sectional_t(car: np.ndarray) -> tuple[float, float, int]:
    """Cross-sectional t-test of the mean CAR (Brown & Warner 1985).

    ``t = CAAR / (s / sqrt(N))`` with ``s`` the cross-sectional standard deviation of the CARs
    (ddof 1); Student-t with ``N - 1`` degrees of freedom. Robust to event-induced variance,
    not to cross-correlation of events on the same dates.

    Returns
    -------
    t, p, n : float, float, int
        NaN statistic and p-value when fewer than two events (no cross-sectional spread).
    """
    car = np.asarray(car, dtype=float)
    n = car.size
    if n < 2:
        return float("nan"), float("nan"), n
    spread = car.std(ddof=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = car.mean() / (spread / np.sqrt(n))
    return float(t), float(_two_sided_t(t, n - 1)), n


def standardized_car(car: np.ndarray, var_car: np.ndarray) -> np.ndarray:
    """Standardized CAR, ``SCAR_i = CAR_i / sqrt(var_car_i)`` (prediction-error-corrected sigma).

    This is the building block of both the Patell (1976) Z and the Boehmer, Musumeci & Poulsen
    (1991) t; each ``SCAR_i`` is Student-t with ``T_i - k`` degrees of freedom under the null.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.asarray(car, dtype=float) / np.sqrt(np.asarray(var_car, dtype=float))


def patell_z(scar: np.ndarray, dof: np.ndarray) -> tuple[float, float, int]:
    """Patell (1976) standardized-residual Z over the event window, in its CAR (J2) form.

    ``Z = sum_i SCAR_i / sqrt(sum_i (T_i - k) / (T_i - k - 2))``: each standardized CAR is
    Student-t with ``T_i - k`` degrees of freedom, whose variance is ``(T_i - k)/(T_i - k - 2)``
    (``(T-2)/(T-4)`` for the market model). Standard normal under the null.

    Judgement call: this is the ``J2`` statistic of Campbell, Lo & MacKinlay (1997, 4.4.3),
    which standardises each event's whole CAR by its full prediction-error variance
    ``sigma^2 1'(I + X*(X'X)^-1 X*')1`` (off-diagonal terms included). Patell's original
    standardises each day's AR by that day's own prediction-error variance and sums the
    standardised ARs over the window, ``sum_t SAR_it / sqrt(L)``. The two coincide for a
    one-day window; over several days J2 weights the days equally, as the CAR does, and keeps
    the same standardisation as the per-event t and the BMP t (the difference is of order
    L/T). Assumes independent events (no
    cross-correlation adjustment for events on the same dates) and no event-induced variance
    (see :func:`bmp_t` for the robust version).

    Parameters
    ----------
    scar : array of float, shape (N,)
        Standardized CARs from :func:`standardized_car`.
    dof : array of int, shape (N,)
        ``T_i - k`` of each event; must exceed 2.
    """
    scar = np.asarray(scar, dtype=float)
    dof = np.asarray(dof, dtype=float)
    n = scar.size
    if n == 0:
        return float("nan"), float("nan"), 0
    z = scar.sum() / np.sqrt(np.sum(dof / (dof - 2.0)))
    return float(z), float(_two_sided_normal(z)), n


def bmp_t(scar: np.ndarray) -> tuple[float, float, int]:
    """Standardized cross-sectional t of Boehmer, Musumeci & Poulsen (1991).

    ``t = mean(SCAR) / (s(SCAR) / sqrt(N))`` with ``s`` the cross-sectional standard deviation
    (ddof 1) of the standardized CARs; Student-t with ``N - 1`` degrees of freedom. Robust to
    event-induced variance increases, unlike the Patell Z.

    Returns NaN statistic and p-value when fewer than two events.
    """
    scar = np.asarray(scar, dtype=float)
    n = scar.size
    if n < 2:
        return float("nan"), float("nan"), n
    with np.errstate(divide="ignore", invalid="ignore"):
        t = scar.mean() / (scar.std(ddof=1) / np.sqrt(n))
    return float(t), float(_two_sided_t(t, n - 1)), n


#: Rows ranked together by :func:`centred_ranks`: a block's sort and scatter temporaries stay
#: in the CPU cache (ranks do not depend on it, each row is ranked on its own).
_RANK_BLOCK_ROWS = 512


def _ordinal_order(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, bool]:
    """Row-wise ``argsort`` of ``values`` (NaN last), as flat positions, and the sorted keys.

    NaN is swapped for +inf before sorting when the data has no +inf of its own: both sort
    last, and NaN knocks numpy's vectorised sort off its fast path (about 4x slower on rows
    with a missing day). Returns ``(flat_order, ordered, swapped)`` (see :func:`_flat_positions`).
    """
    missing = np.isnan(values)
    swapped = bool(missing.any()) and not np.isposinf(values).any()
    keys = np.where(missing, np.inf, values) if swapped else values
    order = np.argsort(keys, axis=1)
    flat = _flat_positions(order)
    return flat, np.take(keys.reshape(-1), flat).reshape(order.shape), swapped


def _flat_positions(order: np.ndarray) -> np.ndarray:
    """Positions in the flattened (row-major) array of ``[i, order[i, j]]``."""
    n_rows, n_cols = order.shape
    return (order + (np.arange(n_rows) * n_cols)[:, None]).reshape(-1)


def _ranks_in_order(ordered: np.ndarray, swapped: bool) -> np.ndarray:
    """Ranks 1..n of each row's sorted values, runs of ties sharing their average rank.

    A read-only broadcast of ``1..n`` when no row has a tie (the usual case with returns).

    NaN (or the +inf standing for NaN when ``swapped``) never ties: those cells are blanked
    by the caller.
    """
    n_rows, n_cols = ordered.shape
    ranks_in_order = np.broadcast_to(np.arange(1.0, n_cols + 1.0), (n_rows, n_cols))
    equal = ordered[:, 1:] == ordered[:, :-1]
    if swapped:
        equal &= ordered[:, 1:] != np.inf
    tied_rows = np.flatnonzero(equal.any(axis=1))
    if tied_rows.size:  # rare with real returns: average the ordinal ranks of each run of ties
        ranks_in_order = ranks_in_order.copy()
        tied = ordered[tied_rows]
        starts = np.ones(tied.shape, dtype=bool)
        starts[:, 1:] = ~equal[tied_rows]  # a row's first cell always opens a run
        run = np.cumsum(starts.ravel()) - 1
        ordinal = ranks_in_order[tied_rows].ravel()
        size = np.bincount(run)
        ranks_in_order[tied_rows] = (ordinal[starts.ravel()] + (size - 1) / 2.0)[run].reshape(tied.shape)
    return ranks_in_order


def _scatter(flat_order: np.ndarray, ranks_in_order: np.ndarray, out: np.ndarray) -> None:
    """``out[i, order[i, j]] = ranks_in_order[i, j]``: one flat fancy assignment (``out`` C-contiguous)."""
    out.reshape(-1)[flat_order] = ranks_in_order.reshape(-1)


def average_ranks(values: np.ndarray) -> np.ndarray:
    """Row-wise ranks 1..M_i of a 2-D array, ties sharing their average rank, NaN kept as NaN.

    Same numbers as ``scipy.stats.rankdata(values, axis=1, nan_policy="omit")`` in a few numpy
    passes (one sort), several times faster on thousands of events.
    """
    values = np.asarray(values, dtype=float)
    if values.size == 0:
        return values.copy()
    flat_order, ordered, swapped = _ordinal_order(values)
    ranks = np.empty(values.shape)  # C order: _scatter writes through a flat view
    _scatter(flat_order, _ranks_in_order(ordered, swapped), ranks)
    ranks[np.isnan(values)] = np.nan
    return ranks


def standardized_ranks(ar_combined: np.ndarray) -> np.ndarray:
    """Ranks of each event's abnormal returns scaled into (0, 1), ``U_it = K_it / (M_i + 1)``.

    ``ar_combined`` has one row per event and one column per relative day of the estimation and
    event windows together; NaN marks a missing day, which gets a NaN rank and is left out of
    ``M_i`` (the number of non-missing days of event ``i``), as in Corrado & Zivney (1992) and
    Cowan (1992). Ties get their average rank.
    """
    ar_combined = np.asarray(ar_combined, dtype=float)
    available = np.isfinite(ar_combined).sum(axis=1, keepdims=True)
    return average_ranks(ar_combined) / (available + 1.0)


def centred_ranks(ar_combined: np.ndarray, *, out: np.ndarray | None = None) -> np.ndarray:
    """``U_it - 1/2``: :func:`standardized_ranks` centred on their null mean, NaN where missing.

    The same numbers as ``standardized_ranks(ar_combined) - 0.5`` (the same operations on each
    cell), computed in blocks of rows with the scaling done before the scatter, so that
    thousands of events are ranked in a few cache-friendly passes. ``out``, a C-contiguous
    float array of the same shape, receives the result when given.
    """
    ar_combined = np.asarray(ar_combined, dtype=float)
    if out is None:
        out = np.empty(ar_combined.shape)  # C order: _scatter writes through a flat view
    elif out.shape != ar_combined.shape or not out.flags.c_contiguous:
        raise ValueError(f"out must be C-contiguous with shape {ar_combined.shape}")
    for start in range(0, ar_combined.shape[0], _RANK_BLOCK_ROWS):
        block = ar_combined[start:start + _RANK_BLOCK_ROWS]
        if block.shape[1] == 0:
            break
        flat_order, ordered, swapped = _ordinal_order(block)
        missing = np.isnan(block)
        available = np.count_nonzero(np.isfinite(block), axis=1)[:, None]
        scaled = _ranks_in_order(ordered, swapped) / (available + 1.0) - _NULL_RANK
        # NaN sorts last: the sorted positions past a row's non-NaN cells hold its missing days
        present = block.shape[1] - np.count_nonzero(missing, axis=1)[:, None]
        scaled[np.arange(block.shape[1])[None, :] >= present] = np.nan
        _scatter(flat_order, scaled, out[start:start + _RANK_BLOCK_ROWS])
    return out


def corrado_rank_tests(ar_combined: np.ndarray, test_sets, *,
                       centred: np.ndarray | None = None) -> list[tuple[float, float, int]]:
    """:func:`corrado_rank` for several sets of tested days, ranking once.

    Parameters
    ----------
    ar_combined : array of float, shape (N, T + L)
        Abnormal returns of each event over the estimation and event windows (NaN = missing).
    test_sets : sequence of sequences of int
        Column positions of the tested days, one set per test.
    centred : array of float, shape (N, T + L), optional
        ``centred_ranks(ar_combined)`` when already computed.

    Returns
    -------
    list of (statistic, p_value, n)
        One entry per test set, as :func:`corrado_rank` gives it.
    """
    ar_combined = np.asarray(ar_combined, dtype=float)
    n = ar_combined.shape[0]
    test_sets = [np.asarray(columns, dtype=int) for columns in test_sets]
    if n == 0:
        return [(float("nan"), float("nan"), n) for _ in test_sets]
    centred = centred_ranks(ar_combined) if centred is None else centred
    observed = np.isfinite(centred)
    count = observed.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        kbar = np.where(observed, centred, 0.0).sum(axis=0) / count
    seen = count > 0  # a day no event observes carries no information (and kbar 0/0)
    # Kolari & Pynnönen (2011): a day's mean rank over n_t < N events varies N/n_t times more,
    # so each day's kbar^2 is weighted by n_t / N to estimate the all-events variance
    spread = np.sqrt(np.mean((count[seen] / n) * kbar[seen] ** 2))
    out = []
    for columns in test_sets:
        if columns.size == 0:
            out.append((float("nan"), float("nan"), n))
            continue
        with np.errstate(divide="ignore", invalid="ignore"):
            stat = kbar[columns].sum() / (np.sqrt(columns.size) * spread)
        out.append((float(stat), float(_two_sided_normal(stat)), n))
    return out


def corrado_rank(ar_combined: np.ndarray, test_columns: np.ndarray | list[int], *,
                 ranks: np.ndarray | None = None) -> tuple[float, float, int]:
    """Corrado (1989) rank test, for one day or (Cowan 1992) for a window of days.

    With ``U_it`` the standardized ranks of :func:`standardized_ranks`, ``n_t`` the number of
    events observed on relative day ``t`` (of ``N``) and ``Kbar_t = mean_i (U_it - 1/2)`` over
    those events::

        S = sqrt( mean_t (n_t / N) Kbar_t^2 )  over the days of estimation + event window
                                               that at least one event observes
        T = sum_{t in D} Kbar_t / (sqrt(|D|) * S)

    where ``D`` are the tested days (``|D| = 1`` gives Corrado's day-0 test). The weights
    ``n_t / N`` are those of Kolari & Pynnönen (2011, J. Empirical Finance 18(5), "Nonparametric
    rank tests for event studies"): a day's mean over fewer events is noisier, and unweighted it
    would inflate ``S`` (deflate the test) whenever events have missing days; with no missing
    day every weight is 1 and this is Corrado's (1989) ``S``. Days observed by no event are
    left out of the mean (their weight would be 0 and would only shrink ``S``). The tested days
    are not reweighted. Asymptotically standard normal; insensitive to skewed, fat-tailed
    abnormal returns.

    Parameters
    ----------
    ar_combined : array of float, shape (N, T + L)
        Abnormal returns of each event over the estimation and event windows (NaN = missing).
    test_columns : sequence of int
        Column positions in ``ar_combined`` of the tested days.
    ranks : array of float, shape (N, T + L), optional
        ``standardized_ranks(ar_combined)`` when already computed (ranking is the costly step).
    """
    centred = None if ranks is None else np.asarray(ranks, dtype=float) - _NULL_RANK
    return corrado_rank_tests(ar_combined, [test_columns], centred=centred)[0]


def generalized_sign_z(car: np.ndarray, ar_estimation: np.ndarray) -> tuple[float, float, int]:
    """Generalized sign test of Cowan (1992).

    The expected fraction of positive CARs is not 1/2 but the estimation-window fraction of
    positive abnormal returns, ``p_hat = mean_i (1/T_i) sum_t 1[AR_it > 0]``. With ``w`` the
    number of events whose CAR is positive::

        Z = (w - N p_hat) / sqrt(N p_hat (1 - p_hat))

    standard normal under the null.

    Parameters
    ----------
    car : array of float, shape (N,)
    ar_estimation : array of float, shape (N, T)
        Estimation-window abnormal returns (residuals), NaN for dropped days.
    """
    car = np.asarray(car, dtype=float)
    ar_estimation = np.asarray(ar_estimation, dtype=float)
    n = car.size
    if n == 0:
        return float("nan"), float("nan"), 0
    # NaN (a dropped day) compares False, so it never counts as positive
    positive_share = (np.count_nonzero(ar_estimation > 0, axis=1)
                      / np.count_nonzero(np.isfinite(ar_estimation), axis=1))
    p_hat = positive_share.mean()
    winners = float(np.sum(car > 0))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (winners - n * p_hat) / np.sqrt(n * p_hat * (1.0 - p_hat))
    return float(z), float(_two_sided_normal(z)), n
