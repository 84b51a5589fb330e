# The golden tensors of ../shared/reference/golden.safetensors recomputed in float64 (CPU), from the same inputs
# as the golden test feeds: the encoder from the input ids; the decoder teacher-forced on the reference decoder
# ids from transformers' fp32 encoder output. Measures how far transformers' fp32 tensors are from exact.
# Usage (where torch and transformers are installed): python3 scripts/golden_f64.py MODEL_DIR GOLDEN.safetensors
# writes $OUT/golden_f64.safetensors (the same names, float64) and prints each tensor's distance.
import glob, json, os, sys
import torch
from safetensors.torch import load_file, save_file
from transformers import T5Config, T5ForConditionalGeneration

MD, GOLD, OUT = sys.argv[1], sys.argv[2], os.environ.get("OUT", "/tmp/out")
raw = json.load(open(os.path.join(MD, "config.json")))
keep = ("vocab_size d_model d_kv d_ff num_layers num_decoder_layers num_heads relative_attention_num_buckets "
        "relative_attention_max_distance dropout_rate layer_norm_epsilon feed_forward_proj decoder_start_token_id "
        "eos_token_id pad_token_id is_encoder_decoder").split()
cfg = T5Config(**{k: raw[k] for k in keep if k in raw})
cfg.tie_word_embeddings = False
cfg.scale_decoder_outputs = False  # the checkpoint's config says so; transformers 5.x would scale by d_model^-0.5
m = T5ForConditionalGeneration(cfg)
sd = {}
for f in sorted(glob.glob(os.path.join(MD, "model-*.safetensors"))): sd.update(load_file(f))
m.lm_head.weight = torch.nn.Parameter(torch.empty(cfg.vocab_size, cfg.d_model))
# Both stacks embed with shared.weight; stated outright, since untied configs do not tie them in every version.
sd["encoder.embed_tokens.weight"] = sd["decoder.embed_tokens.weight"] = sd["shared.weight"]
missing, unexpected = m.load_state_dict({k: v.double() for k, v in sd.items()}, strict=False)
assert not unexpected and not missing, (missing, unexpected)
assert torch.equal(m.lm_head.weight.float(), sd["lm_head.weight"].float())
assert not torch.equal(m.lm_head.weight, m.shared.weight), "lm_head tied to shared"
m = m.double().eval()
gold = load_file(GOLD)
out, report = {}, []
for p in ("p0.", "p1."):
    ids, dec = gold[p + "input_ids"].long(), gold[p + "decoder_input_ids"].long()
    hooks, traced = [], {}
    for i, blk in enumerate(m.encoder.block):
        hooks.append(blk.register_forward_hook(lambda mod, a, o, i=i: traced.__setitem__(f"encoder.block.{i}.out", o[0])))
    for i, blk in enumerate(m.decoder.block):
        hooks.append(blk.register_forward_hook(lambda mod, a, o, i=i: traced.__setitem__(f"decoder.block.{i}.out", o[0])))
    hooks.append(m.encoder.final_layer_norm.register_forward_hook(lambda mod, a, o: traced.__setitem__("encoder.final_layer_norm.out", o)))
    hooks.append(m.decoder.final_layer_norm.register_forward_hook(lambda mod, a, o: traced.__setitem__("decoder.final_layer_norm.out", o)))
    with torch.no_grad():
        m.encoder(input_ids=ids.view(1, -1))
        encoder_fp32 = gold[p + "encoder.final_layer_norm.out"].double().view(1, ids.numel(), -1)
        enc_traced = {k: v for k, v in traced.items() if k.startswith("encoder")}
        o = m(encoder_outputs=(encoder_fp32,), decoder_input_ids=dec.view(1, -1))
        traced.update(enc_traced)
    traced["logits"] = o.logits
    for h in hooks: h.remove()
    for name, t in traced.items():
        out[p + name] = t.contiguous()
        ref32 = gold[p + name].double()
        report.append((p + name, (ref32.view(-1) - t.view(-1)).abs().max().item()))
save_file(out, os.path.join(OUT, "golden_f64.safetensors"))
for name, err in report: print(f"{name}: transformers fp32 vs float64 max abs {err:.3g}")
print("largest", max(e for _, e in report))
