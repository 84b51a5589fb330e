#!/usr/bin/env python3
"""Compares two reference suites of the same prompts (an existing one and one made again), case by case.

    python3 scripts/compare_references.py ../shared/reference/suite-dev.json out/ref/dev.json --tolerance 1e-5

For every case of the first suite, the second must hold the same id with equal input ids, equal greedy
output ids, and at every step the first suite's top logits (its k ids) within --tolerance in the second
(found by id among the second's top ids); beam references, where both have one, must have equal output ids
and scores within --tolerance. Prints one line per difference and a summary; exits 1 when any differs.
Needs nothing but Python.
"""
import argparse
import json
import sys


def load(path):
    try:
        suite = json.load(open(path))
        return suite, {c["id"]: c for c in suite["cases"]}
    except (OSError, ValueError, KeyError, TypeError) as e:
        sys.exit(f"compare_references.py: {path}: not a reference suite: {e}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("expected")
    ap.add_argument("actual")
    ap.add_argument("--tolerance", type=float, default=1e-5)
    args = ap.parse_args()
    expected, _ = load(args.expected)
    _, actual = load(args.actual)
    problems = []
    steps = logits = beams = 0
    worst = worst_beam = 0.0
    for case in expected["cases"]:
        cid = case["id"]
        mine = actual.get(cid)
        if mine is None:
            problems.append(f"{cid}: missing")
            continue
        want, got = case["greedy"], mine["greedy"]
        if want["input_ids"] != got["input_ids"]:
            problems.append(f"{cid}: input ids differ")
            continue
        if want["output_ids"] != got["output_ids"]:
            k = next((i for i, (a, b) in enumerate(zip(want["output_ids"], got["output_ids"])) if a != b),
                     min(len(want["output_ids"]), len(got["output_ids"])))
            margin = want["steps"][k]["top_logits"][0] - want["steps"][k]["top_logits"][1] if k < len(want["steps"]) else float("nan")
            problems.append(f"{cid}: output ids differ from step {k} (expected top-1/top-2 margin {margin:.3g})")
        for s, (ws, gs) in enumerate(zip(want["steps"], got["steps"])):
            steps += 1
            at = dict(zip(gs["top_ids"], gs["top_logits"]))
            for token, value in zip(ws["top_ids"], ws["top_logits"]):
                logits += 1
                if token not in at:
                    problems.append(f"{cid}: step {s}: id {token} not among the top {len(gs['top_ids'])}")
                    continue
                error = abs(at[token] - value)
                worst = max(worst, error)
                if error > args.tolerance:
                    problems.append(f"{cid}: step {s}: id {token} logit {at[token]} vs {value} (error {error:.2g})")
        if "beam4" in case and "beam4" in mine:
            beams += 1
            if case["beam4"]["output_ids"] != mine["beam4"]["output_ids"]:
                problems.append(f"{cid}: beam output ids differ")
            error = abs(case["beam4"]["sequence_score"] - mine["beam4"]["sequence_score"])
            worst_beam = max(worst_beam, error)
            if error > args.tolerance:
                problems.append(f"{cid}: beam score error {error:.2g}")
    for p in problems:
        print(p)
    print(f"{args.actual} against {args.expected}: {len(expected['cases'])} cases, {steps} steps, {logits} logits "
          f"(max error {worst:.3g}), {beams} beams (max score error {worst_beam:.3g}): "
          f"{'SAME' if not problems else f'{len(problems)} differences'} (tolerance {args.tolerance:g})")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
