package cn.urbanmgmt.risk.registry;

import cn.urbanmgmt.risk.security.SquadDirectory;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Set;

/** Security's view of the squads and streets (account scope, squad on an account, demo accounts). */
@ApplicationScoped
public class RegistrySquadDirectory implements SquadDirectory {

    @Override
    public Set<String> streetsOf(String squadCode) {
        Squad squad = Squad.findById(squadCode);
        return squad == null ? null : squad.streetCodes;
    }

    @Override
    public String codeOf(String codeOrName) {
        if (Squad.findById(codeOrName) != null) return codeOrName;
        Squad byName = Squad.find("name", codeOrName).firstResult();
        return byName == null ? null : byName.code;
    }

    @Override
    public List<StreetSquad> streetSquads() {
        List<Street> streets = Street.list("order by sortOrder");
        return streets.stream().map(s -> new StreetSquad(s.code, s.name, s.squadCode)).toList();
    }
}
