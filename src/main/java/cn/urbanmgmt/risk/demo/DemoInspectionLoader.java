package cn.urbanmgmt.risk.demo;

import cn.urbanmgmt.risk.inspection.items.CheckPoint;
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
            } else {
                // Demo databases from before checklists existed: the demo items get theirs (items edited by people are left alone).
                for (InspectionItem demoItem : items()) {
                    InspectionItem stored = InspectionItem.find(EDITION, demoItem.code);
                    if (stored != null && stored.checklist.isEmpty() && "demo-generator".equals(stored.updatedBy)) stored.checklist = demoItem.checklist;
                }
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

    private static CheckPoint point(String code, String text, int max) {
        return new CheckPoint(code, text, java.math.BigDecimal.valueOf(max));
    }

    /** The demo items' checklists (检查要点), as a street office would write them. */
    static final java.util.Map<String, List<CheckPoint>> CHECKLISTS = java.util.Map.of(
            "GS-01", List.of(point("GS-01-01", "未按规定设置四分类收集容器或容器标识不清", 5),
                    point("GS-01-02", "未明确分类投放管理责任人或未建立管理台账", 5),
                    point("GS-01-03", "混合投放、混装混运生活垃圾", 15),
                    point("GS-01-04", "湿垃圾未单独收集或未与有资质的单位签订收运协议", 10),
                    point("GS-01-05", "未对员工开展分类投放培训", 5)),
            "GS-02", List.of(point("GS-02-01", "门前未设置分类收集容器", 5),
                    point("GS-02-02", "垃圾混合投放或投放至非指定地点", 10),
                    point("GS-02-03", "垃圾未按规定时间交投", 5),
                    point("GS-02-04", "垃圾容器破损、满溢或周边脏乱", 5)),
            "SC-01", List.of(point("SC-01-01", "超出门窗外墙摆卖物品", 10),
                    point("SC-01-02", "占用人行道、绿地设摊经营", 15),
                    point("SC-01-03", "门前责任区堆放杂物、影响通行", 5),
                    point("SC-01-04", "未履行市容环境卫生责任区义务", 5),
                    point("SC-01-05", "经责令改正后仍占道经营", 15)),
            "OS-01", List.of(point("OS-01-01", "招牌未经设置审批或与审批内容不符", 10),
                    point("OS-01-02", "招牌破损、污浊、字体残缺", 5),
                    point("OS-01-03", "招牌存在安全隐患未及时维护", 15),
                    point("OS-01-04", "一店多招或超出规定范围设置", 5)),
            "AD-01", List.of(point("AD-01-01", "擅自设置户外广告设施", 15),
                    point("AD-01-02", "广告设施期满未拆除", 10),
                    point("AD-01-03", "广告画面破损、污浊或亮灯不全", 5)),
            "NS-01", List.of(point("NS-01-01", "营业噪声超过社会生活噪声排放标准", 15),
                    point("NS-01-02", "使用高音广播喇叭或音响招揽顾客", 10),
                    point("NS-01-03", "夜间（22 时至次日 6 时）产生干扰周边的噪声", 15),
                    point("NS-01-04", "空调、排风等设备噪声未采取降噪措施", 5)));

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
        i.checklist = new java.util.ArrayList<>(CHECKLISTS.getOrDefault(code, List.of()));
        i.updatedAt = OffsetDateTime.now();
        i.updatedBy = "demo-generator";
        return i;
    }
}
