package cn.urbanmgmt.risk.security;

import cn.urbanmgmt.risk.common.SystemSettings;
import jakarta.inject.Inject;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Makes sure someone can log in. Demo mode creates one account per role and one squad account per
 * street; production needs an ADMIN, created from app.admin.* when the database has none, else the
 * service refuses to start.
 */
@ApplicationScoped
public class AccountBootstrap {

    private static final Logger LOG = Logger.getLogger(AccountBootstrap.class);
    public static final String DEMO_PASSWORD = "demo1234";

    @ConfigProperty(name = "app.demo.enabled")
    boolean demo;

    @ConfigProperty(name = "app.admin.username")
    String adminUsername;

    @ConfigProperty(name = "app.admin.password")
    Optional<String> adminPassword;

    @Inject
    SystemSettings settings;

    @Inject
    SquadDirectory squads;

    @Transactional
    void onStart(@Observes @Priority(10) StartupEvent event) {
        String mode = settings.get(SystemSettings.DATABASE_MODE);
        if (demo && "production".equals(mode)) {
            throw new IllegalStateException("\n\n  This database holds production data: demo mode (demo accounts and demo data) is refused."
                    + "\n  该数据库为生产数据库，拒绝以演示模式启动（不会写入演示账号和演示数据）。\n");
        }
        if (mode == null) {
            settings.put(SystemSettings.DATABASE_MODE, demo ? "demo" : "production");
        }
        if (demo) {
            createDemoAccounts();
            return;
        }
        if (AppUser.count(UserService.ACTIVE_ADMINS, Role.ADMIN.name()) > 0) {
            return;
        }
        if (adminPassword.isEmpty() || adminPassword.get().length() < 8) {
            throw new IllegalStateException("\n\n  No administrator exists in this database. Set APP_ADMIN_PASSWORD (at least 8 characters)"
                    + "\n  and optionally APP_ADMIN_USERNAME (default 'admin') to create one on this start.\n"
                    + "  数据库中没有管理员账号：请设置环境变量 APP_ADMIN_PASSWORD（至少 8 位）后重新启动。\n");
        }
        AppUser.create(adminUsername, adminPassword.get(), Role.ADMIN, null, "系统管理员");
        LOG.infof("Created administrator account '%s' from configuration", adminUsername);
    }

    /** username, name, main role, further role, squad, badge number. */
    static final String[][] DEMO_OFFICERS = {
            {"wang.jingansi", "王建国", "SQUAD", null, "sq-jingansi", "JA-0601"},
            {"li.jingansi", "李明", "SQUAD", null, "sq-jingansi", "JA-0602"},
            {"zhang.caojiadu", "张伟", "SQUAD", null, "sq-caojiadu", "JA-0701"},
            {"zhao.mobile", "赵强", "SQUAD", null, "sq-mobile", "JA-0901"},
            {"chen.review", "陈静", "REVIEWER", null, null, "JA-0101"},
            {"liu.review", "刘洋", "PLANNER", "REVIEWER", null, "JA-0102"},
            {"sun.credit", "孙丽", "CREDIT", null, null, "JA-0201"},
            {"zhou.rules", "周涛", "RULE_AUTHOR", null, null, "JA-0301"},
    };

    private void createDemoAccounts() {
        List<String[]> accounts = new ArrayList<>();
        accounts.add(new String[]{"admin", Role.ADMIN.name(), null, "系统管理员"});
        accounts.add(new String[]{"planner", Role.PLANNER.name(), null, "抽查计划员"});
        accounts.add(new String[]{"author", Role.RULE_AUTHOR.name(), null, "规则编写员"});
        accounts.add(new String[]{"auditor", Role.AUDITOR.name(), null, "纪检监察（审计）"});
        accounts.add(new String[]{"squad-mobile", Role.SQUAD.name(), "sq-mobile", "机动执法中队"});
        accounts.add(new String[]{"squad-railway", Role.SQUAD.name(), "sq-railway", "铁路上海站执法中队"});
        for (SquadDirectory.StreetSquad s : squads.streetSquads()) {
            accounts.add(new String[]{"squad-" + s.streetCode(), Role.SQUAD.name(), s.squadCode(), s.streetName() + "执法队"});
        }
        StringBuilder banner = new StringBuilder("\n\n  Demo accounts (password for all: " + DEMO_PASSWORD + "):\n");
        for (String[] a : accounts) {
            if (AppUser.findByUsername(a[0]) == null) {
                AppUser.create(a[0], DEMO_PASSWORD, Role.valueOf(a[1]), a[2], a[3]);
            }
            banner.append(String.format("    %-20s %-12s %s%n", a[0], a[1], a[3]));
        }
        banner.append("  Officer accounts (one per person, with badge number; same password):\n");
        for (String[] o : DEMO_OFFICERS) {
            if (AppUser.findByUsername(o[0]) == null) {
                AppUser u = AppUser.create(o[0], DEMO_PASSWORD, Role.valueOf(o[2]), o[4], o[1]);
                u.badgeNo = o[5];
                if (o[3] != null) u.extraRoles.add(o[3]);
            }
            banner.append(String.format("    %-20s %-12s %s %s%n", o[0], o[3] == null ? o[2] : o[2] + "+" + o[3], o[1], o[5]));
        }
        LOG.info(banner);
    }
}
