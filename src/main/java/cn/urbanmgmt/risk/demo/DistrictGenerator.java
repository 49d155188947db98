package cn.urbanmgmt.risk.demo;

import cn.urbanmgmt.risk.common.Uscc;
import cn.urbanmgmt.risk.registry.KeyUnitType;
import cn.urbanmgmt.risk.registry.MerchantCategory;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.Random;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Deterministic generator of a plausible Jing'an district: the same seed and size always give the
 * same merchants. Writes through PostgreSQL COPY so that a million merchants take seconds.
 * Event histories are written by {@link EventHistoryGenerator}.
 */
public class DistrictGenerator {

    static final String[] STREETS = {"jingansi", "caojiadu", "jiangninglu", "shimenerlu", "nanjingxilu", "tianmuxilu",
            "beizhan", "baoshanlu", "gonghexinlu", "daninglu", "pengpuxincun", "linfenlu", "zhijiangxilu", "pengpuzhen"};
    static final String[] STREET_NAMES = {"静安寺", "曹家渡", "江宁路", "石门二路", "南京西路", "天目西路", "北站", "宝山路",
            "共和新路", "大宁路", "彭浦新村", "临汾路", "芷江西路", "彭浦"};
    /** Relative number of street-front merchants per street (busier commercial streets weigh more). */
    private static final int[] STREET_WEIGHTS = {12, 8, 8, 7, 11, 7, 6, 6, 7, 7, 5, 4, 5, 7};
    private static final String[] ROADS = {"南京西路", "愚园路", "常德路", "万航渡路", "长寿路", "江宁路", "新闸路", "北京西路",
            "石门一路", "西藏北路", "天目西路", "共和新路", "大统路", "宝山路", "中山北路", "大宁路", "广中西路", "临汾路",
            "场中路", "芷江西路", "沪太路", "平型关路", "延长路", "永和路", "华山路", "胶州路", "昌平路", "康定路"};
    private static final String[] BRANDS = {"鑫源", "华联", "佳美", "金鼎", "老王", "福满楼", "好邻居", "永盛", "红玫瑰",
            "东方", "百家", "新概念", "乐活", "聚福", "安心", "阿香", "小杨", "德顺", "恒泰", "天天", "悦来", "和平", "兴隆",
            "明珠", "海燕", "光明", "春风", "金桥", "一品", "大众"};
    private static final String[] SURNAMES = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "朱", "马", "胡"};

    private static final MerchantCategory[] CATEGORIES = MerchantCategory.values();
    /** Category mix, per mille, in the order of MerchantCategory. */
    private static final int[] CATEGORY_WEIGHTS = {300, 330, 30, 30, 40, 40, 2, 10, 150, 68};

    private final long seed;
    private final LocalDate today;

    public DistrictGenerator(long seed, LocalDate today) {
        this.seed = seed;
        this.today = today;
    }

    /** Writes {@code count} merchants (ids from the merchant sequence); returns how many were written. */
    public int writeMerchants(Connection c, int count) throws SQLException, IOException {
        long firstId;
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select coalesce(max(id), 0) + 1 from merchant")) {
            rs.next();
            firstId = rs.getLong(1);
        }
        CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
        Random r = new Random(seed);
        int batch = 20_000;
        for (int from = 0; from < count; from += batch) {
            StringBuilder sb = new StringBuilder(batch * 200);
            for (int i = from; i < Math.min(count, from + batch); i++) {
                appendMerchant(sb, firstId + i, i, r);
            }
            copy.copyIn("COPY merchant (id, uscc, name, address, street_code, category, key_unit, key_unit_type, status, "
                    + "opened_on, contact_name, contact_phone, longitude, latitude, created_at, updated_at) FROM STDIN", reader(sb));
        }
        try (Statement st = c.createStatement()) {
            // Keep the sequence ahead of the ids written here (pooled ids are handed out 50 at a time).
            st.execute("select setval('merchant_seq', (select max(id) from merchant) + 50)");
        }
        return count;
    }

    private void appendMerchant(StringBuilder sb, long id, int index, Random r) {
        int street = pick(r, STREET_WEIGHTS);
        MerchantCategory category = CATEGORIES[pick(r, CATEGORY_WEIGHTS)];
        KeyUnitType keyType = keyUnitType(category, r);
        int roll = r.nextInt(1000);
        String status = roll < 30 ? "CLOSED" : roll < 70 ? "SUSPENDED" : "OPERATING";
        LocalDate opened = r.nextInt(100) < 4 ? today.minusDays(r.nextInt(90))
                : today.minusDays(90 + r.nextInt(365 * 20));
        String road = ROADS[r.nextInt(ROADS.length)];
        String name = BRANDS[r.nextInt(BRANDS.length)] + shopWord(category, keyType, r) + "（" + STREET_NAMES[street] + "店）";
        String address = "上海市静安区" + road + (1 + r.nextInt(1500)) + "号";
        String contact = SURNAMES[r.nextInt(SURNAMES.length)] + (r.nextBoolean() ? "先生" : "女士");
        String phone = "13" + (10_000_000_0L + Math.floorMod(r.nextLong(), 90_000_000_0L));
        double lon = 121.43 + street % 5 * 0.01 + r.nextDouble() * 0.01;
        double lat = 31.22 + street / 5 * 0.02 + r.nextDouble() * 0.02;
        sb.append(id).append('\t').append(uscc(index)).append('\t').append(name).append('\t').append(address).append('\t')
                .append(STREETS[street]).append('\t').append(category.name()).append('\t').append(keyType != null).append('\t')
                .append(keyType == null ? "\\N" : keyType.name()).append('\t').append(status).append('\t').append(opened).append('\t')
                .append(contact).append('\t').append(phone).append('\t').append(String.format("%.6f", lon)).append('\t')
                .append(String.format("%.6f", lat)).append('\t').append(today).append(" 08:00:00+08").append('\t')
                .append(today).append(" 08:00:00+08").append('\n');
    }

    /** A unique, valid USCC for the index-th merchant: a bijection of the index into 9 base-31 digits. */
    String uscc(int index) {
        long space = 31L * 31 * 31 * 31 * 31 * 31 * 31 * 31 * 31; // 31^9
        long v = Math.floorMod(index * 2_654_435_761L + seed * 7919, space);
        StringBuilder org = new StringBuilder();
        for (int i = 0; i < 9; i++) {
            org.append(Uscc.ALPHABET.charAt((int) (v % 31)));
            v /= 31;
        }
        String first17 = "91310106" + org;
        return first17 + Uscc.checkChar(first17);
    }

    private static KeyUnitType keyUnitType(MerchantCategory c, Random r) {
        return switch (c) {
            case HOTEL -> r.nextInt(100) < 25 ? KeyUnitType.STAR_HOTEL : null;
            case MEDICAL -> r.nextInt(100) < 60 ? KeyUnitType.MEDICAL_INSTITUTION : null;
            case CATERING -> r.nextInt(100) < 8 ? KeyUnitType.RESTAURANT : null;
            case TRANSPORT_HUB -> KeyUnitType.TRANSPORT_HUB;
            default -> null;
        };
    }

    private static String shopWord(MerchantCategory c, KeyUnitType key, Random r) {
        String[] words = switch (c) {
            case CATERING -> key != null ? new String[]{"大酒店", "酒楼", "饭店"} : new String[]{"面馆", "小吃店", "餐厅", "火锅店", "咖啡馆", "烧烤店"};
            case RETAIL -> new String[]{"便利店", "超市", "服装店", "烟酒店", "水果店", "五金店"};
            case HOTEL -> key != null ? new String[]{"国际大酒店", "星级酒店"} : new String[]{"宾馆", "快捷酒店", "旅馆"};
            case MEDICAL -> key != null ? new String[]{"医院", "门诊部"} : new String[]{"诊所", "药房", "口腔诊所"};
            case ENTERTAINMENT -> new String[]{"KTV", "棋牌室", "足浴店", "网吧"};
            case EDUCATION -> new String[]{"培训中心", "艺术学校", "补习班"};
            case TRANSPORT_HUB -> new String[]{"客运站", "换乘中心"};
            case MARKET -> new String[]{"菜市场", "集贸市场"};
            case SERVICE -> new String[]{"理发店", "洗衣店", "美容院", "维修部", "照相馆"};
            case OTHER -> new String[]{"商行", "工作室", "经营部"};
        };
        return words[r.nextInt(words.length)];
    }

    static int pick(Random r, int[] weights) {
        int total = 0;
        for (int w : weights) total += w;
        int x = r.nextInt(total);
        for (int i = 0; i < weights.length; i++) {
            x -= weights[i];
            if (x < 0) return i;
        }
        return weights.length - 1;
    }

    static Reader reader(StringBuilder sb) {
        return new StringReader(sb.toString());
    }
}
