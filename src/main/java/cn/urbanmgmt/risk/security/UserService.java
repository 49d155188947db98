package cn.urbanmgmt.risk.security;

import cn.urbanmgmt.risk.common.Actor;
import cn.urbanmgmt.risk.common.Cells;
import cn.urbanmgmt.risk.common.Labelled;
import cn.urbanmgmt.risk.common.Problem.FieldError;
import cn.urbanmgmt.risk.common.ProblemException;
import cn.urbanmgmt.risk.common.tabular.TabularFile;
import io.quarkus.elytron.security.common.BcryptUtil;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Accounts per officer, managed by ADMIN: create (one or a list), change name, badge, roles and
 * squad, disable and enable, reset a password (the officer must change it at the next use), and an
 * officer's own password change. Every change is written to user_audit with the acting user.
 */
@ApplicationScoped
public class UserService {

    /** HQL: enabled accounts holding ADMIN (?1), as main or further role. */
    static final String ACTIVE_ADMINS = "enabled = true and (role = ?1 or ?1 member of extraRoles)";
    private static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._-]{2,63}");
    private static final Pattern BADGE = Pattern.compile("[A-Za-z0-9-]{4,32}");

    @Inject
    EntityManager em;

    @Inject
    LoginThrottle throttle;

    @Inject
    PasswordIdentityProvider logins;

    @Inject
    SquadDirectory squads;

    @Inject
    InspectorBadges inspectors;

    /** A created account and, when the service chose it, its temporary password (shown once). */
    public record Created(UserView user, String temporaryPassword) {
    }

    @Transactional
    public List<UserView> list() {
        List<AppUser> users = AppUser.list("order by username");
        return users.stream().map(this::view).toList();
    }

    @Transactional
    public UserView get(long id) {
        return view(find(id));
    }

    @Transactional
    public UserView byUsername(String username) {
        AppUser u = AppUser.findByUsername(username);
        if (u == null) throw ProblemException.notFound("账号不存在");
        return view(u);
    }

    @Transactional
    public Created create(UserInput in, Actor actor) {
        List<FieldError> errors = new ArrayList<>();
        Created c = create(in, actor, null, errors);
        if (!errors.isEmpty()) throw ProblemException.validation(errors.get(0).message(), errors);
        return c;
    }

    /** Creates the account or adds what is wrong with it to {@code errors} (at {@code line} for a file). */
    private Created create(UserInput in, Actor actor, Integer line, List<FieldError> errors) {
        int before = errors.size();
        String username = in.username() == null ? null : in.username().strip();
        if (username == null || !USERNAME.matcher(username).matches()) {
            errors.add(new FieldError(line, "username", username, "用户名须为 3-64 位小写字母、数字或 . _ -，以字母或数字开头"));
        } else if (AppUser.findByUsername(username) != null) {
            errors.add(new FieldError(line, "username", username, "用户名“" + username + "”已存在"));
        }
        Resolved r = resolve(in, null, line, errors);
        String password = in.password();
        String temporary = null;
        if (password == null || password.isEmpty()) {
            temporary = PasswordPolicy.temporary();
            password = temporary;
        } else {
            String problem = PasswordPolicy.problem(username, password);
            if (problem != null) errors.add(new FieldError(line, "password", null, problem));
        }
        if (errors.size() > before) return null;
        AppUser u = new AppUser();
        u.username = username;
        u.passwordHash = BcryptUtil.bcryptHash(password);
        apply(u, r, actor);
        // A password someone else chose is temporary: the officer picks their own at first use.
        u.mustChangePassword = true;
        u.persist();
        audit(u, "CREATE", actor, describe(u));
        return new Created(view(u), temporary);
    }

    @Transactional
    public UserView update(long id, UserInput in, Actor actor) {
        AppUser u = find(id);
        List<FieldError> errors = new ArrayList<>();
        Resolved r = resolve(in, u, null, errors);
        if (!errors.isEmpty()) throw ProblemException.validation(errors.get(0).message(), errors);
        if (u.username.equals(actor.username()) && !r.roles().contains(Role.ADMIN.name()) && u.roles().contains(Role.ADMIN.name())) {
            throw ProblemException.conflict("不能取消自己的系统管理员角色；请由另一位管理员操作");
        }
        if (u.roles().contains(Role.ADMIN.name()) && !r.roles().contains(Role.ADMIN.name())) requireAnotherAdmin(u);
        String before = describe(u);
        apply(u, r, actor);
        String after = describe(u);
        if (!before.equals(after)) audit(u, "UPDATE", actor, before + " → " + after);
        logins.forget(u.username);
        return view(u);
    }

    @Transactional
    public UserView setEnabled(long id, boolean enabled, Actor actor) {
        AppUser u = find(id);
        if (u.enabled == enabled) return view(u);
        if (!enabled) {
            if (u.username.equals(actor.username())) throw ProblemException.conflict("不能停用自己的账号");
            if (u.roles().contains(Role.ADMIN.name())) requireAnotherAdmin(u);
        }
        u.enabled = enabled;
        touch(u, actor);
        audit(u, enabled ? "ENABLE" : "DISABLE", actor, null);
        logins.forget(u.username);
        return view(u);
    }

    /** A new temporary password (returned once); the officer must change it; lifts a lock-out. */
    @Transactional
    public Created resetPassword(long id, Actor actor) {
        AppUser u = find(id);
        String temporary = PasswordPolicy.temporary();
        u.passwordHash = BcryptUtil.bcryptHash(temporary);
        u.mustChangePassword = true;
        touch(u, actor);
        audit(u, "RESET_PASSWORD", actor, null);
        logins.forget(u.username);
        throttle.unlock(u.username);
        return new Created(view(u), temporary);
    }

    @Transactional
    public void changeOwnPassword(String username, PasswordChangeInput in) {
        AppUser u = AppUser.findByUsername(username);
        if (u == null) throw ProblemException.notFound("账号不存在");
        if (in == null || in.currentPassword() == null || !BcryptUtil.matches(in.currentPassword(), u.passwordHash)) {
            throw ProblemException.invalidField("currentPassword", "当前密码不正确");
        }
        String problem = PasswordPolicy.problem(username, in.newPassword());
        if (problem != null) throw ProblemException.invalidField("newPassword", problem);
        if (in.newPassword().equals(in.currentPassword())) {
            throw ProblemException.invalidField("newPassword", "新密码不能与当前密码相同");
        }
        u.passwordHash = BcryptUtil.bcryptHash(in.newPassword());
        u.mustChangePassword = false;
        touch(u, Actor.system(username));
        audit(u, "CHANGE_PASSWORD", Actor.system(username), null);
        logins.forget(username);
    }

    /**
     * Creates the accounts of a list (CSV or XLSX; columns 用户名, 姓名, 执法证号, 角色 (several
     * separated by 、 or ;), 中队). All or nothing: any bad line and no account is created; every
     * bad line is reported. Each new account gets a temporary password, returned once.
     */
    @Transactional
    public List<Created> importUsers(byte[] file, String encoding, Actor actor) {
        TabularFile.Content content = TabularFile.read(file, encoding, 10_000);
        List<FieldError> errors = new ArrayList<>();
        List<Created> created = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (TabularFile.Row row : content.rows()) {
            Cells cells = new Cells(row, errors);
            String username = cells.text("username", "用户名");
            if (username != null && !seen.add(username)) {
                cells.error("username", username, "用户名“" + username + "”在文件中重复出现");
                continue;
            }
            String roles = cells.text("roles", "角色");
            UserInput in = new UserInput(username, cells.text("displayName", "姓名"), cells.text("badgeNo", "执法证号"),
                    roles == null ? List.of() : List.of(roles.split("[、;；,，\\s]+")), cells.text("squad", "中队"), null);
            Created c = create(in, actor, row.line(), errors);
            if (c != null) created.add(c);
        }
        if (!errors.isEmpty()) {
            throw ProblemException.validation("文件中有 " + errors.stream().map(FieldError::line).distinct().count()
                    + " 行数据有误，未创建任何账号；请更正后重新上传", errors);
        }
        return created;
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private record Resolved(String displayName, String badgeNo, Set<String> roles, String mainRole, String squad) {
    }

    private Resolved resolve(UserInput in, AppUser existing, Integer line, List<FieldError> errors) {
        String name = in.displayName() == null ? null : in.displayName().strip();
        if (name == null || name.isEmpty() || name.length() > 100) {
            errors.add(new FieldError(line, "displayName", name, "姓名不能为空，最长 100 个字符"));
        }
        String badge = in.badgeNo() == null || in.badgeNo().isBlank() ? null : in.badgeNo().strip();
        if (badge != null) {
            if (!BADGE.matcher(badge).matches()) {
                errors.add(new FieldError(line, "badgeNo", badge, "执法证号须为 4-32 位字母、数字或短横线"));
            } else {
                AppUser other = AppUser.find("badgeNo", badge).firstResult();
                if (other != null && (existing == null || !other.id.equals(existing.id))) {
                    errors.add(new FieldError(line, "badgeNo", badge, "执法证号“" + badge + "”已属于账号“" + other.username + "”"));
                }
            }
        }
        Set<String> roles = new LinkedHashSet<>();
        if (in.roles() == null || in.roles().stream().allMatch(r -> r == null || r.isBlank())) {
            errors.add(new FieldError(line, "roles", null, "至少需要一个角色，可选：" + Labelled.allowed(Role.class)));
        } else {
            for (String text : in.roles()) {
                if (text == null || text.isBlank()) continue;
                Role role = Labelled.parse(Role.class, text);
                if (role == null) {
                    errors.add(new FieldError(line, "roles", text, "角色“" + text + "”不存在，可选：" + Labelled.allowed(Role.class)));
                } else {
                    roles.add(role.name());
                }
            }
        }
        String squad = in.squad() == null || in.squad().isBlank() ? null : in.squad().strip();
        boolean isSquad = roles.contains(Role.SQUAD.name());
        if (isSquad && squad == null) {
            errors.add(new FieldError(line, "squad", null, "执法队员须指定所属中队（如 sq-jingansi）"));
        } else if (!isSquad && squad != null) {
            errors.add(new FieldError(line, "squad", squad, "只有执法队员（SQUAD）账号绑定中队；请去掉中队或加上 SQUAD 角色"));
        } else if (squad != null) {
            String code = squads.codeOf(squad);
            if (code == null) errors.add(new FieldError(line, "squad", squad, "中队“" + squad + "”不存在"));
            else squad = code;
        }
        String main = isSquad ? Role.SQUAD.name() : roles.stream().findFirst().orElse(null);
        return new Resolved(name, badge, roles, main, squad);
    }

    private void apply(AppUser u, Resolved r, Actor actor) {
        u.displayName = r.displayName();
        u.badgeNo = r.badgeNo();
        u.role = r.mainRole();
        u.extraRoles.clear();
        r.roles().stream().filter(x -> !x.equals(r.mainRole())).forEach(u.extraRoles::add);
        u.squadCode = r.squad();
        touch(u, actor);
    }

    private static void touch(AppUser u, Actor actor) {
        u.updatedAt = OffsetDateTime.now();
        u.updatedBy = actor.username();
    }

    private void requireAnotherAdmin(AppUser u) {
        long others = AppUser.count(ACTIVE_ADMINS + " and id <> ?2", Role.ADMIN.name(), u.id);
        if (others == 0) throw ProblemException.conflict("这是最后一个启用的系统管理员账号，不能停用或取消其管理员角色");
    }

    private static String describe(AppUser u) {
        return "roles=" + u.roles() + (u.squadCode == null ? "" : " squad=" + u.squadCode)
                + " name=" + u.displayName + (u.badgeNo == null ? "" : " badge=" + u.badgeNo);
    }

    private AppUser find(long id) {
        AppUser u = AppUser.findById(id);
        if (u == null) throw ProblemException.notFound("账号 " + id + " 不存在");
        return u;
    }

    private UserView view(AppUser u) {
        return UserView.of(u, u.badgeNo == null ? null : inspectors.inspectorIdOf(u.badgeNo));
    }

    void audit(AppUser u, String action, Actor actor, String detail) {
        em.flush();
        em.createNativeQuery("insert into user_audit (id, user_id, username, action, actor, detail) values (nextval('user_audit_seq'), ?1, ?2, ?3, ?4, ?5)")
                .setParameter(1, u.id).setParameter(2, u.username).setParameter(3, action).setParameter(4, actor.username())
                .setParameter(5, detail).executeUpdate();
    }

    /** One change of an account: what, by whom, when (ISO-8601), details. */
    public record AuditEntry(String action, String actor, String at, String detail) {
    }

    @Transactional
    public List<AuditEntry> audit(long id) {
        find(id);
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select action, actor, to_char(at at time zone 'Asia/Shanghai', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS+08:00'), detail"
                + " from user_audit where user_id = ?1 order by id").setParameter(1, id).getResultList();
        return rows.stream().map(r -> new AuditEntry((String) r[0], (String) r[1], (String) r[2], (String) r[3])).toList();
    }
}
