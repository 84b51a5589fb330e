#!/usr/bin/env python3
"""Reference suite generator: HuggingFace transformers' outputs for a model and a prompt file, in the format
`t5bench accuracy` reads (the ../shared/reference format).

    python3 scripts/make_reference.py --model models/flan-t5-base --prompts prompts.jsonl --out ref.json

Needs torch, transformers and sentencepiece. For every prompt: the greedy output ids, and at every step the
raw logits (before any processing) of the `--top-k` highest ids with the step's log-sum-exp over the whole
vocabulary, so the log-probabilities of those ids are exact; for the first `--beam-subset` prompts a
`--beams` beam-search output and its sequence score. By default the model runs in float32 on the CPU, batch
1, on exactly the stored weights (bf16/f16 checkpoints are upcast), as the shared suites were made.

Prompt file: plain text, one prompt a line; or JSONL (the first non-blank character is '{') with `prompt`
and optional `id`, `task`, `answer` and `input_ids`. Input ids are the SentencePiece ids of the prompt plus
EOS, as t5bench's tokenizer makes them; with `--input-ids` each case's ids are fed as given (JSONL
`input_ids`, or a plain line of space-separated ids) and marked canonical, so t5bench feeds them too.
"""
import argparse
import glob
import json
import multiprocessing
import os
import platform
import re
import sys
import time

EOS, PAD = 1, 0
# Checkpoint keys transformers' T5 itself ignores when loading (old checkpoints carry them).
IGNORED_KEYS = re.compile(r"^decoder\.block\.0\.layer\.1\.EncDecAttention\.relative_attention_bias\.weight$")


class Failure(Exception):
    """A problem with the input, reported as one line naming where it is."""


def fail(where, problem):
    raise Failure(f"{where}: {problem}")


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", required=True, help="HuggingFace T5 checkpoint directory (config.json, spiece.model, safetensors)")
    ap.add_argument("--prompts", required=True, help="plain text (one prompt a line) or JSONL")
    ap.add_argument("--out", required=True, help="the suite JSON to write")
    ap.add_argument("--suite", help="suite name (default: the prompt file's name)")
    ap.add_argument("--model-name", help="recorded as the suite's model (default: the directory's name)")
    ap.add_argument("--input-ids", action="store_true", help="feed each case's input ids as given (canonical)")
    ap.add_argument("--max-new-tokens", type=int, default=48)
    ap.add_argument("--min-new-tokens", type=int, default=0, help="EOS is not chosen before this many ids (= max: EOS ignored)")
    ap.add_argument("--top-k", type=int, default=20, help="logits stored per step (at least 2)")
    ap.add_argument("--beams", type=int, default=4)
    ap.add_argument("--beam-subset", type=int, default=0, help="the first N prompts also get a beam reference")
    ap.add_argument("--beam-max-new-tokens", type=int, default=32)
    ap.add_argument("--length-penalty", type=float, default=1.0)
    ap.add_argument("--early-stopping", choices=["false", "true", "never"], default="false")
    ap.add_argument("--dtype", choices=["float32", "bfloat16", "float16"], default="float32")
    ap.add_argument("--device", default="cpu", help="cpu (default) or cuda[:N]; TF32 is disabled on CUDA")
    ap.add_argument("--threads", type=int, default=4, help="torch threads per job")
    ap.add_argument("--jobs", type=int, default=1, help="processes, each with its own copy of the model")
    args = ap.parse_args(argv)
    if args.top_k < 2:
        ap.error("--top-k must be at least 2")
    if not 0 <= args.min_new_tokens <= args.max_new_tokens:
        ap.error("--min-new-tokens must be between 0 and --max-new-tokens")
    if args.beams < 1 or args.beam_subset < 0 or args.jobs < 1 or args.threads < 1:
        ap.error("--beams, --jobs and --threads must be positive, --beam-subset not negative")
    return args


def read_case(where, record, k, stem, canonical_ids):
    if not isinstance(record, dict) or not isinstance(record.get("prompt"), str):
        fail(where, "a record needs a string 'prompt'")
    case = {"id": str(record.get("id", f"{stem}-{k:04d}")), "task": str(record.get("task", "")),
            "prompt": record["prompt"], "answer": str(record.get("answer", ""))}
    if canonical_ids:
        ids = record.get("input_ids")
        if not isinstance(ids, list) or not ids:
            fail(where, "--input-ids needs the case's input ids ('input_ids' in JSONL, or space-separated ids)")
        try:
            case["input_ids"] = [int(i) for i in ids]
        except (TypeError, ValueError):
            fail(where, f"input ids {ids!r} are not integers")
    return case


def read_prompts(path, canonical_ids):
    """[{id, task, prompt, answer, input_ids?}] from a plain-text or JSONL prompt file, or a reference suite."""
    try:
        text = open(path, encoding="utf-8").read()
    except (OSError, UnicodeDecodeError) as e:
        fail(path, f"cannot read: {e}")
    stem = os.path.splitext(os.path.basename(path))[0]
    try:  # an existing reference suite: its prompts, ids and answers
        suite = json.loads(text)
    except json.JSONDecodeError:
        suite = None
    lines = [(n, line.rstrip("\r")) for n, line in enumerate(text.split("\n"), 1) if line.strip()]
    if isinstance(suite, dict) and isinstance(suite.get("cases"), list):
        cases = [read_case(f"{path}: case {k}", dict(c, input_ids=c.get("greedy", {}).get("input_ids")) if isinstance(c, dict) else c,
                           k, stem, canonical_ids) for k, c in enumerate(suite["cases"])]
        lines = []
    elif not lines:
        fail(path, "no prompts")
    else:
        cases = []
    jsonl = bool(lines) and lines[0][1].lstrip().startswith("{")
    for k, (n, line) in enumerate(lines):
        where = f"{path}:{n}"
        if jsonl:
            try:
                record = json.loads(line)
            except json.JSONDecodeError as e:
                fail(where, f"invalid JSON: {e}")
        else:
            record = {"prompt": line, "input_ids": line.split() if canonical_ids else None}
        cases.append(read_case(where, record, k, stem, canonical_ids))
    if not cases:
        fail(path, "no prompts")
    if len({c["id"] for c in cases}) != len(cases):
        fail(path, "case ids are not unique")
    return cases


def load_model(model_dir, dtype_name, device):
    """T5ForConditionalGeneration holding exactly the stored tensors, with the head tied or untied as
    config.json says. transformers 5.x builds T5 with lm_head tied to `shared` unless told, and scales the
    decoder output only for tied heads in old configs: both are set from config.json and checked here."""
    import torch
    from safetensors.torch import load_file
    from transformers import T5Config, T5ForConditionalGeneration

    config_path = os.path.join(model_dir, "config.json")
    try:
        raw = json.load(open(config_path))
    except (OSError, json.JSONDecodeError) as e:
        fail(config_path, f"cannot read: {e}")
    tied = raw.get("tie_word_embeddings", True)
    config = T5Config.from_pretrained(model_dir)
    model = T5ForConditionalGeneration(config)
    if not tied:
        model.lm_head.weight = torch.nn.Parameter(torch.empty(config.vocab_size, config.d_model))
    config.tie_word_embeddings = tied
    config.scale_decoder_outputs = raw.get("scale_decoder_outputs", tied)

    files = sorted(glob.glob(os.path.join(model_dir, "*.safetensors")))
    if not files:
        fail(model_dir, "no .safetensors weights")
    stored = {}
    for f in files:
        stored.update(load_file(f))
    dtype = getattr(torch, dtype_name)
    stored = {k: v.to(dtype) for k, v in stored.items() if not IGNORED_KEYS.match(k)}
    model = model.to(dtype)
    missing, unexpected = model.load_state_dict(stored, strict=False)
    if unexpected:
        fail(model_dir, f"tensors the model does not have: {sorted(unexpected)[:5]}")
    optional = {"encoder.embed_tokens.weight", "decoder.embed_tokens.weight"} | ({"lm_head.weight"} if tied else set())
    if set(missing) - optional:
        fail(model_dir, f"tensors missing from the checkpoint: {sorted(set(missing) - optional)[:5]}")
    if "shared.weight" not in stored or (not tied and "lm_head.weight" not in stored):
        fail(model_dir, "the checkpoint lacks shared.weight" + ("" if tied else " or lm_head.weight (config says untied)"))
    # Silent failures this guards against: a head tied although config.json says untied, weights other than
    # the stored ones, a decoder output scaled before an untied head.
    if model.encoder.embed_tokens.weight is not model.shared.weight or model.decoder.embed_tokens.weight is not model.shared.weight:
        fail(model_dir, "encoder/decoder embeddings are not the shared table")
    head_is_shared = model.lm_head.weight.data_ptr() == model.shared.weight.data_ptr()
    if head_is_shared != tied:
        fail(model_dir, f"lm_head is {'tied' if head_is_shared else 'untied'} but config.json says tie_word_embeddings={tied}")
    state = model.state_dict()
    differ = [k for k, v in stored.items() if not torch.equal(state[k], v)]
    if differ:
        fail(model_dir, f"model weights differ from the stored ones: {differ[:5]}")
    model = model.eval().to(device)
    seen = {}
    hooks = [model.decoder.final_layer_norm.register_forward_hook(lambda m, a, o: seen.__setitem__("norm", o.detach())),
             model.lm_head.register_forward_hook(lambda m, a, o: seen.__setitem__("head_in", a[0].detach()))]
    with torch.no_grad():
        model(input_ids=torch.tensor([[EOS]], device=device), decoder_input_ids=torch.tensor([[config.decoder_start_token_id]], device=device))
    for h in hooks:
        h.remove()
    scaled = not torch.equal(seen["norm"], seen["head_in"])
    if scaled != bool(config.scale_decoder_outputs):
        fail(model_dir, f"the decoder output is {'scaled' if scaled else 'not scaled'} before lm_head, "
                        f"but scale_decoder_outputs is {config.scale_decoder_outputs}")
    return model


class Generator:
    """One process's model and tokenizer; `run(case)` gives the case's references."""

    def __init__(self, args):
        import torch
        import sentencepiece as spm
        self.torch, self.args = torch, args
        torch.set_num_threads(args.threads)
        if args.device.startswith("cuda"):  # full fp32 products, as on the CPU
            torch.backends.cuda.matmul.allow_tf32 = False
            torch.backends.cudnn.allow_tf32 = False
        self.model = load_model(args.model, args.dtype, args.device)
        self.sp = spm.SentencePieceProcessor(model_file=os.path.join(args.model, "spiece.model"))

    def decode(self, ids):
        return self.sp.decode([i for i in ids if i not in (PAD, EOS) and i < self.sp.get_piece_size()])

    def input_ids(self, case):
        return case["input_ids"] if "input_ids" in case else self.sp.encode(case["prompt"]) + [EOS]

    def greedy(self, ids):
        torch, a = self.torch, self.args
        extra = {"min_new_tokens": a.min_new_tokens} if a.min_new_tokens else {}
        with torch.no_grad():
            o = self.model.generate(input_ids=torch.tensor([ids], device=a.device), max_new_tokens=a.max_new_tokens,
                                    do_sample=False, num_beams=1, return_dict_in_generate=True, output_logits=True, **extra)
        output = o.sequences[0].tolist()[1:]  # without the decoder start id
        steps = []
        for logits in o.logits:
            row = logits[0].float()
            values, ids_ = torch.topk(row, min(a.top_k, row.numel()))
            steps.append({"top_ids": ids_.tolist(),
                          # 9 significant digits give back the exact float32; the log-sum-exp is float64
                          "top_logits": [float(f"{v:.9g}") for v in values.tolist()],
                          "logsumexp": torch.logsumexp(row.double(), 0).item()})
        if len(steps) != len(output):
            fail(a.prompts, f"transformers returned {len(steps)} logit rows for {len(output)} ids")
        return {"input_ids": ids, "output_ids": output, "output_text": self.decode(output), "steps": steps}

    def beam(self, ids):
        torch, a = self.torch, self.args
        early = {"false": False, "true": True, "never": "never"}[a.early_stopping]
        with torch.no_grad():
            o = self.model.generate(input_ids=torch.tensor([ids], device=a.device), max_new_tokens=a.beam_max_new_tokens,
                                    do_sample=False, num_beams=a.beams, length_penalty=a.length_penalty,
                                    early_stopping=early, return_dict_in_generate=True, output_scores=True)
        output = o.sequences[0].tolist()[1:]
        return {"input_ids": ids, "output_ids": output, "output_text": self.decode(output),
                "sequence_score": float(o.sequences_scores[0])}

    def check(self, case):
        """The case's input ids, refused where they do not fit the model."""
        ids = self.input_ids(case)
        where = f"{self.args.prompts}: case {case['id']}"
        limit = getattr(self.model.config, "n_positions", None) or 512
        if len(ids) > limit:
            fail(where, f"{len(ids)} input ids exceed the model's limit of {limit}")
        if not ids or min(ids) < 0 or max(ids) >= self.model.config.vocab_size:
            fail(where, f"input ids must be between 0 and {self.model.config.vocab_size - 1}")
        return ids

    def run(self, work):
        k, case, ids = work
        out = {"id": case["id"], "task": case["task"], "prompt": case["prompt"], "answer": case["answer"]}
        if "input_ids" in case:
            out["input_ids_are_canonical"] = True
        out["greedy"] = self.greedy(ids)
        if k < self.args.beam_subset:
            out["beam4"] = self.beam(ids)
        return out


_worker = None


def _start_worker(args):
    global _worker
    _worker = Generator(args)


def _run_case(work):
    return _worker.run(work)


def write_atomically(path, text):
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "w") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def main(argv=None):
    args = parse_args(argv)
    cases = read_prompts(args.prompts, args.input_ids)
    import torch
    import transformers
    import sentencepiece
    started = time.time()
    # The model and every input are checked here, before any worker starts.
    generator = Generator(args)
    work = [(k, case, generator.check(case)) for k, case in enumerate(cases)]
    if args.jobs == 1:
        results = [generator.run(item) for item in work]
    else:  # spawned, not forked: a fork after torch's thread pool started can hang
        with multiprocessing.get_context("spawn").Pool(args.jobs, _start_worker, (args,)) as pool:
            results = pool.map(_run_case, work, chunksize=4)
    device = "CPU" if args.device == "cpu" else f"{args.device} ({torch.cuda.get_device_name(args.device)}, TF32 off)"
    generation = {"max_new_tokens": args.max_new_tokens, "greedy": True, "top_k": args.top_k, "logsumexp": True}
    if args.min_new_tokens:
        generation["min_new_tokens"] = args.min_new_tokens
        if args.min_new_tokens == args.max_new_tokens:
            generation["note"] = f"EOS is ignored: exactly {args.max_new_tokens} tokens"
    if args.beam_subset:
        generation["beam"] = {"num_beams": args.beams, "length_penalty": args.length_penalty,
                              "early_stopping": {"false": False, "true": True, "never": "never"}[args.early_stopping],
                              "max_new_tokens": args.beam_max_new_tokens}
    suite = {
        "suite": args.suite or os.path.splitext(os.path.basename(args.prompts))[0],
        "model": args.model_name or os.path.basename(os.path.normpath(args.model)),
        "reference": f"transformers {transformers.__version__}, torch {torch.__version__}, {args.dtype}, {device}, batch 1",
        "generation": generation,
        "generator": {"script": "scripts/make_reference.py", "transformers": transformers.__version__,
                      "torch": torch.__version__, "sentencepiece": sentencepiece.__version__,
                      "python": platform.python_version(), "dtype": args.dtype, "device": device,
                      "threads_per_job": args.threads, "jobs": args.jobs,
                      "input_ids": "canonical (as given)" if args.input_ids else "SentencePiece ids of the prompt + EOS"},
        "cases": results,
    }
    write_atomically(args.out, json.dumps(suite, separators=(",", ":")) + "\n")
    print(f"make_reference.py: {len(results)} cases ({args.beam_subset and min(args.beam_subset, len(results))} with beam) "
          f"in {time.time() - started:.0f} s -> {args.out}", flush=True)


if __name__ == "__main__":
    try:
        main()
    except Failure as e:
        sys.exit(f"make_reference.py: {e}")
