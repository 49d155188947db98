# Re-runs a plan's draw from its published seed and candidate list (docs/double-random.md).
# usage: python3 double-random-rerun.py <seed-hex> <weeks> candidates.csv > draw.csv
import csv, hashlib, hmac, sys
from collections import defaultdict
from decimal import Decimal

seed, weeks = bytes.fromhex(sys.argv[1]), int(sys.argv[2])
strata = defaultdict(list)
for row in csv.DictReader(open(sys.argv[3], encoding="utf-8", newline="")):
    strata[(row["item_code"], row["stratum"], row["percent"], row["weekly"])].append(row["uscc"])
drawn = []
for (item, stratum, percent, weekly), ids in strata.items():
    ids.sort(key=lambda u: (hmac.new(seed, u.encode(), hashlib.sha256).hexdigest(), u))
    n, bp = len(ids), int(Decimal(percent) * 100)        # proportion in basis points (1/100 %)
    k = (n * bp + 9999) // 10000                          # ceil(n * percent / 100), exactly
    for w in range(weeks if weekly == "true" else 1):     # weekly: week w takes ranks w*k .. w*k+k-1 (mod n)
        drawn += [(item, stratum, w + 1 if weekly == "true" else 0, ids[(w * k + j) % n]) for j in range(k)]
sys.stdout.write("item_code,stratum,week,uscc\n")
for item, stratum, week, uscc in sorted(drawn):
    sys.stdout.write(f"{item},{stratum},{week or ''},{uscc}\n")
