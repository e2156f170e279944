#!/usr/bin/env python3
"""Redraws a dfl run, and optionally a sweep, with NumPy, pandas and matplotlib alone.

    dfl run examples/first.dfl.json --out first.json
    dfl export first.json --npy first-npy
    python3 examples/plot_run.py first-npy --out first.png
    python3 examples/plot_run.py first-npy --sweep SWEEP_DIR/summary.csv --out both.png

The run: the effective rank against the step with the predicted intervals shaded and the
measured epsilon-runs marked, and the singular values (files of docs/replay.md). The sweep
(summary.csv of `dfl sweep --out SWEEP_DIR`, docs/sweeps.md): the measured plateau length at
each L against the first axis, averaged over the other axes (pandas melts the per-L columns to
one row per run and L). Draws headless (Agg) and saves a PNG.
"""
import argparse
import json
import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402


def load_run(directory):
    """index.json and every array it names, as a dict of NumPy arrays (float64)."""
    with open(os.path.join(directory, "index.json")) as f:
        index = json.load(f)
    get = lambda name: np.load(os.path.join(directory, name))
    series = {key: get(name) for key, name in index["series"].items() if isinstance(name, str)}
    series["steps"] = get(index["files"]["steps"])
    series["sv"] = get(index["files"]["singularValues"])
    return index, series


def plateau_lengths(summary):
    """summary.csv in long form: one row per run and L with the measured plateau's length."""
    wide = summary.filter(regex=r"^(run|measured\.L\d+\.length)$")
    long = wide.melt(id_vars="run", var_name="column", value_name="length")
    long["L"] = long["column"].str.extract(r"L(\d+)", expand=False).astype(int)
    return long.drop(columns="column").merge(summary.drop(columns=wide.columns.drop("run")), on="run")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("run", help="a folder written by dfl export RESULT.json --npy DIR")
    parser.add_argument("--sweep", help="summary.csv of a sweep folder")
    parser.add_argument("--out", default="run.png", help="the PNG to write")
    args = parser.parse_args()

    index, s = load_run(args.run)
    panels = 3 if args.sweep else 2
    fig, axes = plt.subplots(1, panels, figsize=(5 * panels, 3.6))
    steps = s["steps"]
    x = np.maximum(steps, 1)  # log axis: step 0 drawn at 1

    ax = axes[0]
    ax.plot(x, s["effectiveRank"], color="black", lw=1.2, label=index["measure"] + " rank")
    for p in index["plateaus"]["predicted"]:
        ax.axvspan(max(p["start"], 1), p["end"], alpha=0.15 if p["hypothesesMet"] else 0.05, color=f"C{(p['L'] - 1) % 10}")
    for p in index["plateaus"]["measured"]:
        ax.hlines(s["targetEffectiveRanks"][p["L"] - 1], max(p["start"], 1), p["end"], colors=f"C{(p['L'] - 1) % 10}",
                  linestyles="--" if p.get("kind") == "crossing" else "-", lw=3)
    ax.set(xscale="log", xlabel="step", ylabel=index["measure"] + " rank", title="shaded: predicted; bars: measured")

    ax = axes[1]
    ax.plot(x, s["sv"][:, : min(8, s["sv"].shape[1])], lw=1)
    ax.set(xscale="log", yscale="log", xlabel="step", ylabel="singular values of W(k)", title="N = %d, n = %d" % (index["spec"]["depth"], index["spec"]["n"]))

    if args.sweep:
        summary = pd.read_csv(args.sweep)
        long = plateau_lengths(summary)
        axis = [c for c in summary.columns if c not in ("run", "hash", "file")][0]
        ax = axes[2]
        for L, group in long.groupby("L"):
            mean = group.groupby(axis)["length"].mean()
            ax.plot(mean.index, mean.values, marker="o", label=f"L = {L}")
        ax.set(xlabel=axis, ylabel="measured plateau length (steps)", title=os.path.basename(os.path.dirname(os.path.abspath(args.sweep))))
        ax.legend(fontsize=8)

    fig.tight_layout()
    fig.savefig(args.out, dpi=100)
    print(f"wrote {args.out}: {len(steps)} logged steps, {len(index['plateaus']['measured'])} measured and "
          f"{len(index['plateaus']['predicted'])} predicted plateaus" + (f", {len(summary)} sweep runs" if args.sweep else ""))


if __name__ == "__main__":
    main()
