"""Write a BERT-base sized checkpoint (12 layers, hidden 768, FFN 3072; the 72 matrices
ZeroLM scores, F32, Hugging Face names) or time torch.linalg.svdvals on its matrices.

    python3 bertbase.py write FILE   # seeded torch.randn * 0.02
    python3 bertbase.py time FILE    # svdvals of every matrix in float64: wall and CPU seconds

Needs only torch; reads and writes safetensors by hand (8-byte header length, JSON header)."""
import json, os, struct, sys, time, torch

H, F, L = 768, 3072, 12

def write(path):
    g = torch.Generator().manual_seed(0)
    sd = {}
    for l in range(L):
        p = "bert.encoder.layer.%d." % l
        for n in ("attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense"):
            sd[p + n + ".weight"] = torch.randn(H, H, generator=g) * 0.02
        sd[p + "intermediate.dense.weight"] = torch.randn(F, H, generator=g) * 0.02
        sd[p + "output.dense.weight"] = torch.randn(H, F, generator=g) * 0.02
    hdr, off, blobs = {}, 0, []
    for k, v in sd.items():
        b = v.float().contiguous().numpy().tobytes()
        hdr[k] = {"dtype": "F32", "shape": list(v.shape), "data_offsets": [off, off + len(b)]}
        off += len(b)
        blobs.append(b)
    h = json.dumps(hdr).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)

def read(path):
    with open(path, "rb") as f:
        data = f.read()
    n = struct.unpack("<Q", data[:8])[0]
    hdr = json.loads(data[8:8 + n])
    out = {}
    for k, t in hdr.items():
        if k == "__metadata__":
            continue
        a, b = t["data_offsets"]
        out[k] = torch.frombuffer(bytearray(data[8 + n + a:8 + n + b]), dtype=torch.float32).reshape(t["shape"])
    return out

def time_svdvals(path):
    mats = [w.double() for w in read(path).values()]
    torch.set_num_threads(os.cpu_count())  # as many threads as zeronas has workers
    start, cpu = time.perf_counter(), time.process_time()
    nuclear = sum(float(torch.linalg.svdvals(w).sum()) / min(w.shape) for w in mats)
    print(json.dumps({"matrices": len(mats), "threads": torch.get_num_threads(), "wall_s": time.perf_counter() - start,
                      "cpu_s": time.process_time() - cpu, "sum_nuclear": nuclear,
                      "torch": torch.__version__}))

if __name__ == "__main__":
    {"write": write, "time": time_svdvals}[sys.argv[1]](sys.argv[2])
