#!/usr/bin/env python3
"""Generates the gsm-arith task: GSM8K-format multi-step arithmetic word problems.

Each problem states an amount and 2-4 changes to it (buying, giving away, bags of several items, doubling,
sharing equally); the solution writes one line per step with GSM8K's calculator annotation
(`12+12=<<12+12=24>>24`) and ends with `#### <answer>`, so the GSM8K extractor grades it and a verifier can
check every step. Splits come from fixed seeds and are disjoint by question text:

    generate_task.py OUT_DIR [--train N] [--dev N] [--test N] [--level easy|hard]

writes OUT_DIR/{train,dev,test}.jsonl with fields id, question, answer (the full solution) and final (the
number), plus OUT_DIR/train-chat.jsonl: the train split as {"messages": [user question, assistant solution]}
for `slingshot train`. Deterministic: the same arguments always give byte-identical files (Python's
random.Random is stable across versions).
"""
import argparse
import json
import os
import random

NAMES = [("Tom", "he"), ("Ann", "she"), ("Sam", "he"), ("Mia", "she"), ("Ben", "he"), ("Lily", "she"),
         ("Max", "he"), ("Zoe", "she"), ("Leo", "he"), ("Emma", "she"), ("Jack", "he"), ("Lucy", "she"),
         ("Noah", "he"), ("Ella", "she"), ("Owen", "he"), ("Ruby", "she")]
ITEMS = ["apples", "pens", "cards", "books", "eggs", "marbles", "stickers", "coins", "cookies", "shells",
         "stamps", "toys", "flowers", "rocks", "balls", "candies"]
CONTAINERS = ["bags", "boxes", "packs", "jars", "baskets"]
FRIENDS = ["friend", "brother", "sister", "teacher", "neighbor"]
# Difficulty levels: the ranges every draw comes from. "easy" keeps
# amounts under 100 and 1-3 changes (for models that cannot yet learn the first version);
# "hard" (the default, what models/gsm-arith holds) is the first version: 2-4 changes, amounts up to 199.
LEVELS = {
    "easy": dict(start=(2, 20), changes=(1, 3), add=(1, 12), sub=12, groups=((2, 5), (2, 5)), times=[2], limit=99),
    "hard": dict(start=(2, 40), changes=(2, 4), add=(2, 25), sub=25, groups=((2, 6), (2, 9)), times=[2, 3], limit=199),
}


def problem(rng, level):
    name, he = rng.choice(NAMES)
    He = he.capitalize()
    items = rng.choice(ITEMS)
    LIMIT = level["limit"]        # every amount stays in 1..LIMIT
    total = rng.randint(*level["start"])
    story = [f"{name} has {total} {items}."]
    steps = []
    changes = rng.randint(*level["changes"])
    question = f"How many {items} does {name} have now?"
    for index in range(changes):
        last = index == changes - 1
        kinds = ["add", "sub", "groups", "times"]
        divisors = [d for d in range(2, 7) if total % d == 0 and total // d >= 1]
        if last and divisors:
            kinds.append("share")
        for _ in range(20):
            kind = rng.choice(kinds)
            if kind == "add":
                b = rng.randint(*level["add"])
                if total + b > LIMIT:
                    continue
                story.append(f"Then {he} buys {b} more.")
                steps.append(f"After buying {b} more {he} has {total}+{b}=<<{total}+{b}={total + b}>>{total + b} {items}.")
                total += b
            elif kind == "sub":
                if total < 3:
                    continue
                b = rng.randint(1, min(level["sub"], total - 1))
                friend = rng.choice(FRIENDS)
                story.append(f"{He} gives {b} to {'his' if he == 'he' else 'her'} {friend}.")
                steps.append(f"After giving {b} away {he} has {total}-{b}=<<{total}-{b}={total - b}>>{total - b} {items}.")
                total -= b
            elif kind == "groups":
                g, c = rng.randint(*level["groups"][0]), rng.randint(*level["groups"][1])
                if total + g * c > LIMIT:
                    continue
                container = rng.choice(CONTAINERS)
                story.append(f"{He} gets {g} {container} with {c} {items} in each.")
                steps.append(f"The {container} hold {g}*{c}=<<{g}*{c}={g * c}>>{g * c} {items}.")
                steps.append(f"Now {he} has {total}+{g * c}=<<{total}+{g * c}={total + g * c}>>{total + g * c} {items}.")
                total += g * c
            elif kind == "times":
                k = rng.choice(level["times"])
                if total * k > LIMIT:
                    continue
                story.append(f"Then {he} {'doubles' if k == 2 else 'triples'} the number of {items}.")
                steps.append(f"{'Doubling' if k == 2 else 'Tripling'} gives {total}*{k}=<<{total}*{k}={total * k}>>{total * k} {items}.")
                total *= k
            else:
                d = rng.choice(divisors)
                story.append(f"{He} shares them equally among {d} friends.")
                question = f"How many {items} does each friend get?"
                steps.append(f"Each friend gets {total}/{d}=<<{total}/{d}={total // d}>>{total // d} {items}.")
                total //= d
            break
        else:
            return None
    question = " ".join(story) + " " + question
    answer = "\n".join(steps) + f"\n#### {total}"
    return question, answer, total


def generate(seed, count, exclude, level):
    rng = random.Random(seed)
    seen = set()
    out = []
    while len(out) < count:
        made = problem(rng, level)
        if made is None or made[0] in seen or made[0] in exclude:
            continue
        seen.add(made[0])
        out.append(made)
    return out


def write(path, split, problems):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for i, (q, a, final) in enumerate(problems):
            f.write(json.dumps({"id": f"{split}-{i}", "question": q, "answer": a, "final": final}) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--train", type=int, default=60000)
    parser.add_argument("--dev", type=int, default=300)
    parser.add_argument("--test", type=int, default=500)
    parser.add_argument("--level", choices=sorted(LEVELS), default="hard")
    args = parser.parse_args()
    level = LEVELS[args.level]
    os.makedirs(args.out, exist_ok=True)
    # Evaluation splits first, then training problems that match none of their questions.
    test = generate(1013, args.test, set(), level)
    dev = generate(2027, args.dev, {p[0] for p in test}, level)
    train = generate(3037, args.train, {p[0] for p in test} | {p[0] for p in dev}, level)
    write(os.path.join(args.out, "test.jsonl"), "test", test)
    write(os.path.join(args.out, "dev.jsonl"), "dev", dev)
    write(os.path.join(args.out, "train.jsonl"), "train", train)
    with open(os.path.join(args.out, "train-chat.jsonl"), "w", encoding="utf-8", newline="\n") as f:
        for q, a, _ in train:
            f.write(json.dumps({"messages": [{"role": "user", "content": q}, {"role": "assistant", "content": a}]}) + "\n")


if __name__ == "__main__":
    main()
