#!/usr/bin/env python3
"""Reference models for `swift run -c release RecipesBenchmark quality|speed`, on exactly the same data.

    reference.py quality --folds FOLDS.json [--threads T]
        FOLDS.json is written by the Swift side (`RecipesBenchmark folds` writes one too): the dense events and,
        per fold, each held-out user's input and truth items. Prints one JSON object per model with the mean over
        the folds of NDCG@10, precision@10, coverage (top 25), recall@20 and the fit time, computed exactly as
        Recipes' OfflineMetrics does.
    reference.py speed --matrix MATRIX.bin [--factors F] [--iterations I] [--threads T]
        MATRIX.bin: int64 rows, cols, nnz, then int64 row pointers (rows + 1), int32 columns, float32 values
        (a users x items CSR). Trains implicit's ALS and prints its wall and CPU seconds as JSON.

Models: `implicit`'s ALS (pip install implicit; conjugate gradient, 3 steps, as ours) with the held-out users
folded in by `recalculate_user=True`, and EASE (Steck 2019, lambda 250) in numpy.
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import scipy.sparse as sp
from threadpoolctl import threadpool_limits


def metrics(lists, fold, items):
    """Recipes' OfflineMetrics: NDCG@10 with the ideal gain of min(|truth|, 10) hits, coverage of top 25."""
    ndcg, precision, recall, covered = [], [], [], set()
    for ranked, user in zip(lists, fold):
        truth = set(user["truth"])
        hits = [item in truth for item in ranked[:25]]
        covered.update(ranked[:25])
        ideal = sum(1 / np.log2(2 + k) for k in range(min(len(truth), 10)))
        ndcg.append(sum(1 / np.log2(2 + k) for k, hit in enumerate(hits[:10]) if hit) / ideal)
        precision.append(sum(hits[:10]) / 10)
        recall.append(sum(hits[:20]) / min(20, len(truth)))
    return np.array([np.mean(ndcg), np.mean(precision), len(covered) / items, np.mean(recall)])


def top25(scores, excluded):
    """The 25 best items, ties broken by the lower index, as Recipes' TopK does."""
    scores = np.asarray(scores, dtype=np.float64).copy()
    scores[list(excluded)] = -np.inf
    candidates = np.argpartition(-scores, 25)[:25]
    return candidates[np.lexsort((candidates, -scores[candidates]))].tolist()


def training_matrix(users, items, events, fold):
    test = np.array([user["user"] for user in fold], dtype=np.int64)
    kept = events[~np.isin(events[:, 0], test)]
    matrix = sp.csr_matrix(
        (np.ones(len(kept), dtype=np.float32), (kept[:, 0], kept[:, 1])), shape=(users, items))
    matrix.sum_duplicates()
    matrix.data[:] = 1
    return matrix


def input_matrix(fold, items):
    rows = [np.full(len(user["input"]), k) for k, user in enumerate(fold)]
    columns = [np.array(user["input"], dtype=np.int64) for user in fold]
    matrix = sp.csr_matrix(
        (np.ones(sum(map(len, columns)), dtype=np.float32), (np.concatenate(rows), np.concatenate(columns))),
        shape=(len(fold), items))
    matrix.sum_duplicates()
    matrix.data[:] = 1
    return matrix


class EASE:
    """Embarrassingly shallow autoencoder: B = I - P diagMat(1 / diag(P)), P = (XᵀX + λI)⁻¹."""

    name = "EASE (numpy, λ=250)"

    def __init__(self, regularization=250.0):
        self.regularization = regularization

    def fit(self, matrix, threads):
        gram = (matrix.T @ matrix).toarray().astype(np.float64)
        gram[np.diag_indices_from(gram)] += self.regularization
        inverse = np.linalg.inv(gram)
        self.weights = inverse / (-np.diag(inverse))
        self.weights[np.diag_indices_from(self.weights)] = 0

    def recommend(self, fold, items):
        return [top25(self.weights[user["input"]].sum(0), set(user["input"])) for user in fold]


class ImplicitALS:
    """benfred/implicit's ALS; the held-out users are folded in from their input by recalculate_user."""

    def __init__(self, factors=64, iterations=15, regularization=0.1, alpha=2.0):
        self.options = dict(factors=factors, iterations=iterations, regularization=regularization, alpha=alpha)
        self.name = f"implicit ALS (f={factors}, λ={regularization}, α={alpha}, {iterations} it)"

    def fit(self, matrix, threads):
        from implicit.cpu.als import AlternatingLeastSquares

        self.model = AlternatingLeastSquares(
            **self.options, use_cg=True, calculate_training_loss=False, num_threads=threads, random_state=42)
        with threadpool_limits(1, "blas"):
            self.model.fit(matrix, show_progress=False)

    def recommend(self, fold, items):
        inputs = input_matrix(fold, items)
        with threadpool_limits(1, "blas"):
            ids, _ = self.model.recommend(
                np.arange(len(fold)), inputs, N=25, filter_already_liked_items=True, recalculate_user=True)
        return [list(map(int, row)) for row in ids]


def quality(arguments):
    with open(arguments.folds) as file:
        data = json.load(file)
    users, items = data["users"], data["items"]
    events = np.array(data["events"], dtype=np.int64).reshape(-1, 2)
    # implicit's library defaults (λ 0.01, α 1) at 64 factors, and the best of a small grid on these folds
    # (λ ∈ {0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10}, α ∈ {1, 2, 5, 10}); EASE at the λ its paper and the issue use.
    models = [ImplicitALS(regularization=0.01, alpha=1.0), ImplicitALS(regularization=0.1, alpha=2.0), EASE()]
    results = []
    for model in models:
        totals, fit_seconds = np.zeros(4), 0.0
        for fold in data["folds"]:
            matrix = training_matrix(users, items, events, fold)
            start = time.perf_counter()
            model.fit(matrix, arguments.threads)
            fit_seconds += time.perf_counter() - start
            totals += metrics(model.recommend(fold, items), fold, items)
        mean = totals / len(data["folds"])
        results.append(dict(
            name=model.name, ndcg_at_10=mean[0], precision_at_10=mean[1], coverage=mean[2], recall_at_20=mean[3],
            fit_seconds=fit_seconds / len(data["folds"])))
    json.dump(results, sys.stdout)
    print()


def read_matrix(path):
    raw = open(path, "rb").read()
    rows, cols, nnz = np.frombuffer(raw, dtype=np.int64, count=3)
    offset = 24
    pointers = np.frombuffer(raw, dtype=np.int64, count=rows + 1, offset=offset)
    offset += 8 * (rows + 1)
    columns = np.frombuffer(raw, dtype=np.int32, count=nnz, offset=offset)
    offset += 4 * nnz
    values = np.frombuffer(raw, dtype=np.float32, count=nnz, offset=offset)
    return sp.csr_matrix((values, columns, pointers), shape=(rows, cols))


def speed(arguments):
    from implicit.cpu.als import AlternatingLeastSquares

    matrix = read_matrix(arguments.matrix)
    model = AlternatingLeastSquares(
        factors=arguments.factors, iterations=arguments.iterations, regularization=0.05, alpha=2.0,
        use_cg=True, calculate_training_loss=False, num_threads=arguments.threads, random_state=42)
    wall, cpu = time.perf_counter(), time.process_time()
    with threadpool_limits(1, "blas"):
        model.fit(matrix, show_progress=False)
    result = dict(
        name="implicit ALS", wall_seconds=time.perf_counter() - wall, cpu_seconds=time.process_time() - cpu)
    json.dump(result, sys.stdout)
    print()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    quality_parser = commands.add_parser("quality")
    quality_parser.add_argument("--folds", required=True)
    quality_parser.add_argument("--threads", type=int, default=0)
    speed_parser = commands.add_parser("speed")
    speed_parser.add_argument("--matrix", required=True)
    speed_parser.add_argument("--factors", type=int, default=64)
    speed_parser.add_argument("--iterations", type=int, default=15)
    speed_parser.add_argument("--threads", type=int, default=0)
    arguments = parser.parse_args()
    if arguments.threads == 0:
        arguments.threads = os.cpu_count() or 1
    quality(arguments) if arguments.command == "quality" else speed(arguments)


if __name__ == "__main__":
    main()
