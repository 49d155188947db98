package cn.urbanmgmt.risk.grading.engine;

import cn.urbanmgmt.risk.grading.engine.RuleProblem.Kind;
import cn.urbanmgmt.risk.grading.engine.RuleProblem.Level;
import cn.urbanmgmt.risk.grading.model.MerchantFact;
import com.github.javaparser.JavaParser;
import com.github.javaparser.ParseResult;
import com.github.javaparser.ParserConfiguration;
import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.body.VariableDeclarator;
import com.github.javaparser.ast.expr.*;
import com.github.javaparser.ast.stmt.*;
import com.github.javaparser.ast.type.ArrayType;
import com.github.javaparser.ast.type.ClassOrInterfaceType;
import com.github.javaparser.ast.type.PrimitiveType;
import com.github.javaparser.ast.type.Type;
import com.github.javaparser.ast.type.VarType;
import com.github.javaparser.ast.type.VoidType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.drools.drl.ast.descr.*;
import org.drools.drl.parser.DrlExprParser;
import org.drools.drl.parser.DrlExprParserFactory;
import org.drools.drl.parser.DrlParser;

/**
 * The static check every rule file passes before Drools compiles it (and so before any of it can
 * run): Drools' own DRL parser splits each file into imports, globals, functions, declared types,
 * rules and queries; every piece of code in them (constraint operands, {@code eval}, {@code from}
 * and {@code accumulate} expressions, consequences, function bodies, dynamic attributes) is parsed
 * as Java and typed by reflection, and each type, method, field and constructor it names is checked
 * against {@link RuleAllowList}. Anything else is refused at file, line, column and rule.
 *
 * <p>Two outcomes: {@code refused}: a forbidden name was found (nothing is compiled); and
 * {@code unresolved}: names the check could not resolve (a typo, an unknown field). Those are left
 * to the Drools compiler, which reports them better; but if Drools compiles the rules anyway, they
 * are refused too, so nothing the check did not understand ever runs.
 */
public final class DrlSandbox {

    /** What the check found: forbidden references (errors), and names it could not resolve. */
    public record Report(List<RuleProblem> refused, List<RuleProblem> unresolved) {
        public boolean ok() {
            return refused.isEmpty();
        }
    }

    private static final Pattern MODIFY = Pattern.compile("\\bmodify\\s*\\(");
    private static final Set<String> COMPARISONS = Set.of("==", "!=", "<", ">", "<=", ">=");
    /** An MVEL string in single quotes ('abc'): read as the Java string "abc". */
    private static final Pattern SINGLE_QUOTED = Pattern.compile("^\\s*'((?:[^'\\\\\"]|\\\\.)*)'\\s*$");
    private static final Set<String> RULE_ATTRIBUTES = Set.of("salience", "enabled", "no-loop", "lock-on-active", "agenda-group",
            "activation-group", "ruleflow-group", "auto-focus", "date-effective", "date-expires", "dialect");
    private static final Set<String> PRIMITIVES = Set.of("int", "long", "short", "byte", "double", "float", "boolean", "char");
    private static final String SEE = "（规则代码能用什么，见 rules/README.md 第 10 节）";

    private DrlSandbox() {
    }

    public static Report check(RuleSource source, RuleFacts facts) {
        RuleAllowList allow = RuleAllowList.of(facts);
        List<RuleProblem> refused = new ArrayList<>();
        List<RuleProblem> unresolved = new ArrayList<>();
        Map<String, PackageDescr> parsed = new LinkedHashMap<>();
        for (Map.Entry<String, String> f : source.files().entrySet()) {
            PackageDescr pd;
            try {
                pd = new DrlParser().parse(false, f.getValue());
            } catch (Exception | StackOverflowError e) {
                pd = null;
            }
            if (pd != null) parsed.put(f.getKey(), pd);
        }
        // Declared types and functions are visible to the whole rule set (same package, or imported): collect them first.
        Map<String, Declared> declared = new HashMap<>();
        Map<String, String> functions = new HashMap<>();
        parsed.values().forEach(pd -> {
            for (TypeDeclarationDescr t : pd.getTypeDeclarations()) {
                Map<String, String> fields = new LinkedHashMap<>();
                t.getFields().forEach((name, fd) -> fields.put(name, fd.getPattern() == null ? null : fd.getPattern().getObjectType()));
                declared.put(t.getTypeName(), new Declared(t.getTypeName(), fields));
            }
            for (FunctionDescr fn : pd.getFunctions()) functions.put(fn.getName(), fn.getReturnType());
        });
        for (Map.Entry<String, PackageDescr> e : parsed.entrySet()) {
            new FileCheck(e.getKey(), source.files().get(e.getKey()), e.getValue(), allow, declared, functions, refused, unresolved).run();
        }
        return new Report(RuleCompiler.sorted(refused), RuleCompiler.sorted(unresolved));
    }

    /** A type declared in the DRL itself ({@code declare X ... end}): its fields and their type names. */
    private record Declared(String name, Map<String, String> fields) {
    }

    /**
     * The static type of an expression: a class, a declared type, a type used by name (static
     * access), a package prefix, null, or unknown (the check gave up: left to the compiler).
     */
    private record T(Class<?> cls, Declared decl, boolean isStatic, String pkg, boolean isNull) {
        static final T UNKNOWN = new T(null, null, false, null, false);
        static final T NULL = new T(null, null, false, null, true);

        static T of(Class<?> c) {
            return c == null ? UNKNOWN : new T(c, null, false, null, false);
        }

        static T staticOf(Class<?> c) {
            return new T(c, null, true, null, false);
        }

        static T pkg(String p) {
            return new T(null, null, false, p, false);
        }

        boolean unknown() {
            return cls == null && decl == null && pkg == null && !isNull;
        }
    }

    /** Where a piece of code sits in its file: the line and column its first character has. */
    private record Site(String rule, int line, int column) {
    }

    /** Stops checking one piece of code once it has been refused (one problem per piece is enough). */
    private static final class Refused extends RuntimeException {
        Refused() {
            super(null, null, false, false);
        }
    }

    private static final class FileCheck {
        private final String file;
        private final String text;
        private final int[] lineStarts;
        private final PackageDescr pd;
        private final RuleAllowList allow;
        private final Map<String, Declared> declared;
        private final Map<String, String> functions;
        private final List<RuleProblem> refused;
        private final List<RuleProblem> unresolved;
        private final Map<String, Class<?>> imports = new HashMap<>();
        private final List<String> wildcards = new ArrayList<>();
        private final Map<String, T> globals = new HashMap<>();
        private final ClassLoader loader = MerchantFact.class.getClassLoader();
        private final JavaParser javaParser = new JavaParser(new ParserConfiguration().setLanguageLevel(ParserConfiguration.LanguageLevel.JAVA_17));

        FileCheck(String file, String text, PackageDescr pd, RuleAllowList allow, Map<String, Declared> declared, Map<String, String> functions,
                  List<RuleProblem> refused, List<RuleProblem> unresolved) {
            this.file = file;
            this.text = text;
            this.pd = pd;
            this.allow = allow;
            this.declared = declared;
            this.functions = functions;
            this.refused = refused;
            this.unresolved = unresolved;
            List<Integer> starts = new ArrayList<>();
            starts.add(0);
            for (int i = 0; i < text.length(); i++) if (text.charAt(i) == '\n') starts.add(i + 1);
            lineStarts = starts.stream().mapToInt(Integer::intValue).toArray();
        }

        void run() {
            wildcards.add("java.lang");
            for (ImportDescr i : pd.getImports()) checkImport(i);
            for (FunctionImportDescr i : pd.getFunctionImports()) {
                refuse(new Site(null, i.getLine(), col(i)), "不能导入静态方法或函数“" + i.getTarget() + "”：规则代码只能调用事实模型的方法和允许的值类型" + SEE);
            }
            for (AccumulateImportDescr i : pd.getAccumulateImports()) {
                refuse(new Site(null, i.getLine(), col(i)), "不能导入自定义的 accumulate 函数“" + i.getTarget() + "”：只能用内置的 sum、count、min、max、average、collectList、collectSet" + SEE);
            }
            for (AttributeDescr a : pd.getAttributes()) checkAttribute(a, null, new Scope());
            for (GlobalDescr g : pd.getGlobals()) {
                Site at = new Site(null, g.getLine(), col(g));
                T t = typeNamed(g.getType(), at, true);
                globals.put(g.getIdentifier(), t);
            }
            for (EnumDeclarationDescr e : pd.getEnumDeclarations()) {
                refuse(new Site(null, e.getLine(), col(e)), "不能在规则文件中声明枚举“" + e.getTypeName() + "”：请使用事实模型中的代码表" + SEE);
            }
            for (WindowDeclarationDescr w : pd.getWindowDeclarations()) {
                refuse(new Site(null, w.getLine(), col(w)), "不能在规则文件中声明窗口（window）" + SEE);
            }
            for (TypeDeclarationDescr t : pd.getTypeDeclarations()) checkDeclaration(t);
            for (FunctionDescr f : pd.getFunctions()) checkFunction(f);
            for (RuleDescr r : pd.getRules()) checkRule(r);
        }

        // ---- package level ----

        private void checkImport(ImportDescr i) {
            String target = i.getTarget().trim();
            Site at = new Site(null, i.getLine(), col(i));
            if (target.startsWith("static ")) {
                refuse(at, "不能用 import static 导入“" + target.substring(7).trim() + "”" + SEE);
                return;
            }
            if (target.endsWith(".*")) {
                String p = target.substring(0, target.length() - 2);
                if (!allow.allowsPackage(p)) {
                    Class<?> c = load(p);
                    refuse(at, c != null ? "不能导入“" + target + "”：" + p + " 不在允许的类型中" + SEE
                            : "不能导入整个包“" + p + "”：其中没有规则代码可以使用的类型" + SEE);
                    return;
                }
                wildcards.add(p);
                return;
            }
            Class<?> c = load(target);
            if (c == null) {
                unresolved(at, "找不到导入的类型“" + target + "”");
                return;
            }
            if (!allow.allows(c)) {
                refuse(at, forbiddenType(c));
                return;
            }
            imports.put(c.getSimpleName(), c);
        }

        private void checkDeclaration(TypeDeclarationDescr t) {
            Site at = new Site(null, t.getLine(), col(t));
            for (AnnotationDescr a : t.getAnnotations()) checkAnnotation(a, at);
            for (QualifiedName sup : t.getSuperTypes()) {
                String name = sup.getFullName();
                if (declared.containsKey(sup.getName())) continue;
                typeNamed(name, at, true);
            }
            for (TypeFieldDescr f : t.getFields().values()) {
                Site fs = new Site(null, f.getLine() > 0 ? f.getLine() : t.getLine(), col(f));
                for (AnnotationDescr a : f.getAnnotations()) checkAnnotation(a, fs);
                if (f.getPattern() != null) typeNamed(f.getPattern().getObjectType(), fs, true);
                if (f.getInitExpr() != null && !f.getInitExpr().isBlank()) {
                    expression(f.getInitExpr(), fs, new Scope(), null);
                }
            }
        }

        private void checkAnnotation(AnnotationDescr a, Site at) {
            if (!RuleAllowList.ANNOTATIONS.contains(a.getName())) {
                refuse(at, "不支持注解“@" + a.getName() + "”：声明的类型只能用 @role、@key、@position、@timestamp、@duration、@expires、@propertyReactive" + SEE);
            }
        }

        private void checkFunction(FunctionDescr f) {
            Site head = new Site(null, f.getLine(), col(f));
            if (f.getDialect() != null && !"java".equals(f.getDialect())) {
                refuse(head, "函数“" + f.getName() + "”只能用 Java 写法（dialect \"java\"）" + SEE);
                return;
            }
            Scope scope = new Scope();
            scope.vars.putAll(globals);
            if (f.getReturnType() != null && !"void".equals(f.getReturnType())) typeNamed(f.getReturnType(), head, true);
            for (int i = 0; i < f.getParameterNames().size(); i++) {
                scope.vars.put(f.getParameterNames().get(i), typeNamed(f.getParameterTypes().get(i), head, true));
            }
            Site body = locate(f.getBody(), f.getLine(), null);
            statements(f.getBody(), body, scope);
        }

        // ---- rules and queries ----

        private void checkRule(RuleDescr r) {
            String rule = r.getName();
            Scope scope = new Scope();
            scope.vars.putAll(globals);
            if (r instanceof QueryDescr q && q.getParameters() != null) {
                for (int i = 0; i < q.getParameters().length; i++) {
                    String type = q.getParameterTypes() == null || i >= q.getParameterTypes().length ? "Object" : q.getParameterTypes()[i];
                    scope.vars.put(q.getParameters()[i], typeNamed(type, new Site(rule, r.getLine(), 1), true));
                }
            }
            if (r.getLhs() != null) {
                for (BaseDescr d : r.getLhs().getDescrs()) condition(d, rule, scope);
            }
            // Attributes last: a dynamic salience may use the rule's bindings.
            for (AttributeDescr a : r.getAttributes().values()) checkAttribute(a, rule, scope);
            if (r.isQuery()) return;
            if (r.getConsequence() instanceof String c) consequence(c, rule, r.getConsequenceLine(), scope);
            if (r.getNamedConsequences() != null) {
                r.getNamedConsequences().values().forEach(c -> {
                    if (c instanceof String s) consequence(s, rule, r.getConsequenceLine(), scope);
                });
            }
        }

        private void checkAttribute(AttributeDescr a, String rule, Scope scope) {
            Site at = new Site(rule, a.getLine(), col(a));
            String name = a.getName();
            if (!RULE_ATTRIBUTES.contains(name)) {
                refuse(at, "不支持规则属性“" + name + "”：可用的属性有 salience、no-loop、lock-on-active、agenda-group、activation-group、ruleflow-group、auto-focus、enabled、date-effective、date-expires");
                return;
            }
            if ("dialect".equals(name)) {
                if (!"java".equals(strip(a.getValue()))) refuse(at, "规则只能用 Java 写法：请删除 dialect \"" + strip(a.getValue()) + "\"" + SEE);
                return;
            }
            if (("salience".equals(name) || "enabled".equals(name)) && a.getValue() != null) {
                String v = a.getValue().trim();
                if (!v.matches("-?\\d+|true|false")) expression(v, locate(v, a.getLine(), rule), scope, null);
            }
        }

        private void consequence(String code, String rule, int thenLine, Scope scope) {
            Site at = locate(code, thenLine, rule);
            Matcher m = MODIFY.matcher(masked(code));
            if (m.find()) {
                refuse(offset(at, code, m.start()), "结论中不能使用 modify(...) { ... }：事实模型不需要修改事实；记录结果请调用 assessment 或候选对象的方法");
                return;
            }
            statements(code, at, scope.copy());
        }

        /** One conditional element of a rule's "when" part. */
        private void condition(BaseDescr d, String rule, Scope scope) {
            if (d instanceof PatternDescr p) {
                pattern(p, rule, scope);
            } else if (d instanceof AndDescr || d instanceof OrDescr || d instanceof NotDescr || d instanceof ExistsDescr || d instanceof ForallDescr) {
                for (Object c : ((ConditionalElementDescr) d).getDescrs()) condition((BaseDescr) c, rule, scope);
            } else if (d instanceof EvalDescr e) {
                String code = String.valueOf(e.getContent());
                expression(code, locate(code, e.getLine(), rule), scope, null);
            } else {
                refuse(new Site(rule, d.getLine(), col(d)), "不支持这种条件写法（" + d.getClass().getSimpleName().replace("Descr", "") + "）：条件部分只能用模式、not、exists、forall、or、eval、from、collect 和内置的 accumulate 函数");
            }
        }

        private void pattern(PatternDescr p, String rule, Scope scope) {
            Site at = new Site(rule, p.getLine(), col(p));
            // The source first: "from $i.deductions" is evaluated before the pattern's own constraints.
            PatternSourceDescr src = p.getSource();
            if (src instanceof FromDescr f) {
                String code = f.getDataSource() instanceof MVELExprDescr mv ? mv.getExpression() : f.getExpression();
                int line = f.getLine() > 0 ? f.getLine() : p.getLine();
                expression(code, locate(code, line, rule), scope, null);
            } else if (src instanceof CollectDescr c) {
                if (c.getInputPattern() != null) pattern(c.getInputPattern(), rule, scope);
            } else if (src instanceof AccumulateDescr a) {
                accumulate(a, rule, scope, at);
            } else if (src != null && !(src instanceof EntryPointDescr)) {
                refuse(at, "不支持这种事实来源（" + src.getClass().getSimpleName().replace("Descr", "") + "）：请用 from、collect 或内置的 accumulate 函数");
            }
            T type = p.getObjectType() == null ? T.UNKNOWN : typeNamed(p.getObjectType(), at, false);
            if (p.getIdentifier() != null) scope.vars.put(p.getIdentifier(), type);
            for (BaseDescr c : p.getDescrs()) {
                if (c instanceof ExprConstraintDescr e) constraint(e.getExpression(), new Site(rule, e.getLine() > 0 ? e.getLine() : p.getLine(),
                        e.getLine() > 0 ? col(e) : 1), scope, type);
                else if (c instanceof BindingDescr b) {
                    T bt = expression(b.getExpression(), at, scope, type);
                    scope.vars.put(b.getVariable(), bt);
                } else refuse(at, "不支持这种约束写法：" + c);
            }
        }

        private void accumulate(AccumulateDescr a, String rule, Scope scope, Site at) {
            if (a.getInitCode() != null || a.getActionCode() != null || a.getResultCode() != null || a.getReverseCode() != null
                    || a.isExternalFunction()) {
                refuse(at, "accumulate 中不能写 init/action/result 代码：请用内置函数 sum、count、min、max、average、collectList、collectSet" + SEE);
                return;
            }
            if (a.getInput() != null) condition(a.getInput(), rule, scope);
            for (AccumulateDescr.AccumulateFunctionCallDescr fn : a.getFunctions()) {
                if (!RuleAllowList.ACCUMULATE_FUNCTIONS.contains(fn.getFunction())) {
                    refuse(at, "不支持 accumulate 函数“" + fn.getFunction() + "”：只能用 sum、count、min、max、average、collectList、collectSet");
                    continue;
                }
                for (String param : fn.getParams()) expression(param, locate(param, at.line(), rule), scope, null);
                if (fn.getBind() != null) scope.vars.put(fn.getBind(), T.of(Object.class));
            }
        }

        /** A constraint in MVEL syntax: Drools' own expression parser splits it; each operand is Java. */
        private void constraint(String code, Site at, Scope scope, T patternType) {
            DrlExprParser parser = DrlExprParserFactory.getDrlExprParser(DrlParser.DEFAULT_LANGUAGE_LEVEL);
            ConstraintConnectiveDescr tree;
            try {
                tree = parser.parse(code);
            } catch (RuntimeException e) {
                tree = null;
            }
            if (tree == null || parser.hasErrors()) {
                unresolved(at, "无法解析条件“" + code + "”");
                return;
            }
            constraintPart(tree, code, at, scope, patternType);
        }

        private T constraintPart(BaseDescr d, String code, Site at, Scope scope, T patternType) {
            if (d instanceof ConstraintConnectiveDescr c) {
                for (BaseDescr x : c.getDescrs()) constraintPart(x, code, at, scope, patternType);
                return T.of(boolean.class);
            } else if (d instanceof RelationalExprDescr r) {
                T left = r.getLeft() == null ? T.UNKNOWN : constraintPart(r.getLeft(), code, at, scope, patternType);
                T right = r.getRight() == null ? T.UNKNOWN : constraintPart(r.getRight(), code, at, scope, patternType);
                if (COMPARISONS.contains(r.getOperator()) && !r.isNegated() && mismatch(left, right)) {
                    refused.add(new RuleProblem(Level.ERROR, Kind.CONDITION, file, at.line() > 0 ? at.line() : null, at.column() > 0 ? at.column() : null,
                            at.rule(), "条件“" + r.getLeft() + " " + r.getOperator() + " " + r.getRight() + "”两边的类型不同："
                            + r.getLeft() + " 是" + kindName(left) + "，" + r.getRight() + " 是" + kindName(right) + "，无法比较", null));
                }
                return T.of(boolean.class);
            } else if (d instanceof AtomicExprDescr a) {
                String expr = a.getExpression();
                int i = code.indexOf(expr);
                return expression(expr, i >= 0 ? offset(at, code, i) : at, scope, patternType);
            } else if (d instanceof BindingDescr b) {
                String expr = b.getExpression();
                int i = code.indexOf(expr, Math.max(0, code.indexOf(':')));
                T t = expression(expr, i >= 0 ? offset(at, code, i) : at, scope, patternType);
                scope.vars.put(b.getVariable(), t);
                return t;
            } else {
                refuse(at, "不支持这种约束写法：" + d);
                return T.UNKNOWN;
            }
        }

        // ---- Java text ----

        /** An expression (constraint operand, eval, from, salience); {@code pattern} is the type whose fields bare names mean. */
        private T expression(String code, Site at, Scope scope, T pattern) {
            Matcher quoted = SINGLE_QUOTED.matcher(code);
            if (quoted.matches()) code = "\"" + quoted.group(1) + "\"";
            ParseResult<Expression> r = javaParser.parseExpression(code);
            if (!r.isSuccessful() || r.getResult().isEmpty()) {
                unresolved(at, "无法解析表达式“" + code.strip() + "”");
                return T.UNKNOWN;
            }
            try {
                return new Typer(at, scope, pattern).type(r.getResult().get());
            } catch (Refused e) {
                return T.UNKNOWN;
            }
        }

        /** Statements (a consequence, a function body). */
        private void statements(String code, Site at, Scope scope) {
            ParseResult<BlockStmt> r = javaParser.parseBlock("{" + code + "\n}");
            if (!r.isSuccessful() || r.getResult().isEmpty()) {
                String why = r.getProblems().isEmpty() ? "" : "：" + r.getProblems().get(0).getMessage().lines().findFirst().orElse("");
                unresolved(at, "无法解析这段代码" + why);
                return;
            }
            try {
                new Typer(new Site(at.rule(), at.line(), at.column() - 1), scope, null).statement(r.getResult().get());
            } catch (Refused e) {
                // reported
            }
        }

        /** Types one piece of Java text and checks every name in it. */
        private final class Typer {
            private final Site at;
            private final Scope scope;
            private final T pattern;

            Typer(Site at, Scope scope, T pattern) {
                this.at = at;
                this.scope = scope;
                this.pattern = pattern;
            }

            private Site site(Node n) {
                if (n.getBegin().isEmpty()) return at;
                int line = n.getBegin().get().line;
                int column = n.getBegin().get().column;
                return new Site(at.rule(), at.line() + line - 1, line == 1 ? at.column() + column - 1 : column);
            }

            private Refused refuseAt(Node n, String message) {
                refuse(site(n), message);
                return new Refused();
            }

            private T unknownAt(Node n, String message) {
                unresolved(site(n), message);
                return T.UNKNOWN;
            }

            // -- statements --

            void statement(Statement s) {
                if (s instanceof BlockStmt b) {
                    for (Statement x : b.getStatements()) statement(x);
                } else if (s instanceof ExpressionStmt e) {
                    type(e.getExpression());
                } else if (s instanceof IfStmt i) {
                    type(i.getCondition());
                    statement(i.getThenStmt());
                    i.getElseStmt().ifPresent(this::statement);
                } else if (s instanceof ForEachStmt f) {
                    type(f.getIterable());
                    declare(f.getVariable());
                    statement(f.getBody());
                } else if (s instanceof ForStmt f) {
                    f.getInitialization().forEach(this::type);
                    f.getCompare().ifPresent(this::type);
                    f.getUpdate().forEach(this::type);
                    statement(f.getBody());
                } else if (s instanceof WhileStmt w) {
                    type(w.getCondition());
                    statement(w.getBody());
                } else if (s instanceof DoStmt d) {
                    statement(d.getBody());
                    type(d.getCondition());
                } else if (s instanceof ReturnStmt r) {
                    r.getExpression().ifPresent(this::type);
                } else if (s instanceof BreakStmt || s instanceof ContinueStmt || s instanceof EmptyStmt) {
                    // nothing to check
                } else {
                    String what = s instanceof TryStmt ? "try/catch" : s instanceof ThrowStmt ? "throw" : s instanceof SynchronizedStmt ? "synchronized"
                            : s instanceof LocalClassDeclarationStmt || s instanceof LocalRecordDeclarationStmt ? "类声明"
                            : s.getClass().getSimpleName().replace("Stmt", "");
                    throw refuseAt(s, "规则代码中不能使用 " + what + "：结论只做判断和记录（if、for、局部变量、调用允许的方法）" + SEE);
                }
            }

            private void declare(VariableDeclarationExpr v) {
                for (VariableDeclarator d : v.getVariables()) {
                    T declaredType = d.getType() instanceof VarType ? null : javaType(d.getType());
                    T init = d.getInitializer().map(this::type).orElse(null);
                    scope.vars.put(d.getNameAsString(), declaredType != null ? declaredType : init != null ? init : T.UNKNOWN);
                }
            }

            // -- types named in the code --

            T javaType(Type t) {
                if (t instanceof PrimitiveType p) return T.of(primitive(p.asString()));
                if (t instanceof VoidType) return T.of(void.class);
                if (t instanceof ArrayType a) {
                    T c = javaType(a.getComponentType());
                    return c.cls() == null ? T.UNKNOWN : T.of(c.cls().arrayType());
                }
                if (t instanceof ClassOrInterfaceType c) {
                    c.getTypeArguments().ifPresent(args -> args.forEach(this::javaType));
                    String name = c.getNameWithScope();
                    Declared d = declared.get(name);
                    if (d != null) return new T(null, d, false, null, false);
                    Class<?> cls = resolveClass(name);
                    if (cls == null) return unknownAt(t, "找不到类型“" + name + "”");
                    if (!allow.allows(cls)) throw refuseAt(t, forbiddenType(cls));
                    return T.of(cls);
                }
                throw refuseAt(t, "不支持这种类型写法：" + t);
            }

            // -- expressions --

            /** The type of an expression used as a value: a name that resolves to nothing is left to the compiler. */
            T type(Expression e) {
                T t = raw(e);
                if (t.pkg() != null) return unknownAt(e, "找不到“" + t.pkg() + "”");
                return t;
            }

            private T raw(Expression e) {
                if (e instanceof StringLiteralExpr || e instanceof TextBlockLiteralExpr) return T.of(String.class);
                if (e instanceof IntegerLiteralExpr) return T.of(int.class);
                if (e instanceof LongLiteralExpr) return T.of(long.class);
                if (e instanceof DoubleLiteralExpr d) return T.of(d.getValue().matches(".*[fF]$") ? float.class : double.class);
                if (e instanceof CharLiteralExpr) return T.of(char.class);
                if (e instanceof BooleanLiteralExpr) return T.of(boolean.class);
                if (e instanceof NullLiteralExpr) return T.NULL;
                if (e instanceof EnclosedExpr en) return raw(en.getInner());
                if (e instanceof NameExpr n) return name(n, n.getNameAsString());
                if (e instanceof FieldAccessExpr f) return fieldAccess(f);
                if (e instanceof MethodCallExpr m) return call(m);
                if (e instanceof ObjectCreationExpr o) return create(o);
                if (e instanceof BinaryExpr b) return binary(b);
                if (e instanceof UnaryExpr u) {
                    T t = type(u.getExpression());
                    return u.getOperator() == UnaryExpr.Operator.LOGICAL_COMPLEMENT ? T.of(boolean.class) : t;
                }
                if (e instanceof ConditionalExpr c) {
                    type(c.getCondition());
                    T a = type(c.getThenExpr());
                    T b = type(c.getElseExpr());
                    return a.isNull() ? b : a;
                }
                if (e instanceof CastExpr c) {
                    type(c.getExpression());
                    return javaType(c.getType());
                }
                if (e instanceof InstanceOfExpr i) {
                    type(i.getExpression());
                    javaType(i.getType());
                    if (i.getPattern().isPresent()) throw refuseAt(e, "规则代码中不能使用 instanceof 模式匹配");
                    return T.of(boolean.class);
                }
                if (e instanceof AssignExpr a) {
                    if (!(a.getTarget() instanceof NameExpr n) || !scope.vars.containsKey(n.getNameAsString()) || globals.containsKey(n.getNameAsString())) {
                        throw refuseAt(e, "规则代码只能给自己的局部变量赋值；记录结果请调用 assessment 或候选对象的方法");
                    }
                    type(a.getTarget());
                    return type(a.getValue());
                }
                if (e instanceof VariableDeclarationExpr v) {
                    declare(v);
                    return T.of(void.class);
                }
                if (e instanceof ArrayAccessExpr a) {
                    T arr = type(a.getName());
                    type(a.getIndex());
                    if (arr.cls() != null && arr.cls().isArray()) return T.of(arr.cls().getComponentType());
                    if (arr.cls() != null && (List.class.isAssignableFrom(arr.cls()) || Map.class.isAssignableFrom(arr.cls()))) {
                        return T.of(Object.class);
                    }
                    return unknownAt(e, "无法确定“" + a.getName() + "”的类型");
                }
                if (e instanceof ArrayCreationExpr a) {
                    javaType(a.getElementType());
                    a.getLevels().forEach(l -> l.getDimension().ifPresent(this::type));
                    a.getInitializer().ifPresent(this::type);
                    T c = javaType(a.getElementType());
                    return c.cls() == null ? T.UNKNOWN : T.of(c.cls().arrayType());
                }
                if (e instanceof ArrayInitializerExpr a) {
                    a.getValues().forEach(this::type);
                    return T.UNKNOWN;
                }
                if (e instanceof ThisExpr) {
                    if (pattern != null) return pattern;
                    throw refuseAt(e, "规则代码中不能使用 this");
                }
                if (e instanceof ClassExpr c) throw refuseAt(e, "规则代码中不能使用“" + c + "”（类对象，可用于反射）" + SEE);
                if (e instanceof LambdaExpr || e instanceof MethodReferenceExpr) {
                    throw refuseAt(e, "规则代码中不能使用 lambda 表达式或方法引用（" + e + "）" + SEE);
                }
                if (e instanceof SuperExpr) throw refuseAt(e, "规则代码中不能使用 super");
                throw refuseAt(e, "规则代码中不支持这种写法：" + e.getClass().getSimpleName().replace("Expr", "") + SEE);
            }

            private T name(Node n, String name) {
                if ("drools".equals(name) || "kcontext".equals(name)) {
                    throw refuseAt(n, "规则代码中不能使用“" + name + "”：它能访问规则引擎本身；结论只需调用 assessment 或候选对象的方法" + SEE);
                }
                T v = scope.vars.get(name);
                if (v != null) return v;
                if (pattern != null) {
                    T p = property(n, pattern, name, false);
                    if (p != null) return p;
                }
                Declared d = declared.get(name);
                if (d != null) return new T(null, d, true, null, false);
                Class<?> c = resolveClass(name);
                if (c != null) {
                    if (!allow.allows(c)) throw refuseAt(n, forbiddenType(c));
                    return T.staticOf(c);
                }
                return T.pkg(name);
            }

            private T fieldAccess(FieldAccessExpr f) {
                T scopeType = raw(f.getScope());
                String name = f.getNameAsString();
                if (scopeType.pkg() != null) {
                    String qualified = scopeType.pkg() + "." + name;
                    Class<?> c = load(qualified);
                    if (c != null) {
                        if (!allow.allows(c)) throw refuseAt(f, forbiddenType(c));
                        return T.staticOf(c);
                    }
                    return T.pkg(qualified);
                }
                if (scopeType.isStatic() && scopeType.cls() != null) {
                    for (Class<?> nested : scopeType.cls().getClasses()) {
                        if (nested.getSimpleName().equals(name)) {
                            if (!allow.allows(nested)) throw refuseAt(f, forbiddenType(nested));
                            return T.staticOf(nested);
                        }
                    }
                    try {
                        Field fd = scopeType.cls().getField(name);
                        if (!Modifier.isStatic(fd.getModifiers())) return unknownAt(f, "“" + f + "”不是静态字段");
                        if (!allow.allows(scopeType.cls(), fd)) throw refuseAt(f, forbiddenMember(scopeType.cls(), name));
                        return T.of(fd.getType());
                    } catch (NoSuchFieldException e) {
                        return unknownAt(f, scopeType.cls().getSimpleName() + " 没有“" + name + "”");
                    }
                }
                if (scopeType.unknown()) return T.UNKNOWN;
                T p = property(f, scopeType, name, true);
                return p == null ? unknownAt(f, "没有字段“" + name + "”") : p;
            }

            /** A field read MVEL-style: getter, is-getter, record accessor, public field; array length. Null when there is none. */
            private T property(Node at, T owner, String name, boolean report) {
                if (owner.isNull()) throw refuseAt(at, "不能读取 null 的字段“" + name + "”");
                if (owner.decl() != null) {
                    if (!owner.decl().fields().containsKey(name)) return null;
                    String tn = owner.decl().fields().get(name);
                    if (tn == null) return T.UNKNOWN;
                    Declared d = declared.get(tn);
                    if (d != null) return new T(null, d, false, null, false);
                    Class<?> c = resolveClass(tn);
                    return c == null ? T.UNKNOWN : T.of(c);
                }
                Class<?> c = owner.cls();
                if (c == null) return T.UNKNOWN;
                if (c.isArray() && "length".equals(name)) return T.of(int.class);
                String cap = name.isEmpty() ? name : Character.toUpperCase(name.charAt(0)) + name.substring(1);
                for (String getter : new String[]{"get" + cap, "is" + cap, name}) {
                    Method m = publicMethod(c, getter);
                    if (m != null) {
                        if (!allow.allows(c, m)) throw refuseAt(at, forbiddenMember(c, m.getName()));
                        return T.of(m.getReturnType());
                    }
                }
                try {
                    Field f = c.getField(name);
                    if (!allow.allows(c, f)) throw refuseAt(at, forbiddenMember(c, name));
                    return T.of(f.getType());
                } catch (NoSuchFieldException e) {
                    return null;
                }
            }

            private Method publicMethod(Class<?> c, String name) {
                for (Method m : methods(c)) {
                    if (m.getName().equals(name) && m.getParameterCount() == 0 && !Modifier.isStatic(m.getModifiers())) return m;
                }
                return null;
            }

            private T call(MethodCallExpr m) {
                String name = m.getNameAsString();
                List<T> args = new ArrayList<>();
                if (m.getScope().isEmpty()) {
                    for (Expression a : m.getArguments()) args.add(type(a));
                    if (RuleAllowList.DROOLS_CALLS.contains(name) && pattern == null) return T.of(void.class);
                    if (functions.containsKey(name)) {
                        String rt = functions.get(name);
                        if (rt == null || "void".equals(rt)) return T.of(void.class);
                        Class<?> c = resolveClass(rt);
                        return c == null ? T.UNKNOWN : T.of(c);
                    }
                    if (pattern != null && pattern.cls() != null) return invoke(m, pattern.cls(), false, name, args);
                    return unknownAt(m, "找不到方法或函数“" + name + "”");
                }
                T owner = raw(m.getScope().get());
                for (Expression a : m.getArguments()) args.add(type(a));
                if (owner.pkg() != null) return unknownAt(m, "找不到“" + owner.pkg() + "”");
                if (owner.isNull()) throw refuseAt(m, "不能调用 null 的方法");
                if (owner.decl() != null) {
                    if (!owner.isStatic() && (name.equals("toString") || name.equals("equals") || name.equals("hashCode")
                            || name.startsWith("get") || name.startsWith("is") || name.startsWith("set"))) {
                        return T.UNKNOWN;
                    }
                    throw refuseAt(m, "声明的类型“" + owner.decl().name() + "”只能读写它的字段");
                }
                if (owner.unknown()) return T.UNKNOWN;
                return invoke(m, owner.cls(), owner.isStatic(), name, args);
            }

            private T invoke(MethodCallExpr m, Class<?> owner, boolean staticOnly, String name, List<T> args) {
                List<Method> applicable = new ArrayList<>();
                for (Method x : methods(owner)) {
                    if (!x.getName().equals(name)) continue;
                    if (staticOnly && !Modifier.isStatic(x.getModifiers())) continue;
                    if (applicable(x, args)) applicable.add(x);
                }
                if (applicable.isEmpty()) return unknownAt(m, owner.getSimpleName() + " 没有可用的方法“" + name + "”");
                for (Method x : applicable) {
                    if (!allow.allows(owner, x)) throw refuseAt(m, forbiddenMember(owner, name));
                }
                Class<?> rt = applicable.get(0).getReturnType();
                for (Method x : applicable) if (!x.getReturnType().equals(rt)) return T.of(Object.class);
                return T.of(rt);
            }

            private T create(ObjectCreationExpr o) {
                if (o.getAnonymousClassBody().isPresent()) throw refuseAt(o, "规则代码中不能声明匿名类" + SEE);
                if (o.getScope().isPresent()) throw refuseAt(o, "规则代码中不支持这种 new 写法");
                T t = javaType(o.getType());
                List<T> args = new ArrayList<>();
                for (Expression a : o.getArguments()) args.add(type(a));
                if (t.decl() != null) return t;
                if (t.cls() == null) return T.UNKNOWN;
                boolean any = false;
                for (Constructor<?> c : t.cls().getConstructors()) {
                    if (!applicable(c.getParameterTypes(), c.isVarArgs(), args)) continue;
                    any = true;
                    if (!allow.allows(c)) throw refuseAt(o, "规则代码中不能创建“" + t.cls().getName() + "”" + SEE);
                }
                if (!any) return unknownAt(o, t.cls().getSimpleName() + " 没有这样的构造方法");
                return t;
            }

            private T binary(BinaryExpr b) {
                T l = type(b.getLeft());
                T r = type(b.getRight());
                switch (b.getOperator()) {
                    case PLUS:
                        if (is(l, String.class) || is(r, String.class)) return T.of(String.class);
                        return numeric(l, r);
                    case MINUS: case MULTIPLY: case DIVIDE: case REMAINDER: case BINARY_AND: case BINARY_OR: case XOR:
                    case LEFT_SHIFT: case SIGNED_RIGHT_SHIFT: case UNSIGNED_RIGHT_SHIFT:
                        return numeric(l, r);
                    default:
                        return T.of(boolean.class);
                }
            }

            private T numeric(T l, T r) {
                Class<?> a = unbox(l.cls());
                Class<?> b = unbox(r.cls());
                if (a == null || b == null) return T.UNKNOWN;
                if (a == boolean.class && b == boolean.class) return T.of(boolean.class);
                if (a == double.class || b == double.class) return T.of(double.class);
                if (a == float.class || b == float.class) return T.of(float.class);
                if (a == long.class || b == long.class) return T.of(long.class);
                if (!a.isPrimitive() || !b.isPrimitive()) return T.UNKNOWN;
                return T.of(int.class);
            }

            private boolean is(T t, Class<?> c) {
                return c.equals(t.cls());
            }

            private boolean applicable(Method m, List<T> args) {
                return applicable(m.getParameterTypes(), m.isVarArgs(), args);
            }

            private boolean applicable(Class<?>[] params, boolean varArgs, List<T> args) {
                if (varArgs) {
                    if (args.size() < params.length - 1) return false;
                } else if (args.size() != params.length) {
                    return false;
                }
                for (int i = 0; i < args.size(); i++) {
                    Class<?> p = varArgs && i >= params.length - 1 ? params[params.length - 1] : params[i];
                    if (varArgs && i >= params.length - 1 && p.isArray() && !(args.size() == params.length && assignable(args.get(i), p))) {
                        p = p.getComponentType();
                    }
                    if (!assignable(args.get(i), p)) return false;
                }
                return true;
            }

            private boolean assignable(T arg, Class<?> param) {
                if (arg.isNull()) return !param.isPrimitive();
                if (arg.decl() != null) return !param.isPrimitive();
                if (arg.cls() == null) return true;
                Class<?> a = arg.cls();
                if (param.isAssignableFrom(a)) return true;
                Class<?> ua = unbox(a);
                Class<?> up = unbox(param);
                if (ua != null && up != null && ua.isPrimitive() && up.isPrimitive()) {
                    if (ua == boolean.class || up == boolean.class) return ua == up;
                    return widening(ua, up);
                }
                return param.isAssignableFrom(box(a));
            }
        }

        // ---- names ----

        private T typeNamed(String name, Site at, boolean mustBeAllowed) {
            if (name == null) return T.UNKNOWN;
            ParseResult<Type> r = javaParser.parseType(name.trim());
            if (!r.isSuccessful() || r.getResult().isEmpty()) {
                unresolved(at, "无法解析类型“" + name + "”");
                return T.UNKNOWN;
            }
            try {
                return new Typer(at, new Scope(), null).javaType(r.getResult().get());
            } catch (Refused e) {
                return T.UNKNOWN;
            }
        }

        /** A type by the name a rule file uses: declared, imported, a wildcard package, java.lang, the DRL package, or fully qualified. */
        private Class<?> resolveClass(String name) {
            name = name.replaceAll("<.*>", "").trim();
            if (PRIMITIVES.contains(name)) return primitive(name);
            if (imports.containsKey(name)) return imports.get(name);
            if (name.contains(".")) {
                Class<?> c = load(name);
                if (c != null) return c;
                String first = name.substring(0, name.indexOf('.'));
                Class<?> outer = resolveClass(first);
                if (outer != null) return load(outer.getName() + name.substring(first.length()).replace('.', '$'));
                return null;
            }
            Class<?> found = null;
            for (String w : wildcards) {
                Class<?> c = load(w + "." + name);
                if (c == null) continue;
                // Two packages offering the name: refuse rather than guess which one the compiler takes.
                if (found != null && found != c && (!allow.allows(found) || !allow.allows(c))) return allow.allows(found) ? c : found;
                if (found == null) found = c;
            }
            if (found != null) return found;
            if (pd.getName() != null && !pd.getName().isEmpty()) return load(pd.getName() + "." + name);
            return null;
        }

        /** Loads a class without initialising it (no static code of it runs). */
        private Class<?> load(String name) {
            String n = name;
            while (true) {
                try {
                    return Class.forName(n, false, loader);
                } catch (ClassNotFoundException | LinkageError e) {
                    int dot = n.lastIndexOf('.');
                    if (dot < 0) return null;
                    n = n.substring(0, dot) + "$" + n.substring(dot + 1);
                    if (n.indexOf('.') < 0) return null;
                }
            }
        }

        private List<Method> methods(Class<?> c) {
            List<Method> out = new ArrayList<>(List.of(c.getMethods()));
            if (c.isInterface()) out.addAll(List.of(Object.class.getMethods()));
            return out;
        }

        // ---- places and problems ----

        private String forbiddenType(Class<?> c) {
            return "规则代码不能使用类型“" + c.getName() + "”：只能使用事实模型（" + modelNames() + "）、字符串、数字、Math、日期（java.time）和只读的集合" + SEE;
        }

        private String forbiddenMember(Class<?> owner, String member) {
            return "规则代码不能调用或读取“" + owner.getSimpleName() + "." + member + "”：它不在允许的范围内" + SEE;
        }

        private String modelNames() {
            Set<String> names = new LinkedHashSet<>();
            for (Class<?> c : allow.model()) names.add(c.getSimpleName());
            return String.join("、", names.stream().sorted().toList());
        }

        private void refuse(Site at, String message) {
            if (!message.contains("rules/README.md")) message = message + SEE;
            refused.add(new RuleProblem(Level.ERROR, Kind.SANDBOX, file, at.line() > 0 ? at.line() : null, at.column() > 0 ? at.column() : null,
                    at.rule(), message, null));
        }

        private void unresolved(Site at, String message) {
            unresolved.add(new RuleProblem(Level.ERROR, Kind.SANDBOX, file, at.line() > 0 ? at.line() : null, at.column() > 0 ? at.column() : null,
                    at.rule(), message + "：无法确认它只使用允许的类型和方法，规则集不能使用" + SEE, null));
        }

        /** Where {@code snippet} starts in the file, searching from {@code fromLine}. */
        private Site locate(String snippet, int fromLine, String rule) {
            int from = fromLine > 0 && fromLine <= lineStarts.length ? lineStarts[fromLine - 1] : 0;
            int i = snippet == null || snippet.isEmpty() ? -1 : text.indexOf(snippet, from);
            if (i < 0 && snippet != null && !snippet.isBlank()) i = text.indexOf(snippet.strip(), from);
            if (i < 0) return new Site(rule, fromLine, 1);
            return siteOf(i, rule);
        }

        private Site siteOf(int offset, String rule) {
            int line = Arrays.binarySearch(lineStarts, offset);
            if (line < 0) line = -line - 2;
            return new Site(rule, line + 1, offset - lineStarts[line] + 1);
        }

        /** The site {@code index} characters into {@code code}, which starts at {@code at}. */
        private Site offset(Site at, String code, int index) {
            int line = at.line();
            int column = at.column();
            for (int i = 0; i < index && i < code.length(); i++) {
                if (code.charAt(i) == '\n') {
                    line++;
                    column = 1;
                } else {
                    column++;
                }
            }
            return new Site(at.rule(), line, column);
        }

        private static int col(BaseDescr d) {
            return d.getColumn() >= 0 ? d.getColumn() + 1 : 1;
        }
    }

    /** Names visible in a piece of code: bindings, globals, parameters, locals. */
    private static final class Scope {
        final Map<String, T> vars = new HashMap<>();

        Scope copy() {
            Scope s = new Scope();
            s.vars.putAll(vars);
            return s;
        }
    }

    private static String strip(String s) {
        return s == null ? null : s.replace("\"", "").trim();
    }

    /** Comments and string literals blanked out, so a keyword inside them is not taken for code. */
    static String masked(String code) {
        StringBuilder b = new StringBuilder(code);
        int i = 0;
        while (i < b.length()) {
            char c = b.charAt(i);
            if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < b.length() && b.charAt(j) != c) {
                    if (b.charAt(j) == '\\') j++;
                    j++;
                }
                for (int k = i + 1; k < Math.min(j, b.length()); k++) if (b.charAt(k) != '\n') b.setCharAt(k, ' ');
                i = j + 1;
            } else if (c == '/' && i + 1 < b.length() && b.charAt(i + 1) == '/') {
                while (i < b.length() && b.charAt(i) != '\n') b.setCharAt(i++, ' ');
            } else if (c == '/' && i + 1 < b.length() && b.charAt(i + 1) == '*') {
                while (i < b.length() && !(b.charAt(i) == '*' && i + 1 < b.length() && b.charAt(i + 1) == '/')) {
                    if (b.charAt(i) != '\n') b.setCharAt(i, ' ');
                    i++;
                }
                i += 2;
            } else {
                i++;
            }
        }
        return b.toString();
    }

    /** Two sides no comparison can match: a number against text or a yes/no value, text against a yes/no value. */
    private static boolean mismatch(T a, T b) {
        String x = kindName(a);
        String y = kindName(b);
        return x != null && y != null && !x.equals(y);
    }

    /** "数字", "文字", "是/否" for types a comparison cannot mix; null for anything else (no verdict). */
    private static String kindName(T t) {
        Class<?> c = unbox(t.cls());
        if (c == null) return null;
        if (c == int.class || c == long.class || c == double.class || c == float.class || c == short.class || c == byte.class
                || Number.class.isAssignableFrom(c)) return "数字";
        if (c == String.class) return "文字";
        if (c == boolean.class) return "是/否";
        return null;
    }

    private static Class<?> primitive(String name) {
        return switch (name) {
            case "int" -> int.class;
            case "long" -> long.class;
            case "short" -> short.class;
            case "byte" -> byte.class;
            case "double" -> double.class;
            case "float" -> float.class;
            case "boolean" -> boolean.class;
            case "char" -> char.class;
            default -> null;
        };
    }

    private static Class<?> unbox(Class<?> c) {
        if (c == null) return null;
        if (c.isPrimitive()) return c;
        if (c == Integer.class) return int.class;
        if (c == Long.class) return long.class;
        if (c == Double.class) return double.class;
        if (c == Float.class) return float.class;
        if (c == Short.class) return short.class;
        if (c == Byte.class) return byte.class;
        if (c == Character.class) return char.class;
        if (c == Boolean.class) return boolean.class;
        return c;
    }

    private static Class<?> box(Class<?> c) {
        if (!c.isPrimitive()) return c;
        if (c == int.class) return Integer.class;
        if (c == long.class) return Long.class;
        if (c == double.class) return Double.class;
        if (c == float.class) return Float.class;
        if (c == short.class) return Short.class;
        if (c == byte.class) return Byte.class;
        if (c == char.class) return Character.class;
        if (c == boolean.class) return Boolean.class;
        return c;
    }

    private static final List<Class<?>> WIDENING = List.of(byte.class, short.class, char.class, int.class, long.class, float.class, double.class);

    private static boolean widening(Class<?> from, Class<?> to) {
        if (from == to) return true;
        if (from == char.class && (to == short.class || to == byte.class)) return false;
        int a = WIDENING.indexOf(from);
        int b = WIDENING.indexOf(to);
        return a >= 0 && b >= 0 && a <= b;
    }
}
