package cn.urbanmgmt.risk.common;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.List;

/** Small facts the database keeps about itself (table system_setting). Call inside a transaction. */
@ApplicationScoped
public class SystemSettings {

    public static final String DATABASE_MODE = "database_mode";

    @Inject
    EntityManager em;

    public String get(String key) {
        @SuppressWarnings("unchecked")
        List<String> v = em.createNativeQuery("select value from system_setting where key = ?1").setParameter(1, key).getResultList();
        return v.isEmpty() ? null : v.get(0);
    }

    public void put(String key, String value) {
        em.createNativeQuery("insert into system_setting (key, value) values (?1, ?2) on conflict (key) do update set value = excluded.value")
                .setParameter(1, key).setParameter(2, value).executeUpdate();
    }
}
