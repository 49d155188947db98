package cn.urbanmgmt.risk.demo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Deterministic demo inspector registry: about 470 officers (the bureau's staff) with badge numbers
 * JA1000, JA1001, ... (the numbers the demo event history already names), spread over the 14 street
 * squads by street size, the mobile squad and the railway-station squad. Most are qualified for every
 * demo item; some lack one or two, a few are off duty, and a few declare conflicts of interest.
 */
public class InspectorGenerator {

    private static final String[] SURNAMES = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "朱", "马", "胡",
            "郭", "何", "林", "高", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹"};
    private static final String[] GIVEN = {"伟", "敏", "静", "磊", "军", "勇", "杰", "娟", "涛", "明", "超", "秀英", "华", "慧", "建国",
            "志强", "海燕", "立新", "晓东", "文彬", "佳怡", "子涵", "浩然", "思远", "雪梅", "国庆", "春华", "振华", "玉兰", "建平"};
    /** Street squads in DistrictGenerator.STREETS order, then the mobile and railway squads. */
    private static final String[] SQUADS = {"sq-jingansi", "sq-caojiadu", "sq-jiangninglu", "sq-shimenerlu", "sq-nanjingxilu",
            "sq-tianmuxilu", "sq-beizhan", "sq-baoshanlu", "sq-gonghexinlu", "sq-daninglu", "sq-pengpuxincun", "sq-linfenlu",
            "sq-zhijiangxilu", "sq-pengpuzhen", "sq-mobile", "sq-railway"};
    /** Officers per squad, relative: street squads follow street size; mobile 18%, railway 7%. */
    private static final int[] SQUAD_WEIGHTS = {90, 60, 60, 53, 83, 53, 45, 45, 53, 53, 38, 30, 38, 53, 180, 70};

    private final long seed;

    public InspectorGenerator(long seed) {
        this.seed = seed;
    }

    public record Generated(String badgeNo, String name, String squad, boolean active, List<String> qualified, List<String> conflictUsccs,
                            List<String> conflictPersons) {
    }

    /** {@code count} officers; conflicts name merchants among the first {@code merchants} generated ones. */
    public List<Generated> generate(int count, List<String> itemCodes, int merchants) {
        Random r = new Random(seed * 17 + 3);
        DistrictGenerator district = new DistrictGenerator(seed, java.time.LocalDate.now());
        int total = 0;
        for (int w : SQUAD_WEIGHTS) total += w;
        List<Generated> out = new ArrayList<>(count);
        int made = 0;
        for (int s = 0; s < SQUADS.length; s++) {
            int n = s == SQUADS.length - 1 ? count - made : (int) Math.round((double) count * SQUAD_WEIGHTS[s] / total);
            for (int k = 0; k < n && made < count; k++, made++) {
                String name = SURNAMES[r.nextInt(SURNAMES.length)] + GIVEN[r.nextInt(GIVEN.length)];
                boolean active = r.nextInt(100) >= 3;
                List<String> qualified = new ArrayList<>(itemCodes);
                if (r.nextInt(100) < 10 && !qualified.isEmpty()) qualified.remove(r.nextInt(qualified.size()));
                if (r.nextInt(100) < 3 && !qualified.isEmpty()) qualified.remove(r.nextInt(qualified.size()));
                List<String> conflictUsccs = new ArrayList<>();
                List<String> conflictPersons = new ArrayList<>();
                if (merchants > 0 && r.nextInt(100) < 2) conflictUsccs.add(district.uscc(r.nextInt(merchants)));
                if (r.nextInt(100) < 2) conflictPersons.add(SURNAMES[r.nextInt(SURNAMES.length)] + GIVEN[r.nextInt(GIVEN.length)]);
                out.add(new Generated("JA" + (1000 + made), name, SQUADS[s], active, qualified, conflictUsccs, conflictPersons));
            }
        }
        return out;
    }

    public void write(Connection c, List<Generated> inspectors) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into inspector (id, badge_no, name, squad_code, active, qualified_items, "
                + "conflict_usccs, conflict_persons, updated_by) values (nextval('inspector_seq'), ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb, 'demo-generator')")) {
            for (Generated g : inspectors) {
                ps.setString(1, g.badgeNo());
                ps.setString(2, g.name());
                ps.setString(3, g.squad());
                ps.setBoolean(4, g.active());
                ps.setString(5, jsonArray(g.qualified()));
                ps.setString(6, jsonArray(g.conflictUsccs()));
                ps.setString(7, jsonArray(g.conflictPersons()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    static String jsonArray(List<String> values) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) sb.append(',');
            sb.append('"').append(values.get(i).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return sb.append(']').toString();
    }
}
