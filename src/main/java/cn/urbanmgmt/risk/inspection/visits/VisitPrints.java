package cn.urbanmgmt.risk.inspection.visits;

import cn.urbanmgmt.risk.common.Actor;
import cn.urbanmgmt.risk.events.EventService;
import cn.urbanmgmt.risk.registry.ReferenceData;
import cn.urbanmgmt.risk.registry.Squad;
import com.lowagie.text.Document;
import com.lowagie.text.DocumentException;
import com.lowagie.text.Element;
import com.lowagie.text.Font;
import com.lowagie.text.PageSize;
import com.lowagie.text.Paragraph;
import com.lowagie.text.Phrase;
import com.lowagie.text.Rectangle;
import com.lowagie.text.pdf.BaseFont;
import com.lowagie.text.pdf.PdfPCell;
import com.lowagie.text.pdf.PdfPTable;
import com.lowagie.text.pdf.PdfWriter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Printouts of the field work as PDF (OpenPDF), with Noto Sans SC embedded (a GB 2312 subset shipped
 * in the jar under fonts/, SIL Open Font License; no system font needed): a squad's visit list for one
 * day, and the inspection record (检查记录) of one visit, filled in with the recorded results or with
 * room to write by hand.
 */
@ApplicationScoped
public class VisitPrints {

    static final String FONT = "fonts/NotoSansSC-Regular-GB2312.ttf";
    private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private static volatile BaseFont baseFont;

    @Inject
    VisitService visits;

    @Inject
    ReferenceData refs;

    /** The squad's visits whose window includes the day, as an A4 landscape list. */
    public byte[] dayList(String squad, LocalDate day, Actor actor) {
        String squadCode = squad == null || squad.isBlank() ? actor.scope().squadCode() : squad.strip();
        if (squadCode == null) {
            throw cn.urbanmgmt.risk.common.ProblemException.invalidField("squad", "请选择中队");
        }
        List<VisitView> list = visits.onDay(squadCode, day, actor);
        Squad sq = refs.squad(squadCode.toLowerCase(Locale.ROOT));
        String squadName = sq != null ? sq.name : squadCode;
        return pdf(PageSize.A4.rotate(), doc -> {
            doc.add(title(squadName + " 检查任务清单"));
            doc.add(line("检查日期：" + day + "　　共 " + list.size() + " 户　　打印时间：" + now(), small()));
            PdfPTable t = new PdfPTable(new float[]{4, 16, 16, 18, 16, 10, 14, 6, 9});
            t.setWidthPercentage(100);
            t.setSpacingBefore(8);
            t.setHeaderRows(1);
            for (String h : List.of("序号", "商户名称", "统一社会信用代码", "地址", "检查事项", "检查期限", "检查人员", "状态", "备注"))
                t.addCell(head(h));
            int n = 1;
            for (VisitView v : list) {
                t.addCell(cell(String.valueOf(n++)));
                t.addCell(cell(v.merchantName()));
                t.addCell(cell(v.uscc()));
                t.addCell(cell(v.address() + "（" + v.streetName() + "）"));
                t.addCell(cell(v.items().stream().map(i -> i.code() + " " + (i.name() == null ? "" : i.name())).collect(Collectors.joining("\n"))));
                t.addCell(cell(v.windowStart() + "\n至 " + v.windowEnd()));
                t.addCell(cell(inspectors(v)));
                t.addCell(cell(statusName(v)));
                t.addCell(cell(""));
            }
            if (list.isEmpty()) {
                PdfPCell none = cell("当日没有检查任务。");
                none.setColspan(9);
                t.addCell(none);
            }
            doc.add(t);
        });
    }

    /** One visit's inspection record (检查记录), A4 portrait. */
    public byte[] record(long visitId, Actor actor) {
        VisitView v = visits.get(visitId, actor);
        return pdf(PageSize.A4, doc -> {
            doc.add(title("双随机抽查检查记录"));
            doc.add(line("抽查计划：" + v.planName() + "　　任务编号：" + v.planId() + "-" + v.visitNo(), small()));
            PdfPTable t = new PdfPTable(new float[]{22, 78});
            t.setWidthPercentage(100);
            t.setSpacingBefore(8);
            row(t, "被检查单位", v.merchantName());
            row(t, "统一社会信用代码", v.uscc());
            row(t, "地址", v.address() + "（" + v.streetName() + "）");
            row(t, "负责中队", v.squadName());
            row(t, "检查期限", v.windowStart() + " 至 " + v.windowEnd());
            row(t, "检查人员", inspectors(v));
            row(t, "检查事项", v.items().stream().map(i -> i.code() + " " + (i.name() == null ? "" : i.name())).collect(Collectors.joining("\n")));
            doc.add(t);

            PdfPTable r = new PdfPTable(new float[]{18, 18, 12, 12, 40});
            r.setWidthPercentage(100);
            r.setSpacingBefore(10);
            for (String h : List.of("检查事项", "检查结果", "得分", "检查日期", "检查情况")) r.addCell(head(h));
            if (v.results().isEmpty()) {
                for (VisitView.ItemRef i : v.items()) {
                    r.addCell(cell(i.code()));
                    for (int k = 0; k < 4; k++) r.addCell(tall(""));
                }
            } else {
                for (VisitView.ResultRef res : v.results()) {
                    r.addCell(cell(res.itemCode()));
                    r.addCell(cell(res.outcomeLabel()));
                    r.addCell(cell(res.score() == null ? "—" : res.score().stripTrailingZeros().toPlainString()));
                    r.addCell(cell(String.valueOf(res.inspectedOn())));
                    r.addCell(cell(res.findings() == null ? "" : res.findings()));
                }
            }
            doc.add(r);

            PdfPTable sign = new PdfPTable(new float[]{50, 50});
            sign.setWidthPercentage(100);
            sign.setSpacingBefore(24);
            sign.addCell(tall("检查人员（签名）："));
            sign.addCell(tall("被检查单位负责人（签名）："));
            sign.addCell(cell("日期：　　　年　　月　　日"));
            sign.addCell(cell("日期：　　　年　　月　　日"));
            doc.add(sign);
            doc.add(line("打印时间：" + now() + "　　状态：" + statusName(v), small()));
        });
    }

    private interface Body {
        void write(Document doc) throws DocumentException;
    }

    private static byte[] pdf(Rectangle size, Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Document doc = new Document(size, 28, 28, 28, 28);
        PdfWriter.getInstance(doc, out);
        doc.addTitle("检查记录");
        doc.addCreator("商户风险分级与双随机抽查");
        doc.open();
        try {
            body.write(doc);
        } catch (DocumentException e) {
            throw new IllegalStateException("PDF could not be written", e);
        } finally {
            doc.close();
        }
        return out.toByteArray();
    }

    static BaseFont baseFont() {
        BaseFont f = baseFont;
        if (f == null) {
            synchronized (VisitPrints.class) {
                if (baseFont == null) {
                    try (InputStream in = VisitPrints.class.getClassLoader().getResourceAsStream(FONT)) {
                        if (in == null) throw new IllegalStateException("font " + FONT + " missing from the classpath");
                        baseFont = BaseFont.createFont("NotoSansSC-Regular.ttf", BaseFont.IDENTITY_H, BaseFont.EMBEDDED, true, in.readAllBytes(), null);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                f = baseFont;
            }
        }
        return f;
    }

    private static Font font(float size) {
        return new Font(baseFont(), size);
    }

    private static Font small() {
        return font(9);
    }

    private static Paragraph title(String text) {
        Paragraph p = new Paragraph(text, font(16));
        p.setAlignment(Element.ALIGN_CENTER);
        p.setSpacingAfter(6);
        return p;
    }

    private static Paragraph line(String text, Font f) {
        Paragraph p = new Paragraph(text, f);
        p.setSpacingBefore(4);
        return p;
    }

    private static PdfPCell head(String text) {
        PdfPCell c = new PdfPCell(new Phrase(text, font(10)));
        c.setGrayFill(0.9f);
        c.setPadding(4);
        return c;
    }

    private static PdfPCell cell(String text) {
        PdfPCell c = new PdfPCell(new Phrase(text == null ? "" : text, font(9.5f)));
        c.setPadding(4);
        return c;
    }

    private static PdfPCell tall(String text) {
        PdfPCell c = cell(text);
        c.setMinimumHeight(48);
        return c;
    }

    private static void row(PdfPTable t, String label, String value) {
        PdfPCell l = head(label);
        t.addCell(l);
        t.addCell(cell(value));
    }

    private static String inspectors(VisitView v) {
        return v.inspectors().stream().map(i -> (i.name() == null ? "" : i.name()) + (i.badgeNo() == null ? "" : "（" + i.badgeNo() + "）"))
                .collect(Collectors.joining("\n"));
    }

    static String statusName(VisitView v) {
        return switch (v.status()) {
            case "PENDING" -> v.overdue() ? "已逾期" : "待检查";
            case "DONE" -> "已完成";
            case "CANCELLED" -> "已取消";
            default -> v.status();
        };
    }

    private static String now() {
        return OffsetDateTime.now(EventService.ZONE).format(MINUTES);
    }
}
