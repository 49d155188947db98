package cn.urbanmgmt.risk.rules;

import cn.urbanmgmt.risk.common.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.stream.Collectors;

/** The rule kinds by the name /api/v1/rule-sets/{kind} gives them. */
@ApplicationScoped
public class RuleKinds {

    @Inject
    Instance<RuleKind<?, ?>> kinds;

    /** The kind named {@code name} (any case), or a 404 problem naming the kinds there are. */
    public RuleKind<?, ?> byPathName(String name) {
        for (RuleKind<?, ?> k : kinds) {
            if (k.pathName().equalsIgnoreCase(name == null ? "" : name.trim())) return k;
        }
        throw ProblemException.notFound("规则集类型“" + name + "”不存在，可选："
                + kinds.stream().map(RuleKind::pathName).sorted().collect(Collectors.joining("、")));
    }
}
