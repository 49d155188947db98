package cn.urbanmgmt.risk.rules;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What every kind's simulation tallies per chunk and merges in its finish: rule faults, and sample merchant ids per change. */
public final class SimulationTally {

    /** Merchants shown per change. */
    public static final int SAMPLES = 20;
    /** Merchant ids kept per fault. */
    public static final int FAULT_SAMPLES = 5;

    private SimulationTally() {
    }

    /** Rule faults by side, kind and rule; as JSON, the list of {@link SimulationFault}. */
    public static final class Faults {

        private final Map<String, SimulationFault> byKey = new LinkedHashMap<>();

        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        public static Faults of(List<SimulationFault> faults) {
            Faults f = new Faults();
            if (faults != null) faults.forEach(f::merge);
            return f;
        }

        @JsonValue
        public List<SimulationFault> list() {
            return new ArrayList<>(byKey.values());
        }

        /** One more merchant on which {@code rule} failed; the first message is kept. */
        public void add(String side, String kind, String rule, String message, long merchantId) {
            SimulationFault f = byKey.get(key(side, kind, rule));
            List<Long> ids = new ArrayList<>(f == null ? List.of() : f.merchantIds());
            if (ids.size() < FAULT_SAMPLES && !ids.contains(merchantId)) ids.add(merchantId);
            byKey.put(key(side, kind, rule), new SimulationFault(side, kind, rule, f == null ? message : f.message(), f == null ? 1 : f.count() + 1, ids));
        }

        /** Adds another chunk's fault: counts add up, ids up to {@link #FAULT_SAMPLES}. */
        public void merge(SimulationFault other) {
            String key = key(other.side(), other.kind(), other.rule());
            SimulationFault f = byKey.get(key);
            if (f == null) {
                byKey.put(key, other);
                return;
            }
            List<Long> ids = new ArrayList<>(f.merchantIds());
            for (Long id : other.merchantIds()) if (ids.size() < FAULT_SAMPLES) ids.add(id);
            byKey.put(key, new SimulationFault(f.side(), f.kind(), f.rule(), f.message(), f.count() + other.count(), ids));
        }

        public void merge(Faults other) {
            other.byKey.values().forEach(this::merge);
        }

        /** Merchants that faulted, over all rules and sides. */
        public long count() {
            return byKey.values().stream().mapToLong(SimulationFault::count).sum();
        }

        private static String key(String side, String kind, String rule) {
            return side + "|" + kind + "|" + rule;
        }
    }

    /** The first {@link #SAMPLES} merchant ids of each change, by a key of the kind's choosing; as JSON, key to ids. */
    public static final class Samples {

        private final Map<String, List<Long>> ids = new TreeMap<>();

        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        public static Samples of(Map<String, List<Long>> ids) {
            Samples s = new Samples();
            if (ids != null) ids.forEach((k, v) -> v.forEach(id -> s.add(k, id)));
            return s;
        }

        @JsonValue
        public Map<String, List<Long>> map() {
            return ids;
        }

        public void add(String change, long merchantId) {
            List<Long> l = ids.computeIfAbsent(change, k -> new ArrayList<>());
            if (l.size() < SAMPLES) l.add(merchantId);
        }

        public void merge(Samples other) {
            other.ids.forEach((k, v) -> v.forEach(id -> add(k, id)));
        }

        public List<Long> get(String change) {
            return ids.getOrDefault(change, List.of());
        }

        public List<Long> all() {
            return ids.values().stream().flatMap(List::stream).distinct().toList();
        }
    }
}
