package cn.urbanmgmt.risk.web;

import cn.urbanmgmt.risk.common.Problem.FieldError;
import cn.urbanmgmt.risk.common.ProblemException;
import cn.urbanmgmt.risk.events.InspectionOutcome;
import cn.urbanmgmt.risk.events.EventInput;
import cn.urbanmgmt.risk.inspection.results.ResultInput;
import cn.urbanmgmt.risk.inspection.visits.VisitPhotos;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/**
 * The 登记检查结果 form: the inspection date and, per item of the visit and in the same order, the
 * item code (hidden), outcome, findings and optional score; the checklist's deductions (code and points per
 * item), the officers present, and photos. Checking the result is the result service's.
 */
public class ResultForm {

    @RestForm
    public String inspectedOn;

    @RestForm
    public List<String> itemCode;

    @RestForm
    public List<String> outcome;

    @RestForm
    public List<String> findings;

    @RestForm
    public List<String> score;

    /** The checklist's deduction lines: per line the item it belongs to (hidden), its code and points. */
    @RestForm
    public List<String> dedItem;

    @RestForm
    public List<String> dedCode;

    @RestForm
    public List<String> dedPoints;

    /** Badge numbers of the officers actually present (ticked from the visit's team). */
    @RestForm
    public List<String> present;

    /** Set by the form (hidden), so that no box ticked is told apart from a client that does not send the field. */
    @RestForm
    public String presentShown;

    /** 更正原因 (the 更正结果 form only). */
    @RestForm
    public String reason;

    @RestForm("photo")
    public List<FileUpload> photos;

    /** The uploaded photos with their bytes (files the browser sends empty when none was chosen are left out). */
    List<VisitPhotos.Upload> uploads() {
        List<VisitPhotos.Upload> out = new ArrayList<>();
        if (photos == null) return out;
        for (FileUpload f : photos) {
            try {
                if (f.size() == 0 && (f.fileName() == null || f.fileName().isBlank())) continue;
                out.add(new VisitPhotos.Upload(f.fileName(), Files.readAllBytes(f.uploadedFile())));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    /** The deduction lines typed for one item (blank lines left out). */
    List<EventInput.DeductionInput> deductionsOf(String item, List<FieldError> errors) {
        List<EventInput.DeductionInput> out = new ArrayList<>();
        int n = dedItem == null ? 0 : dedItem.size();
        for (int j = 0; j < n; j++) {
            if (!item.equals(at(dedItem, j).strip())) continue;
            String c = at(dedCode, j).strip();
            String p = at(dedPoints, j).strip();
            if (c.isEmpty() && p.isEmpty()) continue;
            BigDecimal points = null;
            if (!p.isEmpty()) {
                try {
                    points = new BigDecimal(p);
                } catch (NumberFormatException e) {
                    errors.add(new FieldError(null, "deductions", p, "事项 " + item + " 的扣分项 " + c + " 的扣分应为数字"));
                    continue;
                }
            }
            out.add(new EventInput.DeductionInput(c, points));
        }
        return out;
    }

    static String at(List<String> values, int i) {
        return values == null || i >= values.size() || values.get(i) == null ? "" : values.get(i);
    }

    ResultInput toInput() {
        List<FieldError> errors = new ArrayList<>();
        LocalDate on = null;
        if (inspectedOn != null && !inspectedOn.isBlank()) {
            try {
                on = LocalDate.parse(inspectedOn.strip());
            } catch (DateTimeParseException e) {
                errors.add(new FieldError(null, "inspectedOn", inspectedOn, "检查日期格式应为 yyyy-MM-dd"));
            }
        }
        List<ResultInput.ItemResult> results = new ArrayList<>();
        int n = itemCode == null ? 0 : itemCode.size();
        for (int i = 0; i < n; i++) {
            String code = at(itemCode, i).strip();
            String o = at(outcome, i).strip();
            InspectionOutcome parsed = null;
            if (!o.isEmpty()) {
                try {
                    parsed = InspectionOutcome.valueOf(o);
                } catch (IllegalArgumentException e) {
                    errors.add(new FieldError(null, "results[" + i + "].outcome", o, "事项 " + code + " 的检查结果“" + o + "”无效"));
                }
            }
            String s = at(score, i).strip();
            BigDecimal points = null;
            if (!s.isEmpty()) {
                try {
                    points = new BigDecimal(s);
                } catch (NumberFormatException e) {
                    errors.add(new FieldError(null, "results[" + i + "].score", s, "事项 " + code + " 的检查得分应为 0 到 100 之间的数字"));
                }
            }
            String text = at(findings, i);
            results.add(new ResultInput.ItemResult(code, parsed, text.isBlank() ? null : text.strip(), points, deductionsOf(code, errors)));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.validation("检查结果有误：" + errors.get(0).message()
                    + (errors.size() > 1 ? "（共 " + errors.size() + " 处）" : ""), errors);
        }
        return new ResultInput(on, results, presentShown == null ? null : present == null ? List.of() : present);
    }
}
