#!/usr/bin/env python3
"""How many weight bits a model needs to hold a reference suite's teacher-forced top-1 line.

    python3 scripts/precision_sweep.py --model models/t5-synth-tasks --suite out/ref/synth-2400.json --device cuda

Simulates weight formats in fp32 with transformers: every projection and lm_head (the matrices t5bench's
`--weights int8` quantizes) is replaced by its rounded values, and the decoder is fed each case's reference
output, as `t5bench accuracy` does. The integer formats are t5bench's int8 quantizer at other widths: symmetric
b-bit values with one scale per `--group` values, the least-squared-error one of max|v|/(2^(b-1)-1) x (1, 0.99,
..., 0.80). Per format it prints the bits a weight costs with its fp32 scales, the weight traffic against fp32,
and the teacher-forced top-1 agreement with the suite (tie-aware: a step whose reference top-1/top-2 margin is
under 1e-3 agrees on either), and the mean KL from this run's own fp32 distribution. `--keep` leaves the
projections whose names contain a pattern as stored (they count at the checkpoint's width), to try mixed widths.

It answers a sizing question with the reference model's own arithmetic, fast on a GPU; `t5bench accuracy`
remains the measure of t5bench itself (its int8 row here is t5bench's int8 to within a few steps).
Needs torch, transformers, safetensors and sentencepiece, as make_reference.py does.
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_reference import EOS, Failure, load_model  # noqa: E402

TIE_MARGIN = 1e-3  # harness/accuracy/compare.h kTieMargin
SCALE_CANDIDATES, SCALE_SHRINK_STEP = 21, 0.01  # model/kernels/quantize.cpp


def read_suite(path):
    try:
        suite = json.load(open(path, encoding="utf-8"))
        cases = [(c["greedy"]["input_ids"], c["greedy"]["output_ids"], c["greedy"]["steps"]) for c in suite["cases"]]
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise Failure(f"{path}: not a reference suite with greedy steps: {e}")
    if any(len(outputs) != len(steps) for _, outputs, steps in cases):
        raise Failure(f"{path}: a case's greedy steps and output ids differ in number")
    generation = suite.get("generation", {})
    ignore_eos = generation.get("min_new_tokens", 0) >= generation.get("max_new_tokens", 1 << 30)
    return cases, ignore_eos


def quantize(torch, weight, bits, group):
    """t5bench's quantize_int8_row at `bits` bits, every row of `weight` at once; returns the rounded values."""
    rows, cols = weight.shape
    if cols % group:
        raise Failure(f"a matrix of {cols} columns is not a whole number of groups of {group}")
    qmax = 2 ** (bits - 1) - 1
    groups = weight.reshape(rows, cols // group, group)
    max_abs_scale = groups.abs().amax(-1, keepdim=True) / qmax
    best_scale, best_error = None, None
    for step in range(SCALE_CANDIDATES):
        scale = (max_abs_scale * (1 - SCALE_SHRINK_STEP * step)).clamp_min(torch.finfo(torch.float32).tiny)
        error = ((groups - scale * (groups / scale).round().clamp(-qmax, qmax)) ** 2).sum(-1, keepdim=True)
        if best_scale is None:
            best_scale, best_error = scale, error
        else:
            better = error < best_error
            best_scale, best_error = torch.where(better, scale, best_scale), torch.where(better, error, best_error)
    rounded = best_scale * (groups / best_scale).round().clamp(-qmax, qmax)
    return torch.where(max_abs_scale > 0, rounded, groups).reshape(rows, cols)


def teacher_forced_logits(torch, model, device, batch):
    """Each case's logits at its reference steps [steps, vocab], the batch padded on the right."""
    n, input_len, output_len = len(batch), max(len(c[0]) for c in batch), max(len(c[1]) for c in batch)
    ids = torch.zeros(n, input_len, dtype=torch.long)
    mask = torch.zeros(n, input_len, dtype=torch.long)
    decoder_ids = torch.zeros(n, output_len, dtype=torch.long)
    decoder_mask = torch.zeros(n, output_len, dtype=torch.long)
    for k, (inputs, outputs, _) in enumerate(batch):
        prefix = [model.config.decoder_start_token_id] + outputs[:-1]
        ids[k, :len(inputs)], mask[k, :len(inputs)] = torch.tensor(inputs), 1
        decoder_ids[k, :len(prefix)], decoder_mask[k, :len(prefix)] = torch.tensor(prefix), 1
    with torch.no_grad():
        logits = model(input_ids=ids.to(device), attention_mask=mask.to(device), decoder_input_ids=decoder_ids.to(device),
                       decoder_attention_mask=decoder_mask.to(device)).logits
    return [logits[k, :len(c[1])].float() for k, c in enumerate(batch)]


def agrees(logits, steps, excluded_id):
    """Tie-aware top-1 agreement at each step, as harness/accuracy/teacher_forced.cpp decides it."""
    if excluded_id >= 0:
        logits = logits.clone()
        logits[:, excluded_id] = -float("inf")
    ours = logits.argmax(-1).tolist()
    result = []
    for choice, step in zip(ours, steps):
        choosable = [(i, v) for i, v in zip(step["top_ids"], step["top_logits"]) if i != excluded_id]
        first = choosable[0][1]
        ambiguous = len(choosable) >= 2 and first - choosable[1][1] < TIE_MARGIN
        result.append(choice == choosable[0][0] or (ambiguous and any(i == choice and v >= first - TIE_MARGIN for i, v in choosable)))
    return result


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", required=True, help="the HuggingFace checkpoint directory the suite was made from")
    ap.add_argument("--suite", required=True, help="a reference suite with greedy steps (make_reference.py's output)")
    ap.add_argument("--bits", default="8,9,10,11,12", help="integer widths to try (comma-separated, 2 to 16)")
    ap.add_argument("--group", type=int, default=32, help="values per scale (t5bench's int8: 32)")
    ap.add_argument("--keep", default="", help="comma-separated name patterns kept as stored, e.g. encoder.block.0.,lm_head")
    ap.add_argument("--device", default="cpu", help="cpu or cuda[:N]; TF32 is disabled on CUDA")
    ap.add_argument("--batch", type=int, default=32, help="cases per forward pass")
    ap.add_argument("--out", help="also write the rows as JSON here")
    args = ap.parse_args()
    try:
        bits = [int(b) for b in args.bits.split(",")]
        if not bits or any(b < 2 or b > 16 for b in bits) or args.group < 1 or args.batch < 1:
            raise ValueError
    except ValueError:
        raise Failure(f"--bits {args.bits!r}, --group {args.group}, --batch {args.batch}: widths 2 to 16, group and batch positive")
    cases, ignore_eos = read_suite(args.suite)

    import torch
    if args.device.startswith("cuda"):
        torch.backends.cuda.matmul.allow_tf32 = False
        torch.backends.cudnn.allow_tf32 = False
    model = load_model(args.model, "float32", args.device)
    if model.lm_head.weight is model.shared.weight:  # t5bench rounds a copy of a tied head; lookups stay exact
        model.lm_head.weight = torch.nn.Parameter(model.shared.weight.detach().clone())
    excluded_id = EOS if ignore_eos else -1
    order = sorted(range(len(cases)), key=lambda k: len(cases[k][0]))
    batches = [[cases[k] for k in order[s:s + args.batch]] for s in range(0, len(order), args.batch)]
    projections = {name: m for name, m in model.named_modules() if isinstance(m, torch.nn.Linear)}
    stored = {name: m.weight.data.clone() for name, m in projections.items()}
    patterns = [p for p in args.keep.split(",") if p]
    kept = {name for name in projections if any(p in name for p in patterns)}
    if patterns and not kept:
        raise Failure(f"--keep {args.keep!r} matches no projection (names as in transformers, e.g. encoder.block.0.layer.0.SelfAttention.q)")
    raw_config = json.load(open(os.path.join(args.model, "config.json")))
    stored_bits = {"bfloat16": 16, "float16": 16}.get(raw_config.get("dtype", raw_config.get("torch_dtype")), 32)
    kept_share = sum(stored[n].numel() for n in kept) / sum(w.numel() for w in stored.values())
    reference_log_probs = [[torch.log_softmax(l, -1) for l in teacher_forced_logits(torch, model, args.device, b)] for b in batches]

    formats = [("fp32", None)] + [(f"int{b}" + (" (t5bench int8)" if b == 8 and args.group == 32 else ""), b) for b in bits]
    rows = []
    print(f"{'format':22s} {'bits/weight':>11s} {'traffic vs fp32':>15s} {'top-1 (tie-aware)':>18s} {'flips':>7s} {'mean KL':>9s}")
    for label, width in formats:
        for name, m in projections.items():
            m.weight.data = stored[name] if width is None or name in kept else quantize(torch, stored[name], width, args.group)
        agree = steps = 0
        kl_sum = 0.0
        for batch, reference in zip(batches, reference_log_probs):
            for case, logits, log_p in zip(batch, teacher_forced_logits(torch, model, args.device, batch), reference):
                verdicts = agrees(logits, case[2], excluded_id)
                agree, steps = agree + sum(verdicts), steps + len(verdicts)
                kl_sum += float((log_p.exp() * (log_p - torch.log_softmax(logits, -1))).sum())
        cost = 32.0 if width is None else (1 - kept_share) * (width + 32.0 / args.group) + kept_share * stored_bits
        row = {"format": label, "bits_per_weight": cost, "traffic_vs_fp32": 32.0 / cost,
               "top1": agree / steps, "flips": steps - agree, "steps": steps, "kl_mean": max(0.0, kl_sum / steps)}
        rows.append(row)
        print(f"{label:22s} {cost:11.2f} {32.0 / cost:14.2f}x {100 * row['top1']:17.3f}% {row['flips']:7d} {row['kl_mean']:9.2e}",
              flush=True)
    if args.out:
        with open(args.out + ".tmp", "w") as f:
            json.dump({"model": args.model, "suite": args.suite, "group": args.group, "kept": sorted(kept), "device": args.device,
                       "torch": torch.__version__, "rows": rows}, f, indent=1)
        os.replace(args.out + ".tmp", args.out)


if __name__ == "__main__":
    try:
        main()
    except Failure as e:
        sys.exit(f"precision_sweep.py: {e}")
