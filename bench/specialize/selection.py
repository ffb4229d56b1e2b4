#!/usr/bin/env python3
"""Selections usable at inference time over a stored run, next to the oracle (coverage):

    selection.py STORE RUN [--ks 1,2,4,...]

For each k (the first k samples of every problem, in sample order) prints, as a Markdown table:
  coverage    share of problems with at least one correct sample (the oracle grader; the unbiased pass@k
              estimator gives the same curve in expectation, this is the first-k count);
  maj@k       the most frequent extracted answer (ties to the first seen; samples with no answer do not vote);
  calc@k      a verifier that needs no reference answer: the first sample whose every GSM8K calculator step
              <<a op b=c>> is right, whose steps each start from the previous result or a number of the
              question, and whose answer after '#### ' equals the last step's result; none passing -> the first
              sample.
Reads the store read-only (sqlite3 from Python's standard library).
"""
import argparse
import collections
import re
import sqlite3
import json

STEP = re.compile(r"<<(\d+)([-+*/])(\d+)=(\d+)>>(\d+)")
FINAL = re.compile(r"#### (-?[\d,]+)")


def calculator_ok(text, question):
    steps = STEP.findall(text)
    final = FINAL.search(text)
    if not steps or not final:
        return False
    known = set(re.findall(r"\d+", question))
    # "doubles" and "triples" state their factor in words.
    known |= {"2"} if "doubles" in question else set()
    known |= {"3"} if "triples" in question else set()
    previous = None
    for a, op, b, c, shown in steps:
        x, y, z = int(a), int(b), int(c)
        expected = {"+": x + y, "-": x - y, "*": x * y, "/": x // y if y and x % y == 0 else None}[op]
        if expected != z or shown != c:
            return False
        # Each operand is a number of the question or a result computed before.
        if a not in known or b not in known:
            return False
        known.add(c)
        previous = c
    return final.group(1).replace(",", "") == previous


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store")
    parser.add_argument("run")
    parser.add_argument("--ks", default="1,2,4,8,16,32,64")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    ks = [int(k) for k in args.ks.split(",")]
    db = sqlite3.connect(f"file:{args.store}?mode=ro", uri=True)
    questions = {}
    for problem, prompt in db.execute("SELECT problem_id, prompt_json FROM problems WHERE run_id = ?", (args.run,)):
        questions[problem] = " ".join(m.get("content", "") for m in json.loads(prompt))
    samples = collections.defaultdict(list)
    for problem, index, text, answer, correct in db.execute(
            "SELECT problem_id, sample_index, text, answer, correct FROM samples WHERE run_id = ? ORDER BY problem_id, sample_index", (args.run,)):
        samples[problem].append((text, answer, bool(correct)))
    rows = []
    for k in ks:
        if any(len(s) < k for s in samples.values()):
            break
        coverage = maj = calc = 0
        for problem, drawn in samples.items():
            first = drawn[:k]
            coverage += any(c for _, _, c in first)
            votes = collections.Counter(a for _, a, _ in first if a not in (None, "", "[invalid]"))
            if votes:
                top = max(votes.values())
                winner = next(a for _, a, _ in first if votes.get(a) == top)
                maj += next(c for _, a, c in first if a == winner)
            chosen = next((s for s in first if calculator_ok(s[0], questions.get(problem, ""))), first[0])
            calc += chosen[2]
        n = len(samples)
        rows.append({"k": k, "problems": n, "coverage": coverage / n, "maj": maj / n, "calc": calc / n})
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    print("| k | coverage (oracle) | maj@k | calc@k (reference-free verifier) |")
    print("|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['k']} | {r['coverage']:.1%} | {r['maj']:.1%} | {r['calc']:.1%} |")


if __name__ == "__main__":
    main()
