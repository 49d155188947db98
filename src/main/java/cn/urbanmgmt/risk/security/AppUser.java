package cn.urbanmgmt.risk.security;

import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

/** A user of the service; the password is stored as a bcrypt hash (modular crypt format). */
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

    /** Set for SQUAD users only: the squad whose streets they see. */
    @Column(name = "squad_code")
    public String squadCode;

    @Column(name = "display_name")
    public String displayName;

    public boolean enabled = true;

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

    public static AppUser findByUsername(String username) {
        return find("username", username).firstResult();
    }
}
