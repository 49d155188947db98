package cn.urbanmgmt.risk.inspection.inspectors;

import cn.urbanmgmt.risk.common.Actor;
import cn.urbanmgmt.risk.common.Cells;
import cn.urbanmgmt.risk.common.ImportMode;
import cn.urbanmgmt.risk.common.ImportReport;
import cn.urbanmgmt.risk.common.PageResult;
import cn.urbanmgmt.risk.common.Problem.FieldError;
import cn.urbanmgmt.risk.common.ProblemException;
import cn.urbanmgmt.risk.common.Uscc;
import cn.urbanmgmt.risk.common.tabular.ImportErrorReports;
import cn.urbanmgmt.risk.common.tabular.ImportRun;
import cn.urbanmgmt.risk.common.tabular.TabularFile;
import cn.urbanmgmt.risk.common.tabular.TabularWriter;
import cn.urbanmgmt.risk.inspection.TabularLists;
import cn.urbanmgmt.risk.registry.ReferenceData;
import cn.urbanmgmt.risk.registry.Squad;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** The inspector registry: CRUD (no delete: records stay for the audit trail), import and export. */
@ApplicationScoped
public class InspectorService {

    @Inject
    Validator validator;

    @Inject
    ReferenceData refs;

    @Inject
    EntityManager em;

    /** A squad by code ("sq-jingansi") or name; null when neither. */
    public Squad resolveSquad(String codeOrName) {
        if (codeOrName == null) return null;
        String t = codeOrName.strip();
        Squad s = refs.squad(t.toLowerCase(java.util.Locale.ROOT));
        if (s != null) return s;
        return refs.squads().stream().filter(x -> x.name.equals(t)).findFirst().orElse(null);
    }

    public String allowedSquads() {
        return String.join("、", refs.squads().stream().map(s -> s.code + "（" + s.name + "）").toList());
    }

    /** Item codes of any edition. */
    public Set<String> knownItemCodes() {
        @SuppressWarnings("unchecked")
        List<String> codes = em.createNativeQuery("select distinct code from inspection_item").getResultList();
        return new HashSet<>(codes);
    }

    public List<FieldError> check(InspectorInput in, Integer line, Set<String> itemCodes) {
        List<FieldError> errors = new ArrayList<>();
        for (ConstraintViolation<InspectorInput> v : validator.validate(in)) {
            Object bad = v.getInvalidValue();
            errors.add(new FieldError(line, v.getPropertyPath().toString(), bad == null ? null : bad.toString(), v.getMessage()));
        }
        if (in.squad() != null && resolveSquad(in.squad()) == null) {
            errors.add(new FieldError(line, "squad", in.squad(), "中队“" + in.squad() + "”不存在，可选：" + allowedSquads()));
        }
        for (String code : in.qualifiedItems()) {
            if (!itemCodes.contains(code)) {
                errors.add(new FieldError(line, "qualifiedItems", code, "事项代码“" + code + "”不在抽查事项清单中"));
            }
        }
        for (String uscc : in.conflictUsccs()) {
            String p = Uscc.problem(uscc);
            if (p != null) errors.add(new FieldError(line, "conflictUsccs", uscc, "回避商户：" + p));
        }
        errors.sort(Comparator.comparing(FieldError::field));
        return errors;
    }

    private void requireValid(InspectorInput in) {
        List<FieldError> errors = check(in, null, knownItemCodes());
        if (!errors.isEmpty()) {
            throw ProblemException.validation("执法检查人员信息有误：" + errors.get(0).message()
                    + (errors.size() > 1 ? "（共 " + errors.size() + " 处）" : ""), errors);
        }
    }

    public PageResult<Inspector> search(String squad, Boolean active, String text, int page, int size, Actor actor) {
        var q = query(squad, active, text, actor);
        int s = Math.min(Math.max(size, 1), 500);
        int p = Math.max(page, 0);
        return new PageResult<>(q.page(Page.of(p, s)).list(), p, s, q.count());
    }

    private io.quarkus.hibernate.orm.panache.PanacheQuery<Inspector> query(String squad, Boolean active, String text, Actor actor) {
        List<String> clauses = new ArrayList<>();
        Map<String, Object> params = new HashMap<>();
        if (!actor.scope().isDistrict()) {
            clauses.add("squadCode = :own");
            params.put("own", actor.scope().squadCode());
        }
        if (squad != null && !squad.isBlank()) {
            Squad s = resolveSquad(squad);
            if (s == null) throw ProblemException.invalidField("squad", "中队“" + squad + "”不存在，可选：" + allowedSquads());
            clauses.add("squadCode = :squad");
            params.put("squad", s.code);
        }
        if (active != null) {
            clauses.add("active = :active");
            params.put("active", active);
        }
        if (text != null && !text.isBlank()) {
            clauses.add("(name like :text or badgeNo like :text)");
            params.put("text", "%" + text.strip() + "%");
        }
        return Inspector.<Inspector>find(clauses.isEmpty() ? "1 = 1" : String.join(" and ", clauses), Sort.by("badgeNo"), params);
    }

    public Inspector get(long id, Actor actor) {
        Inspector i = Inspector.findById(id);
        if (i == null || (!actor.scope().isDistrict() && !i.squadCode.equals(actor.scope().squadCode()))) {
            throw ProblemException.notFound("编号为 " + id + " 的执法检查人员不存在或不属于本中队");
        }
        return i;
    }

    @Transactional
    public Inspector create(InspectorInput input, Actor actor) {
        InspectorInput in = input.normalise();
        requireValid(in);
        if (Inspector.findByBadge(in.badgeNo()) != null) {
            throw ProblemException.conflict("执法证号 " + in.badgeNo() + " 已登记，请改为修改该人员");
        }
        Inspector i = new Inspector();
        apply(i, in, actor);
        i.persistAndFlush();
        return i;
    }

    @Transactional
    public Inspector update(long id, InspectorInput input, Actor actor) {
        InspectorInput in = input.normalise();
        requireValid(in);
        Inspector i = get(id, actor);
        if (in.version() != null && in.version() != i.version) {
            throw ProblemException.conflict("该人员信息已被他人修改（当前版本 " + i.version + "），请刷新后重试");
        }
        if (!i.badgeNo.equals(in.badgeNo())) {
            throw ProblemException.invalidField("badgeNo", "执法证号不可修改；换证请登记新证号并将旧证号设为不在岗");
        }
        apply(i, in, actor);
        i.flush();
        return i;
    }

    private void apply(Inspector i, InspectorInput in, Actor actor) {
        i.badgeNo = in.badgeNo();
        i.name = in.name();
        i.squadCode = resolveSquad(in.squad()).code;
        i.active = in.active() == null || in.active();
        i.qualifiedItems = new ArrayList<>(in.qualifiedItems());
        i.conflictUsccs = new ArrayList<>(in.conflictUsccs());
        i.conflictPersons = new ArrayList<>(in.conflictPersons());
        i.updatedAt = OffsetDateTime.now();
        i.updatedBy = actor.username();
    }

    private boolean same(Inspector i, InspectorInput in) {
        return Objects.equals(i.name, in.name()) && Objects.equals(i.squadCode, resolveSquad(in.squad()).code)
                && i.active == (in.active() == null || in.active()) && Objects.equals(i.qualifiedItems, in.qualifiedItems())
                && Objects.equals(i.conflictUsccs, in.conflictUsccs()) && Objects.equals(i.conflictPersons, in.conflictPersons());
    }

    @Inject
    ImportErrorReports errorReports;

    /**
     * Reads the file row by row (the header is checked first), upserting by badge number; the
     * answer lists the first errors, the full list is a downloadable report ({@link ImportRun}).
     */
    @Transactional
    @io.quarkus.narayana.jta.runtime.TransactionConfiguration(timeout = 900) // a large file takes minutes, not the default 60 s
    public ImportReport importFile(byte[] bytes, String encoding, ImportMode mode, boolean dryRun, Actor actor) {
        Set<String> itemCodes = knownItemCodes();
        try (ImportRun<InspectorInput> run = new ImportRun<>(mode)) {
            Map<String, Integer> firstLine = new HashMap<>();
            TabularFile.Info info = run.read(bytes, encoding, 100_000, List.of(InspectorColumns.BADGE_NO, InspectorColumns.NAME,
                    InspectorColumns.SQUAD), List.of(InspectorColumns.values()), (row, rowErrors) -> {
                Cells c = new Cells(row, rowErrors);
                InspectorInput in = new InspectorInput(c.text("badgeNo", InspectorColumns.BADGE_NO.header), c.text("name", InspectorColumns.NAME.header),
                        c.text("squad", InspectorColumns.SQUAD.header), c.bool("active", InspectorColumns.ACTIVE.header),
                        TabularLists.texts(c, "qualifiedItems", InspectorColumns.QUALIFIED_ITEMS.header),
                        TabularLists.texts(c, "conflictUsccs", InspectorColumns.CONFLICT_USCCS.header),
                        TabularLists.texts(c, "conflictPersons", InspectorColumns.CONFLICT_PERSONS.header), null).normalise();
                rowErrors.addAll(check(in, row.line(), itemCodes));
                if (rowErrors.isEmpty()) {
                    Inspector existing = Inspector.findByBadge(in.badgeNo());
                    if (existing != null && !actor.scope().isDistrict()) {
                        rowErrors.add(new FieldError(row.line(), "badgeNo", in.badgeNo(), "无权修改其他中队的人员"));
                    }
                    Integer first = firstLine.putIfAbsent(in.badgeNo(), row.line());
                    if (first != null) rowErrors.add(new FieldError(row.line(), "badgeNo", in.badgeNo(), "与第 " + first + " 行的执法证号重复"));
                }
                return in;
            });
            String report = run.finish(errorReports, "inspectors", actor, "数据");
            return run.upsert(info, dryRun, report, in -> Inspector.findByBadge(in.badgeNo()), this::same, in -> {
                Inspector i = new Inspector();
                apply(i, in, actor);
                i.persist();
            }, (existing, in) -> apply(existing, in, actor));
        }
    }

    public void export(String squad, Boolean active, Actor actor, String format, OutputStream out) {
        List<Inspector> all = QuarkusTransaction.requiringNew().call(() -> query(squad, active, null, actor).list());
        try (TabularWriter w = TabularWriter.open(format, out, InspectorColumns.headers())) {
            for (Inspector i : all) w.row(InspectorColumns.values(i, refs));
        }
    }
}
