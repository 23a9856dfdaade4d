"""Calibration: raw evidence in, probabilities and a 0-100 score out.

Three small models, fitted on the labelled dev set by `bench/bench_feedback.py fit`
and stored in `calibration.json` beside this file (coefficients, feature scaling and
thresholds; nothing is hard-coded here):

* **point** — P(an expected point is covered): a logistic regression over the coach
  model's verdict (as a logit), the best sentence's embedding similarity, the lexical
  overlap, the on-topic verdict and the answer's length per expected point. The length
  enters as a hinge at the knot (the fitting set's median words per expected point): one
  slope below it and one above, so that the many long answers do not set how hard a
  short answer is judged. With a single slope a 30-word answer to a 5-point question
  lost every point, whatever the model said (`talentsync grade python/shallow-vs-deep-copy`
  gave 3/100 to a correct two-sentence answer).
* **real** — P(the answer is a real, on-topic attempt): logistic regression over the
  on-topic verdict, the answer's similarity to the question and to its rivals, its
  length and the point verdicts; fitted per kind of question like the point model
  (`real_star`, `real_plain`; `real` pooled is the fallback). The score's coverage is
  P(real) × the mean point probability.

Each comes in three tiers, by what evidence exists: `coach` (model verdicts and
embeddings), `quick` (embeddings only: the quick check shown before the verdicts
arrive) and `lexical` (neither: AI switched off). A feature that is missing at run
time counts as its training mean, i.e. it moves nothing.
* **score** — the 0-100 score: non-negative least squares of the coach's 1-5 grade on
  calibrated coverage, STAR, specificity, length and timing, rescaled to 0-100.

The point model is fitted three times: for STAR (behavioral, situational) questions
(`point_star`), for the others (`point_plain`), and pooled (`point`, the fallback for a
file without the other two). Stories are told in other words than technical answers, and
the dev set's concise stories (60-120 words) were judged by the pooled model as if a
strong story had to be long. Each threshold is the lowest whose Cohen's kappa on its own
fitting points is within one standard error of the best (`_best_threshold` says why).
Applying a fit is a dot product and a sigmoid: no library needed at run time.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from talentsync_tui.feedback.evidence import Evidence, PointEvidence
from talentsync_tui.feedback.star import STAR_PARTS, STAR_TYPES

CALIBRATION_FILE = Path(__file__).with_name("calibration.json")
VERSION = 1

TIERS = ("coach", "quick", "lexical")
"""coach: model verdicts + embeddings; quick: embeddings, no model; lexical: neither."""
POINT_FEATURES = {
    "coach": ["model_logit", "similarity", "lexical", "on_topic_logit", "length_below_knot", "length_above_knot"],
    "quick": ["similarity", "lexical", "length_below_knot", "length_above_knot"],
    "lexical": ["lexical", "length_below_knot", "length_above_knot"],
}
REAL_FEATURES = {
    "coach": ["on_topic_logit", "question_similarity", "topic_margin", "log_words",
              "best_point_model_logit", "mean_point_model_logit", "best_point_similarity"],
    "quick": ["question_similarity", "topic_margin", "best_point_similarity", "log_words"],
    "lexical": ["question_lexical", "best_point_lexical", "log_words"],
}
SCORE_FEATURES = ["coverage", "star", "specificity", "length", "timing"]



def _logit(p: float | None) -> float:
    if p is None:
        return 0.0
    p = min(1 - 1e-4, max(1e-4, float(p)))
    return math.log(p / (1 - p))


def _sigmoid(x: float) -> float:
    x = max(-60.0, min(60.0, x))
    return 1.0 / (1.0 + math.exp(-x))


# -- features -------------------------------------------------------------------------------


def _opt_logit(p: float | None) -> float | None:
    return None if p is None else _logit(p)


DEFAULT_KNOT_WORDS = 23.0
"""Words per expected point where the length hinge bends, when a fit does not say (the
median of the dev set's answers)."""


def point_features(point: PointEvidence, evidence: Evidence,
                   knot_words: float = DEFAULT_KNOT_WORDS) -> dict[str, float | None]:
    n_points = max(1, len(evidence.points))
    length = math.log1p(evidence.word_count / n_points) - math.log1p(knot_words)
    return {
        "model_logit": _opt_logit(point.model),
        "correct_logit": _opt_logit(point.correct),
        "similarity": point.similarity,
        "lexical": float(point.lexical),
        "on_topic_logit": _opt_logit(evidence.on_topic),
        "length_below_knot": min(0.0, length),
        "length_above_knot": max(0.0, length),
    }


def answer_features(evidence: Evidence) -> dict[str, float | None]:
    sims = [p.similarity for p in evidence.points if p.similarity is not None]
    models = [_logit(p.model) for p in evidence.points if p.model is not None]
    return {
        "on_topic_logit": _opt_logit(evidence.on_topic),
        "question_similarity": evidence.question_similarity,
        "question_lexical": float(evidence.question_lexical),
        "topic_margin": evidence.topic_margin,
        "log_words": math.log1p(evidence.word_count),
        "best_point_similarity": max(sims) if sims else None,
        "best_point_lexical": max((p.lexical for p in evidence.points), default=0.0),
        "best_point_model_logit": max(models) if models else None,
        "mean_point_model_logit": sum(models) / len(models) if models else None,
    }


def tier(evidence: Evidence, *, quick: bool) -> str:
    """Which calibration applies: what evidence is there."""
    if not quick and evidence.on_topic is not None:
        return "coach"
    return "quick" if evidence.question_similarity is not None else "lexical"


# -- applying a fit -------------------------------------------------------------------------------


def _apply(model: dict[str, Any], features: dict[str, float | None]) -> float:
    total = float(model["intercept"])
    for name, coef, mean, scale in zip(model["features"], model["coef"], model["mean"], model["scale"]):
        value = features.get(name)
        if value is None:
            continue  # missing evidence: the training mean, which adds nothing
        total += coef * (value - mean) / (scale or 1.0)
    return _sigmoid(total)


def load(path: Path | None = None) -> dict[str, Any]:
    return _load(str(path or CALIBRATION_FILE))


@lru_cache(maxsize=4)
def _load(path: str) -> dict[str, Any]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if data.get("version") != VERSION:
        raise ValueError(f"{path}: calibration version {data.get('version')} (expected {VERSION})")
    return data


def save(params: dict[str, Any], path: Path | None = None) -> None:
    target = path or CALIBRATION_FILE
    target.write_text(json.dumps(params, indent=1) + "\n", encoding="utf-8")
    _load.cache_clear()


def _kind_model(params: dict[str, Any], group: str, evidence: Evidence, *, quick: bool,
                star_question: bool | None) -> dict[str, Any]:
    """`group` ("point" or "real")'s model for this kind of question (STAR or not) when the fit
    has one (`point_star`, `real_plain`, ...), else the pooled one."""
    name = tier(evidence, quick=quick)
    if star_question is not None:
        own = (params.get(f"{group}_{'star' if star_question else 'plain'}") or {}).get(name)
        if own is not None:
            return own
    return params[group][name]


def point_probability(params: dict[str, Any], point: PointEvidence, evidence: Evidence,
                      *, quick: bool, star_question: bool | None = None) -> float:
    model = _kind_model(params, "point", evidence, quick=quick, star_question=star_question)
    return _apply(model, point_features(point, evidence, model.get("knot_words", DEFAULT_KNOT_WORDS)))


def point_threshold(params: dict[str, Any], evidence: Evidence, *, quick: bool,
                    star_question: bool | None = None) -> float:
    """The probability above which a point counts as covered: each kind of question's own
    model and threshold when the fit has them (STAR stories are told in other words than
    technical answers), else the pooled model's per-kind or overall threshold."""
    model = _kind_model(params, "point", evidence, quick=quick, star_question=star_question)
    if star_question is not None:
        key = "threshold_star" if star_question else "threshold_plain"
        if key in model:  # only the pooled model has per-kind thresholds
            return float(model[key])
    return float(model["threshold"])


def real_probability(params: dict[str, Any], evidence: Evidence, *, quick: bool,
                     star_question: bool | None = None) -> float:
    """P(a real, on-topic attempt): the model for this kind of question (STAR or not) when the
    fit has one, else the pooled one."""
    if evidence.word_count == 0:
        return 0.0
    return _apply(_kind_model(params, "real", evidence, quick=quick, star_question=star_question),
                  answer_features(evidence))


def star_value(evidence: Evidence) -> float:
    """Mean P(part present) over the STAR parts (0 when unknown)."""
    if not evidence.star:
        return 0.0
    return sum(evidence.star.get(part, 0.0) for part in STAR_PARTS) / len(STAR_PARTS)


def score_from(params: dict[str, Any], components: dict[str, float], *, star_question: bool) -> float:
    """0-100 from the components with the fitted non-negative weights (separate for STAR questions)."""
    model = params["score_star" if star_question else "score_plain"]
    grade = model["intercept"] + sum(w * components.get(name, 0.0)
                                     for name, w in zip(model["features"], model["coef"]))
    return max(0.0, min(100.0, (grade - 1.0) / 4.0 * 100.0))


# -- fitting (bench/bench_feedback.py; needs scikit-learn and scipy) ------------------------------


def _fit_logistic(rows: list[dict[str, float | None]], labels: list[bool], names: list[str]) -> dict[str, Any]:
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    x = np.array([[row[n] if row[n] is not None else np.nan for n in names] for row in rows], dtype=float)
    column_means = np.nanmean(x, axis=0)
    x = np.where(np.isnan(x), column_means, x)
    y = np.array(labels, dtype=int)
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=1.0, max_iter=1000)
    model.fit((x - mean) / scale, y)
    return {"features": names, "coef": [round(float(c), 5) for c in model.coef_[0]],
            "intercept": round(float(model.intercept_[0]), 5),
            "mean": [round(float(m), 5) for m in mean], "scale": [round(float(s), 5) for s in scale]}


def _best_threshold(probs: Sequence[float], labels: Sequence[bool], *, resamples: int = 200) -> float:
    """The threshold for "covered": the lowest one whose kappa is within one standard error
    of the best kappa on the fitting points.

    Between thresholds the data cannot tell apart (the kappa curve is flat over a wide band:
    0.55-0.58 for STAR points from 0.40 to 0.69), the lowest one is taken because the two
    errors are not alike for a candidate. A point wrongly called missed contradicts what they
    said and sends them to "add" what is already there (the complaint this coach was built
    to fix); a point wrongly called covered is a generous reading. Taking the single best
    kappa also overfits: cross-validated by question it agrees less with the coach
    (bench/bench_feedback.py report). The standard error is a seeded bootstrap of the
    kappa at the best threshold, so a refit is repeatable.
    """
    import random
    import statistics

    grid = [step / 100 for step in range(20, 81)]
    kappas = [_kappa([p >= t for p in probs], labels) for t in grid]
    best = max(range(len(grid)), key=lambda i: kappas[i])
    n = len(probs)
    if n < 2:
        return grid[best]
    rng = random.Random(0)
    boot = []
    for _ in range(resamples):
        sample = [rng.randrange(n) for _ in range(n)]
        boot.append(_kappa([probs[i] >= grid[best] for i in sample], [labels[i] for i in sample]))
    floor = kappas[best] - statistics.pstdev(boot)
    return min(t for t, k in zip(grid, kappas) if k >= floor)


def _kappa(pred: Sequence[bool], gold: Sequence[bool]) -> float:
    n = len(pred)
    if not n:
        return 0.0
    agree = sum(p == g for p, g in zip(pred, gold)) / n
    p1 = sum(pred) / n
    g1 = sum(gold) / n
    chance = p1 * g1 + (1 - p1) * (1 - g1)
    return (agree - chance) / (1 - chance) if chance < 1 else 0.0


REAL_KINDS_NOT = frozenset({"off_topic", "non_answer"})


def _by_kind(rows: list[Any], labels: list[bool], star: list[bool]) -> Iterator[tuple[str, list[Any], list[bool]]]:
    """`(kind, rows, labels)` for STAR questions ("star") and the rest ("plain"), each kind
    that has both labels (a model needs both to fit)."""
    for kind, flag in (("star", True), ("plain", False)):
        rows_k = [r for r, s in zip(rows, star) if s == flag]
        labels_k = [y for y, s in zip(labels, star) if s == flag]
        if len(set(labels_k)) == 2:
            yield kind, rows_k, labels_k


def fit(rows: Sequence[tuple[dict, Evidence, Any]]) -> dict[str, Any]:
    """Fit every model from `(case, evidence, question)` rows of the labelled dev set."""
    from scipy.optimize import nnls
    import numpy as np

    from talentsync_tui.feedback.scoring import components_for

    params: dict[str, Any] = {"version": VERSION}
    knot = round(float(np.median([ev.word_count / max(1, len(ev.points)) for _, ev, _ in rows])), 2)
    p_rows, p_labels, p_star = [], [], []
    for case, ev, q in rows:
        for point in ev.points:
            p_rows.append(point_features(point, ev, knot))
            p_labels.append(point.index in case["covered"])
            p_star.append(q.type in STAR_TYPES)
    a_rows = [answer_features(ev) for _, ev, _ in rows]
    a_labels = [case["kind"] not in REAL_KINDS_NOT for case, _, _ in rows]
    a_star = [q.type in STAR_TYPES for _, _, q in rows]
    params["point"], params["real"] = {}, {}
    for name in TIERS:
        model = _fit_logistic(p_rows, p_labels, POINT_FEATURES[name])
        probs = [_apply(model, r) for r in p_rows]
        model["threshold"] = _best_threshold(probs, p_labels)
        for key, flag in (("threshold_star", True), ("threshold_plain", False)):
            group = [(p, y) for p, y, s in zip(probs, p_labels, p_star) if s == flag]
            if group:
                model[key] = _best_threshold([p for p, _ in group], [y for _, y in group])
        model["knot_words"] = knot
        params["point"][name] = model
        for kind, rows_k, labels_k in _by_kind(p_rows, p_labels, p_star):  # each kind's own model
            own = _fit_logistic(rows_k, labels_k, POINT_FEATURES[name])
            own["threshold"] = _best_threshold([_apply(own, r) for r in rows_k], labels_k)
            own["knot_words"] = knot
            own["points"] = len(rows_k)
            params.setdefault(f"point_{kind}", {})[name] = own
        params["real"][name] = _fit_logistic(a_rows, a_labels, REAL_FEATURES[name])
        for kind, rows_k, labels_k in _by_kind(a_rows, a_labels, a_star):
            own = _fit_logistic(rows_k, labels_k, REAL_FEATURES[name])
            own["answers"] = len(rows_k)
            params.setdefault(f"real_{kind}", {})[name] = own
    for name, star_flag in (("score_star", True), ("score_plain", False)):
        xs, ys = [], []
        for case, ev, q in rows:
            if (q.type in STAR_TYPES) != star_flag:
                continue
            comps = components_for(q, case["answer"], case.get("seconds", q.expected_seconds), ev, params,
                                   quick=False)
            xs.append([1.0] + [comps[n] for n in SCORE_FEATURES])
            ys.append(float(case["grade"]))
        if not xs:
            params[name] = {"features": SCORE_FEATURES, "coef": [4.0, 0, 0, 0, 0], "intercept": 1.0}
            continue
        a = np.array(xs)
        b = np.array(ys)
        # Non-negative weights: more coverage, structure or specificity never lowers a score.
        # The intercept column is shifted so it may be negative: grade - 1 >= 0 is what is fitted.
        coef, _ = nnls(a[:, 1:], b - 1.0)
        params[name] = {"features": SCORE_FEATURES, "coef": [round(float(c), 5) for c in coef],
                        "intercept": 1.0, "answers": len(xs)}
    return params
