package cn.urbanmgmt.risk.web;

import cn.urbanmgmt.risk.common.Actor;
import cn.urbanmgmt.risk.registry.ReferenceData;
import cn.urbanmgmt.risk.registry.Squad;
import cn.urbanmgmt.risk.security.CurrentUser;
import cn.urbanmgmt.risk.security.Role;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

/** What every console page needs: the viewer for the layout and the actor for the services. */
@RequestScoped
public class Console {

    @Inject
    SecurityIdentity identity;

    @Inject
    CurrentUser currentUser;

    @Inject
    ReferenceData refs;

    public Viewer viewer() {
        if (identity.isAnonymous()) return null;
        // The account's main role (an officer may hold further ones, e.g. PLANNER and REVIEWER).
        String main = identity.getAttribute("role");
        String role = main != null && !main.isEmpty() ? main : identity.getRoles().stream().findFirst().orElse("");
        String display = identity.getAttribute("displayName");
        String squadCode = identity.getAttribute("squad");
        Squad squad = squadCode == null || squadCode.isEmpty() ? null : refs.squad(squadCode);
        return new Viewer(identity.getPrincipal().getName(), display == null || display.isBlank() ? identity.getPrincipal().getName() : display,
                role, Role.SQUAD_.equals(role) && squad != null ? squad.name : null);
    }

    public Actor actor() {
        return currentUser.actor();
    }

    /** A page of the console layout; {@code nav} names the menu entry to highlight. */
    public TemplateInstance page(Template template, String nav) {
        return template.data("viewer", viewer()).data("nav", nav);
    }
}
