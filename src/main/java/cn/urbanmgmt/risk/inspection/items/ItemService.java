package cn.urbanmgmt.risk.inspection.items;

import cn.urbanmgmt.risk.common.Actor;
import cn.urbanmgmt.risk.common.Cells;
import cn.urbanmgmt.risk.common.ImportMode;
import cn.urbanmgmt.risk.common.ImportReport;
import cn.urbanmgmt.risk.common.Problem.FieldError;
import cn.urbanmgmt.risk.common.ProblemException;
import cn.urbanmgmt.risk.common.tabular.ImportErrorReports;
import cn.urbanmgmt.risk.common.tabular.ImportRun;
import cn.urbanmgmt.risk.common.tabular.TabularFile;
import cn.urbanmgmt.risk.common.tabular.TabularWriter;
import cn.urbanmgmt.risk.inspection.TabularLists;
import cn.urbanmgmt.risk.registry.KeyUnitType;
import cn.urbanmgmt.risk.registry.MerchantCategory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.io.OutputStream;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The inspection item list: CRUD, import (upsert by edition and code) and export. */
@ApplicationScoped
public class ItemService {

    @Inject
    Validator validator;

    @Inject
    EntityManager em;

    public List<FieldError> check(ItemInput in, Integer line) {
        List<FieldError> errors = new ArrayList<>();
        for (ConstraintViolation<ItemInput> v : validator.validate(in)) {
            Object bad = v.getInvalidValue();
            errors.add(new FieldError(line, v.getPropertyPath().toString(), bad == null ? null : bad.toString(), v.getMessage()));
        }
        CheckPoint.check(in.code(), in.checklist(), line, errors);
        errors.sort(Comparator.comparing(FieldError::field));
        return errors;
    }

    private void requireValid(ItemInput in) {
        List<FieldError> errors = check(in, null);
        if (!errors.isEmpty()) {
            throw ProblemException.validation("抽查事项有误：" + errors.get(0).message()
                    + (errors.size() > 1 ? "（共 " + errors.size() + " 处）" : ""), errors);
        }
    }

    public List<InspectionItem> list(Integer edition, Boolean active) {
        StringBuilder q = new StringBuilder("1 = 1");
        Map<String, Object> p = new HashMap<>();
        if (edition != null) {
            q.append(" and edition = :edition");
            p.put("edition", edition);
        }
        if (active != null) {
            q.append(" and active = :active");
            p.put("active", active);
        }
        return InspectionItem.list(q + " order by edition desc, code", p);
    }

    public InspectionItem get(long id) {
        InspectionItem i = InspectionItem.findById(id);
        if (i == null) throw ProblemException.notFound("编号为 " + id + " 的抽查事项不存在");
        return i;
    }

    @Transactional
    public InspectionItem create(ItemInput input, Actor actor) {
        ItemInput in = input.normalise();
        requireValid(in);
        if (InspectionItem.find(in.edition(), in.code()) != null) {
            throw ProblemException.conflict(in.edition() + " 年版中已有事项代码 " + in.code() + "，请改为修改该事项");
        }
        InspectionItem i = new InspectionItem();
        apply(i, in, actor);
        i.persistAndFlush();
        return i;
    }

    @Transactional
    public InspectionItem update(long id, ItemInput input, Actor actor) {
        ItemInput in = input.normalise();
        requireValid(in);
        InspectionItem i = get(id);
        if (in.version() != null && in.version() != i.version) {
            throw ProblemException.conflict("该事项已被他人修改（当前版本 " + i.version + "），请刷新后重试");
        }
        if (i.edition != in.edition() || !i.code.equals(in.code())) {
            InspectionItem other = InspectionItem.find(in.edition(), in.code());
            if (other != null && !other.id.equals(i.id)) {
                throw ProblemException.conflict(in.edition() + " 年版中已有事项代码 " + in.code());
            }
        }
        apply(i, in, actor);
        i.flush();
        return i;
    }

    /** Deletes an item no plan has used; a used item can only be deactivated (plans keep their record). */
    @Transactional
    public void delete(long id) {
        InspectionItem i = get(id);
        Number used = (Number) em.createNativeQuery("select count(*) from inspection_plan p where p.edition = ?1 and exists "
                        + "(select 1 from jsonb_array_elements(p.items) x where x->>'code' = ?2)")
                .setParameter(1, i.edition).setParameter(2, i.code).getSingleResult();
        if (used.longValue() > 0) {
            throw ProblemException.conflict("事项 " + i.code + " 已被 " + used + " 个抽查计划使用，不能删除；如不再使用，请将其停用（active=false）");
        }
        i.delete();
    }

    private static void apply(InspectionItem i, ItemInput in, Actor actor) {
        i.edition = in.edition();
        i.code = in.code();
        i.name = in.name();
        i.legalBasis = in.legalBasis();
        i.categories = new ArrayList<>(in.categories());
        i.keyUnitTypes = new ArrayList<>(in.keyUnitTypes());
        i.mode = in.mode();
        i.samplingPolicy = in.samplingPolicy();
        i.description = in.description();
        i.active = in.active() == null || in.active();
        if (in.checklist() != null) i.checklist = new ArrayList<>(in.checklist());
        i.updatedAt = OffsetDateTime.now();
        i.updatedBy = actor.username();
    }

    private static boolean same(InspectionItem i, ItemInput in) {
        return Objects.equals(i.name, in.name()) && Objects.equals(i.legalBasis, in.legalBasis())
                && Objects.equals(i.categories, in.categories()) && Objects.equals(i.keyUnitTypes, in.keyUnitTypes())
                && i.mode == in.mode() && Objects.equals(i.samplingPolicy, in.samplingPolicy())
                && Objects.equals(i.description, in.description()) && i.active == (in.active() == null || in.active())
                && (in.checklist() == null || Objects.equals(i.checklist, in.checklist()));
    }

    @Inject
    ImportErrorReports errorReports;

    /**
     * Reads the file row by row (the header is checked first), upserting by edition and code; the
     * answer lists the first errors, the full list is a downloadable report ({@link ImportRun}).
     */
    @Transactional
    @io.quarkus.narayana.jta.runtime.TransactionConfiguration(timeout = 900) // a large file takes minutes, not the default 60 s
    public ImportReport importFile(byte[] bytes, String encoding, ImportMode mode, boolean dryRun, Actor actor) {
        try (ImportRun<ItemInput> run = new ImportRun<>(mode)) {
            Map<String, Integer> firstLine = new HashMap<>();
            TabularFile.Info info = run.read(bytes, encoding, 10_000, List.of(ItemColumns.EDITION, ItemColumns.CODE, ItemColumns.NAME,
                    ItemColumns.LEGAL_BASIS, ItemColumns.MODE, ItemColumns.SAMPLING_POLICY), List.of(ItemColumns.values()), (row, rowErrors) -> {
                ItemInput in = parse(new Cells(row, rowErrors), rowErrors).normalise();
                rowErrors.addAll(check(in, row.line()));
                if (rowErrors.isEmpty()) {
                    Integer first = firstLine.putIfAbsent(in.edition() + "/" + in.code(), row.line());
                    if (first != null) rowErrors.add(new FieldError(row.line(), "code", in.code(), "与第 " + first + " 行的年度版本和事项代码重复"));
                }
                return in;
            });
            String report = run.finish(errorReports, "items", actor, "数据");
            return run.upsert(info, dryRun, report, in -> InspectionItem.find(in.edition(), in.code()), ItemService::same, in -> {
                InspectionItem i = new InspectionItem();
                apply(i, in, actor);
                i.persist();
            }, (existing, in) -> apply(existing, in, actor));
        }
    }

    private static ItemInput parse(Cells c, List<FieldError> errors) {
        return new ItemInput(c.integer("edition", ItemColumns.EDITION.header), c.text("code", ItemColumns.CODE.header),
                c.text("name", ItemColumns.NAME.header), c.text("legalBasis", ItemColumns.LEGAL_BASIS.header),
                TabularLists.labels(c, MerchantCategory.class, "categories", ItemColumns.CATEGORIES.header),
                TabularLists.labels(c, KeyUnitType.class, "keyUnitTypes", ItemColumns.KEY_UNIT_TYPES.header),
                c.label(InspectionMode.class, "mode", ItemColumns.MODE.header),
                c.text("samplingPolicy", ItemColumns.SAMPLING_POLICY.header), c.text("description", ItemColumns.DESCRIPTION.header),
                c.bool("active", ItemColumns.ACTIVE.header), null,
                CheckPoint.parse(c.text("checklist", ItemColumns.CHECKLIST.header), c.line(), errors));
    }

    /** The checklists of the items of a plan's edition, by item code (items without one left out). */
    public Map<String, List<CheckPoint>> checklistsOfPlan(long planId) {
        List<?> edition = em.createNativeQuery("select edition from inspection_plan where id = ?1").setParameter(1, planId).getResultList();
        if (edition.isEmpty()) return Map.of();
        List<InspectionItem> found = InspectionItem.list("edition", ((Number) edition.get(0)).intValue());
        Map<String, List<CheckPoint>> out = new HashMap<>();
        for (InspectionItem i : found) if (i.checklist != null && !i.checklist.isEmpty()) out.put(i.code, i.checklist);
        return out;
    }

    public void export(Integer edition, String format, OutputStream out) {
        List<InspectionItem> items = io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> list(edition, null));
        try (TabularWriter w = TabularWriter.open(format, out, ItemColumns.headers())) {
            for (InspectionItem i : items) w.row(ItemColumns.values(i));
        }
    }
}
