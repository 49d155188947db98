#!/usr/bin/env bash
# Benchmark of the "double random" draw (docs/double-random.md, section "Speed").
#
#   src/test/bench/double-random.sh [database] [http-port]
#
# Builds the jar, makes sure <database> on the machine's PostgreSQL (127.0.0.1:5432, user postgres,
# trust auth) holds the generated district (1,000,000 merchants, ~5,000,000 events, graded; 500
# inspectors) - generating it on the first run takes 10-40 minutes -, then creates five plans over
# the whole district (items GS-02 and SC-01, four weeks, 500 inspectors in one cross-squad pool)
# and verifies each. Prints the service's own phase timings. Never point it at a database you care
# about; drop it afterwards with: dropdb -h 127.0.0.1 -U postgres <database>
set -euo pipefail
DB=${1:-double_random_bench}
PORT=${2:-18094}
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
RUN=$(mktemp -d /tmp/double-random-bench.XXXXXX)
PSQL="psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 -qAt"

cd "$ROOT"
./mvnw -q package -DskipTests
cp -r target/quarkus-app "$RUN/app"
$PSQL -d postgres -c "select 1 from pg_database where datname = '$DB'" | grep -q 1 || createdb -h 127.0.0.1 -U postgres "$DB"

cd "$RUN"
QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:5432/$DB" QUARKUS_DATASOURCE_USERNAME=postgres QUARKUS_DATASOURCE_PASSWORD= \
  java -Dapp.demo.enabled=true -Dapp.demo.merchants=1000000 -Dapp.demo.events-per-merchant=5 -Dapp.demo.trend-months=0 \
       -Dapp.demo.inspectors=500 -Dapp.rules.dir="$ROOT/rules" -Dquarkus.http.port="$PORT" \
       -Dquarkus.embedded.postgresql.port=$((PORT + 1000)) "-D%prod.quarkus.embedded.postgresql.data.dir=$RUN/epg" \
       -jar app/quarkus-run.jar > "$RUN/service.log" 2>&1 &
SERVICE=$!
trap 'kill $SERVICE 2>/dev/null || true' EXIT
echo "service log: $RUN/service.log (first start generates the district: be patient)"
until grep -q "Listening on" "$RUN/service.log"; do
  if ! kill -0 $SERVICE 2>/dev/null; then echo "service failed to start:"; tail -30 "$RUN/service.log"; exit 1; fi
  sleep 5
done
# Fresh bulk data has no planner statistics yet.
$PSQL -d "$DB" -c "vacuum analyze merchant" -c "vacuum analyze merchant_grade" -c "vacuum analyze merchant_event"

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB RAM, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "merchants: $($PSQL -d "$DB" -c 'select count(*) from merchant'), inspectors: $($PSQL -d "$DB" -c 'select count(*) from inspector where active') active of $($PSQL -d "$DB" -c 'select count(*) from inspector')"
SQUADS=$($PSQL -d "$DB" -c "select string_agg('\"' || code || '\"', ',') from squad")
for run in 1 2 3 4 5; do
  # Executable plans take no seed (the service draws it and commits to it on the public register); the
  # five plans overlap and exceed the squads' capacity on purpose, so both reasons are given.
  BODY=$(printf '{"name":"基准测试 %s","items":["GS-02","SC-01"],"periodStart":"%s","periodEnd":"%s","inspectorSquads":[%s],"overlapReason":"基准测试：同一范围重复生成","capacityReason":"基准测试：不实际执行"}' \
    "$run" "$(date +%F)" "$(date -d '+27 days' +%F)" "$SQUADS")
  OUT=$(curl -sf -u planner:demo1234 -H 'Content-Type: application/json' -d "$BODY" -w '\n%{time_total}' "http://localhost:$PORT/api/v1/inspection/plans")
  ID=$(echo "$OUT" | head -1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  echo "plan $ID: http $(echo "$OUT" | tail -1)s; $(echo "$OUT" | head -1 | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["visitCount"], "visits;", d["timingsMillis"])')"
  V=$(curl -sf -u planner:demo1234 -w '\n%{time_total}' "http://localhost:$PORT/api/v1/inspection/plans/$ID/verify")
  echo "verify $ID: http $(echo "$V" | tail -1)s; $(echo "$V" | head -1 | python3 -c 'import json,sys; d=json.load(sys.stdin); print("identical" if d["identical"] else "DIFFERENT", d["timingsMillis"])')"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
