package cn.urbanmgmt.risk.inspection.inspectors;

import cn.urbanmgmt.risk.security.InspectorBadges;
import jakarta.enterprise.context.ApplicationScoped;

/** Security's view of the inspector register: the inspector behind an account's badge number. */
@ApplicationScoped
public class InspectorBadgeLookup implements InspectorBadges {

    @Override
    public Long inspectorIdOf(String badgeNo) {
        Inspector inspector = Inspector.findByBadge(badgeNo);
        return inspector == null ? null : inspector.id;
    }
}
