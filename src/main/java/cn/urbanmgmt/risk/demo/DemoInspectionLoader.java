package cn.urbanmgmt.risk.demo;

import cn.urbanmgmt.risk.inspection.items.InspectionItem;
import cn.urbanmgmt.risk.inspection.items.InspectionMode;
import cn.urbanmgmt.risk.registry.KeyUnitType;
import cn.urbanmgmt.risk.registry.MerchantCategory;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Demo inspection data on a demo database: the 2021 edition of the item list (the codes the demo
 * event history uses, plus noise) when there are no items, and the generated inspector registry when
 * there are no inspectors. Runs after {@link DemoDataLoader} so conflicts can name demo merchants.
 */
@ApplicationScoped
public class DemoInspectionLoader {

    private static final Logger LOG = Logger.getLogger(DemoInspectionLoader.class);
    public static final int EDITION = 2021;

    @ConfigProperty(name = "app.demo.enabled")
    boolean demo;

    @ConfigProperty(name = "app.demo.inspectors", defaultValue = "470")
    int inspectors;

    @ConfigProperty(name = "app.demo.seed")
    long seed;

    @Inject
    AgroalDataSource dataSource;

    void onStart(@Observes @Priority(25) StartupEvent event) throws Exception {
        if (!demo) return;
        QuarkusTransaction.requiringNew().run(() -> {
            if (InspectionItem.count() == 0) {
                for (InspectionItem i : items()) i.persist();
                LOG.infof("Demo inspection items (%d edition) loaded", EDITION);
            }
        });
        if (inspectors <= 0) return;
        try (Connection c = dataSource.getConnection()) {
            int merchants;
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select (select count(*) from inspector), (select count(*) from merchant)")) {
                rs.next();
                if (rs.getLong(1) > 0) return;
                merchants = (int) rs.getLong(2);
            }
            InspectorGenerator g = new InspectorGenerator(seed);
            List<InspectorGenerator.Generated> staff = g.generate(inspectors, items().stream().map(i -> i.code).toList(), merchants);
            g.write(c, staff);
            LOG.infof("Demo inspector registry generated: %d officers in 16 squads (badges JA1000-JA%d)", staff.size(), 999 + staff.size());
        }
    }

    static List<InspectionItem> items() {
        List<KeyUnitType> keyUnits = List.of(KeyUnitType.values());
        return List.of(
                item("GS-01", "垃圾分类重点单位生活垃圾分类投放管理", "《上海市生活垃圾管理条例》第十九条、第二十二条、第五十九条",
                        List.of(), keyUnits, InspectionMode.ON_SITE, "KEY_UNIT_WEEKLY",
                        "星级宾馆、医疗机构、餐饮单位、交通枢纽等重点场所每周检查，每周覆盖重点单位的 10% 以上"),
                item("GS-02", "沿街商户生活垃圾分类", "《上海市生活垃圾管理条例》第二十二条、第五十八条",
                        List.of(), List.of(), InspectionMode.ON_SITE, "RISK_BASED", "按风险等级抽查"),
                item("SC-01", "跨门营业、占道经营", "《上海市市容环境卫生管理条例》第二十二条、第四十二条",
                        List.of(MerchantCategory.CATERING, MerchantCategory.RETAIL, MerchantCategory.SERVICE, MerchantCategory.MARKET,
                                MerchantCategory.ENTERTAINMENT, MerchantCategory.OTHER), List.of(), InspectionMode.ON_SITE, "RISK_BASED", "按风险等级抽查"),
                item("OS-01", "户外招牌设置", "《上海市市容环境卫生管理条例》第十六条；《上海市户外招牌设置管理办法》",
                        List.of(), List.of(), InspectionMode.ON_SITE, "RISK_BASED", "按风险等级抽查"),
                item("AD-01", "户外广告设施设置", "《上海市户外广告设施管理办法》第十六条、第三十四条",
                        List.of(), List.of(), InspectionMode.NON_SITE, "RISK_BASED", "以视频监控等非现场方式核查"),
                item("NS-01", "社会生活噪声", "《中华人民共和国噪声污染防治法》第六十一条、第八十七条",
                        List.of(MerchantCategory.ENTERTAINMENT, MerchantCategory.CATERING, MerchantCategory.RETAIL, MerchantCategory.MARKET),
                        List.of(), InspectionMode.ON_SITE, "RISK_BASED", "按风险等级抽查"));
    }

    private static InspectionItem item(String code, String name, String basis, List<MerchantCategory> categories, List<KeyUnitType> keyUnits,
                                       InspectionMode mode, String policy, String description) {
        InspectionItem i = new InspectionItem();
        i.edition = EDITION;
        i.code = code;
        i.name = name;
        i.legalBasis = basis;
        i.categories = new java.util.ArrayList<>(categories);
        i.keyUnitTypes = new java.util.ArrayList<>(keyUnits);
        i.mode = mode;
        i.samplingPolicy = policy;
        i.description = description;
        i.updatedAt = OffsetDateTime.now();
        i.updatedBy = "demo-generator";
        return i;
    }
}
