package cn.urbanmgmt.risk.security;

import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A user of the service, one per officer; the password is stored as a bcrypt hash (modular crypt
 * format). {@link #role} is the main role (SQUAD users are bound to {@link #squadCode}),
 * {@link #extraRoles} any further ones.
 */
@Entity
@Table(name = "app_user")
public class AppUser extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "app_user_seq")
    @SequenceGenerator(name = "app_user_seq", sequenceName = "app_user_seq", allocationSize = 50)
    public Long id;

    public String username;

    @Column(name = "password_hash")
    public String passwordHash;

    public String role;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "app_user_role", joinColumns = @JoinColumn(name = "user_id"))
    @Column(name = "role")
    public Set<String> extraRoles = new LinkedHashSet<>();

    /** Set for SQUAD users only: the squad whose streets they see. */
    @Column(name = "squad_code")
    public String squadCode;

    @Column(name = "display_name")
    public String displayName;

    /** 执法证号; linked to the inspector registry (执法检查人员名录库) where an inspector has it. */
    @Column(name = "badge_no")
    public String badgeNo;

    /** The active flag: a disabled account cannot log in, its sessions end at the next request. */
    public boolean enabled = true;

    /** Set by an ADMIN's password reset: the account may only change its password. */
    @Column(name = "must_change_password")
    public boolean mustChangePassword;

    @Column(name = "created_at")
    public OffsetDateTime createdAt = OffsetDateTime.now();

    @Column(name = "updated_at")
    public OffsetDateTime updatedAt = OffsetDateTime.now();

    @Column(name = "updated_by")
    public String updatedBy;

    public static AppUser create(String username, String password, Role role, String squadCode, String displayName) {
        AppUser u = new AppUser();
        u.username = username;
        u.passwordHash = BcryptUtil.bcryptHash(password);
        u.role = role.name();
        u.squadCode = squadCode;
        u.displayName = displayName;
        u.persist();
        return u;
    }

    /** The main role first, then the others. */
    public Set<String> roles() {
        Set<String> all = new LinkedHashSet<>();
        all.add(role);
        all.addAll(extraRoles);
        return all;
    }

    public static AppUser findByUsername(String username) {
        return find("username", username).firstResult();
    }
}
