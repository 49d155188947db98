# Re-runs a plan's draw from its published seed and candidate list (docs/double-random.md, section 3).
# usage: python3 double-random-rerun.py <seed-hex> <weeks | periodStart:periodEnd> candidates.csv
#            [--commitment HEX] [--candidates-digest HEX] [--public-draw draw.csv] > draw.csv
# Checks, when given: SHA-256(seed bytes) = the commitment on the register; SHA-256(candidates file) = its
# digest; the public drawn list (item_code,week,uscc) = this draw without its stratum column. Exit 1 if not.
import csv, datetime, hashlib, hmac, sys
from collections import defaultdict
from decimal import Decimal

args, opts = [a for a in sys.argv[1:] if not a.startswith("--")], {}
for i, a in enumerate(sys.argv):
    if a.startswith("--"): opts[a[2:]] = sys.argv[i + 1]; args.remove(sys.argv[i + 1])
seed, period, path = bytes.fromhex(args[0]), args[1], args[2]
if ":" in period:  # weeks = number of 7-day blocks from the first day, the last may be shorter
    a, b = (datetime.date.fromisoformat(d) for d in period.split(":"))
    weeks = ((b - a).days + 1 + 6) // 7
else:
    weeks = int(period)
data = open(path, "rb").read()
fail = []
if "commitment" in opts and hashlib.sha256(seed).hexdigest() != opts["commitment"].lower(): fail.append("seed does not match the commitment")
if "candidates-digest" in opts and hashlib.sha256(data).hexdigest() != opts["candidates-digest"].lower(): fail.append("candidates digest differs")
strata = defaultdict(list)
for row in csv.DictReader(data.decode("utf-8").splitlines()):
    strata[(row["item_code"], row["stratum"], row["percent"], row["weekly"])].append(row["uscc"])
drawn = []
for (item, stratum, percent, weekly), ids in strata.items():
    if stratum.startswith("排除："): continue                 # exclusions are listed as 0 % strata
    ids.sort(key=lambda u: (hmac.new(seed, u.encode(), hashlib.sha256).hexdigest(), u))  # hex order = unsigned big-endian
    n, bp = len(ids), int(Decimal(percent) * 100)            # proportion in basis points (1/100 %)
    k = (n * bp + 9999) // 10000                              # ceil(n * percent / 100), exactly
    for w in range(weeks if weekly == "true" else 1):         # weekly: week w takes ranks w*k .. w*k+k-1 (mod n)
        drawn += [(item, stratum, w + 1 if weekly == "true" else 0, ids[(w * k + j) % n]) for j in range(k)]
out = "item_code,stratum,week,uscc\n" + "".join(f"{i},{s},{w or ''},{u}\n" for i, s, w, u in sorted(drawn))
if "public-draw" in opts:
    public = "item_code,week,uscc\n" + "".join(f"{i},{w or ''},{u}\n" for i, w, u in sorted((i, w, u) for i, s, w, u in drawn))
    if open(opts["public-draw"], encoding="utf-8").read() != public: fail.append("public drawn list differs")
sys.stdout.write(out)
for f in fail: sys.stderr.write("MISMATCH: " + f + "\n")
sys.exit(1 if fail else 0)
