package cn.urbanmgmt.risk.registry;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Streets and squads: fixed reference data, read once at start-up. */
@ApplicationScoped
public class ReferenceData {

    private volatile Map<String, Street> streetsByCode = Map.of();
    private volatile Map<String, Squad> squadsByCode = Map.of();

    @Transactional
    void load(@Observes StartupEvent event) {
        List<Street> streets = Street.listAll();
        streets.sort(Comparator.comparingInt(s -> s.sortOrder));
        streetsByCode = streets.stream().collect(Collectors.toMap(s -> s.code, s -> s, (a, b) -> a, LinkedHashMap::new));
        List<Squad> squads = Squad.listAll();
        squadsByCode = squads.stream().collect(Collectors.toMap(s -> s.code, s -> s, (a, b) -> a, LinkedHashMap::new));
    }

    public List<Street> streets() {
        return List.copyOf(streetsByCode.values());
    }

    public List<Squad> squads() {
        return List.copyOf(squadsByCode.values());
    }

    public Street street(String code) {
        return streetsByCode.get(code);
    }

    public Squad squad(String code) {
        return squadsByCode.get(code);
    }

    /** A street by code ("jingansi") or name ("静安寺街道"); null when neither. */
    public Street resolveStreet(String codeOrName) {
        if (codeOrName == null) return null;
        String t = codeOrName.trim();
        Street s = streetsByCode.get(t.toLowerCase(java.util.Locale.ROOT));
        if (s != null) return s;
        return streetsByCode.values().stream().filter(x -> x.name.equals(t)).findFirst().orElse(null);
    }

    public String streetName(String code) {
        Street s = streetsByCode.get(code);
        return s == null ? code : s.name;
    }

    public String allowedStreets() {
        return streetsByCode.values().stream().map(s -> s.code + "（" + s.name + "）").collect(Collectors.joining("、"));
    }
}
