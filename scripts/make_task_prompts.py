#!/usr/bin/env python3
"""Prompts of the t5-synth-tasks task family, with their ground-truth answers, as JSONL for make_reference.py.

    python3 scripts/make_task_prompts.py --spiece models/t5-synth-tasks/spiece.model --short 1800 --long 600 \
        --seed 16 --out suites/prompts/synth-2400.jsonl

The family is the one the shared model was trained on (14 FLAN-style instruction tasks over a small
vocabulary: reverse, copy, capitalize, first/last word, count words, add, subtract, sort, max, compare,
sentiment, two kinds of extractive QA). `--short` prompts are drawn as in training. `--long` prompts stretch
the same instructions over long inputs, their lengths spread evenly from 64 to 512 input ids (EOS included,
measured with the model's SentencePiece vocabulary): word tasks over many sentences, sort and max over long
number lists, QA with many distractor facts. An answer is left empty ("") where it would not fit in
`--max-answer-ids` output ids, so only answerable cases count towards task accuracy.
Each line: {"id", "task", "prompt", "answer"}. The same seed gives the same file.
"""
import argparse
import json
import random
import sys

NOUNS = ("dog cat bird horse river mountain garden window teacher doctor farmer child city village forest ocean "
         "house car train boat letter book song table chair apple bread lamp road bridge castle island market "
         "school kitchen shadow storm flower tree stone clock phone camera painter singer friend neighbor baker "
         "sailor king queen robot dragon fox wolf bear rabbit owl").split()
ADJECTIVES = ("red blue green small large quiet loud happy sad old young bright dark warm cold fast slow gentle brave "
              "clever lazy tall short heavy light soft hard tiny huge calm noisy proud shy").split()
VERBS = ("sees likes finds follows paints visits helps watches builds carries opens closes chases meets greets "
         "reads writes calls pushes pulls cleans fixes draws").split()
NAMES = ("Alice Bob Carol David Emma Frank Grace Henry Iris Jack Kate Liam Mia Noah Olivia Paul Quinn Rosa Sam Tara "
         "Uma Victor Wendy Xavier Yara Zoe").split()
CITIES = ("Paris London Berlin Madrid Rome Vienna Prague Lisbon Dublin Oslo Warsaw Athens Cairo Tokyo Seoul Lima "
          "Quito Denver Boston Chicago Sydney Toronto Nairobi Mumbai").split()
COLORS = "red blue green yellow black white purple orange brown gray pink".split()
GOOD = "great wonderful excellent delightful fantastic lovely brilliant superb enjoyable charming".split()
BAD = "terrible awful boring dreadful horrible dull disappointing poor weak annoying".split()
THINGS = "movie book meal concert show game hotel trip song film".split()

# Instruction templates of each task; {s} a word sequence, {n} numbers, {a} {b} integers.
TEMPLATES = {
    "reverse": ["Reverse the order of the words: {s}", "Write these words backwards: {s}", "reverse: {s}"],
    "copy": ["Repeat after me: {s}", "Copy this sentence: {s}", "echo: {s}"],
    "capitalize": ["Capitalize every word: {s}", "Title case: {s}"],
    "first_word": ["What is the first word? {s}", "first word: {s}"],
    "last_word": ["What is the last word? {s}", "last word: {s}"],
    "count_words": ["How many words are in this sentence? {s}", "Count the words: {s}"],
    "add": ["What is {a} plus {b}?", "Add {a} and {b}.", "{a} + {b} ="],
    "subtract": ["What is {a} minus {b}?", "{a} - {b} ="],
    "sort": ["Sort these numbers from smallest to largest: {n}", "sort ascending: {n}"],
    "max": ["Which number is the largest? {n}", "max: {n}"],
    "compare": ["Is {a} greater than {b}? Answer yes or no.", "{a} > {b}? yes or no:"],
    "sentiment": ["The {t} was {j}. Sentiment:", "Review: the {t} was {j}. Is this review positive or negative?"],
    "qa_city": ["question: Where does {n} live? context: {ctx}", "Read the text and answer. {ctx} Where does {n} live?"],
    "qa_color": ["question: What color is the {o}? context: The {o} is {c}.", "The {o} is {c}. What color is the {o}?"],
}
WORD_TASKS = ("reverse", "copy", "capitalize", "first_word", "last_word", "count_words")
LONG_TASKS = WORD_TASKS + ("sort", "max", "qa_city")


def words(r, count):
    """`count` words of simple sentences: article, optional adjective, noun, verb, again and again."""
    out = []
    while len(out) < count:
        out += [r.choice(["the", "a"])] + ([r.choice(ADJECTIVES)] if r.random() < 0.5 else []) + [r.choice(NOUNS), r.choice(VERBS)]
    return out[:count]


def word_answer(task, ws):
    return {"reverse": " ".join(reversed(ws)), "copy": " ".join(ws), "capitalize": " ".join(w.capitalize() for w in ws),
            "first_word": ws[0], "last_word": ws[-1], "count_words": str(len(ws))}[task]


def numbers(r, count):
    return [r.randint(0, 99) for _ in range(count)]


def qa_city(r, facts, filler_words=0):
    """`facts` 'X lives in Y.' sentences about distinct people, one of them asked about, mixed with
    sentences of `filler_words` words in all."""
    people = r.sample(NAMES, min(facts, len(NAMES)))
    homes = {p: r.choice(CITIES) for p in people}
    asked = r.choice(people)
    sentences = [f"{p} lives in {homes[p]}." for p in people]
    while filler_words > 0:
        n = min(filler_words, r.randint(4, 9))
        sentences.insert(r.randint(0, len(sentences)), " ".join(words(r, n)).capitalize() + ".")
        filler_words -= n
    return {"n": asked, "ctx": " ".join(sentences)}, homes[asked]


def short_example(r):
    task = r.choice(list(TEMPLATES))
    if task in WORD_TASKS:
        ws = words(r, r.randint(3, 9))
        fields, answer = {"s": " ".join(ws)}, word_answer(task, ws)
    elif task in ("add", "subtract", "compare"):
        top = 999 if task == "compare" else 99
        a = r.randint(0, top)
        b = r.randint(0, a) if task == "subtract" else r.randint(0, top)
        while task == "compare" and a == b:
            b = r.randint(0, top)
        answer = {"add": str(a + b), "subtract": str(a - b), "compare": "yes" if a > b else "no"}[task]
        fields = {"a": a, "b": b}
    elif task in ("sort", "max"):
        ns = numbers(r, r.randint(3, 8))
        fields = {"n": (" " if task == "sort" else ", ").join(map(str, ns))}
        answer = " ".join(map(str, sorted(ns))) if task == "sort" else str(max(ns))
    elif task == "sentiment":
        good = r.random() < 0.5
        fields, answer = {"t": r.choice(THINGS), "j": r.choice(GOOD if good else BAD)}, "positive" if good else "negative"
    elif task == "qa_city":
        fields, answer = qa_city(r, 2)
    else:  # qa_color
        c = r.choice(COLORS)
        fields, answer = {"o": r.choice(NOUNS), "c": c}, c
    return task, r.choice(TEMPLATES[task]).format(**fields), answer


def long_example(r, task, target_ids, count_ids):
    """A prompt of `task` whose input is the longest not over `target_ids` ids (EOS included)."""
    template = r.choice(TEMPLATES[task])
    def build(size):
        if task in WORD_TASKS:
            ws = words(r_fixed(size), size)
            return template.format(s=" ".join(ws)), word_answer(task, ws)
        if task in ("sort", "max"):
            ns = numbers(r_fixed(size), size)
            answer = " ".join(map(str, sorted(ns))) if task == "sort" else str(max(ns))
            return template.format(n=(" " if task == "sort" else ", ").join(map(str, ns))), answer
        fields, answer = qa_city(r_fixed(size), 2 + size // 8, size)
        return template.format(**fields), answer
    seed = r.randrange(1 << 30)
    r_fixed = lambda size: random.Random(seed * 1000 + size)  # the same draw for each size tried
    size, best = 2, None
    while True:
        prompt, answer = build(size)
        if count_ids(prompt) > target_ids:
            break
        best = (prompt, answer)
        size += max(1, size // 8)
    return (task,) + best


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--spiece", required=True, help="the model's spiece.model (input lengths are measured in its ids)")
    ap.add_argument("--short", type=int, default=1800, help="prompts drawn as in training")
    ap.add_argument("--long", type=int, default=600, help="prompts of 64 to 512 input ids")
    ap.add_argument("--max-input-ids", type=int, default=512)
    ap.add_argument("--max-answer-ids", type=int, default=64, help="answers longer than this (EOS included) are left empty")
    ap.add_argument("--seed", type=int, default=16)
    ap.add_argument("--prefix", default="synth", help="case ids are PREFIX-NNNN")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    import sentencepiece as spm
    sp = spm.SentencePieceProcessor(model_file=args.spiece)
    count_ids = lambda text: len(sp.encode(text)) + 1  # + EOS

    r = random.Random(args.seed)
    examples = [short_example(r) for _ in range(args.short)]
    for k in range(args.long):
        target = 64 + (args.max_input_ids - 64) * k // max(1, args.long - 1)
        examples.append(long_example(r, LONG_TASKS[k % len(LONG_TASKS)], target, count_ids))
    with open(args.out, "w") as f:
        for k, (task, prompt, answer) in enumerate(examples):
            if count_ids(prompt) > args.max_input_ids:
                sys.exit(f"{args.out}: prompt {k} has {count_ids(prompt)} ids, over {args.max_input_ids}")
            if count_ids(answer) > args.max_answer_ids:
                answer = ""
            f.write(json.dumps({"id": f"{args.prefix}-{k:04d}", "task": task if k < args.short else task + "_long",
                                "prompt": prompt, "answer": answer}) + "\n")
    print(f"wrote {len(examples)} prompts to {args.out}")


if __name__ == "__main__":
    main()
