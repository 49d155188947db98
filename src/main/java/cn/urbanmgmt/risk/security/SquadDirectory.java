package cn.urbanmgmt.risk.security;

import java.util.List;
import java.util.Set;

/**
 * The enforcement squads (执法中队) as security needs them: an account's street scope, the squad named
 * on an account, the demo squad accounts. The squads and streets are the registry's; it implements this.
 */
public interface SquadDirectory {

    /** The street codes of the squad with this code, or null when there is no such squad. */
    Set<String> streetsOf(String squadCode);

    /** The code of the squad named by its code or by its name, or null when there is none. */
    String codeOf(String codeOrName);

    /** Every street with the squad that works on it, in the streets' display order. */
    List<StreetSquad> streetSquads();

    record StreetSquad(String streetCode, String streetName, String squadCode) {
    }
}
