"""Rules from Java through the shared extractor: fees, discounts, status changes, validations."""

from __future__ import annotations

import textwrap

from logicmine.lang.java import link_java, parse_java_file
from logicmine.lang.java.rules_java import java_decision_kind, refine_rules
from logicmine.model import Statement
from logicmine.rules import extract_rules

POLICY = """
package ins;

import java.math.BigDecimal;
import java.math.RoundingMode;

public class Policy {
    private static final BigDecimal RATE = new BigDecimal("0.035");
    private PolicyState state;
    private String status;

    public BigDecimal premium(BigDecimal insured, String band) {
        if (insured == null || insured.signum() <= 0) {
            throw new IllegalArgumentException("insured sum must be positive");
        }
        BigDecimal premium = insured.multiply(RATE).setScale(2, RoundingMode.HALF_UP);
        switch (band) {
            case "YOUNG":
                premium = premium.multiply(new BigDecimal("1.25"));
                break;
            case "SENIOR":
            case "RETIRED":
                premium = premium.multiply(new BigDecimal("0.90"));
                break;
            default:
                break;
        }
        return premium;
    }

    public void lapse(int daysUnpaid) {
        if (daysUnpaid > 90) {
            state = PolicyState.LAPSED;
            notifyAgent();
        } else if (daysUnpaid > 30) {
            setStatus("GRACE");
        }
    }

    public boolean canRenew(int claims) {
        if (claims > 3) {
            return false;
        }
        return true;
    }

    void setStatus(String s) { status = s; }
    void notifyAgent() { }
}
"""


def rules_of(source: str, name: str):
    programs, _, _ = link_java([parse_java_file(textwrap.dedent(source).lstrip("\n"),
                                                "src/ins/Policy.java")])
    program = next(p for p in programs if p.name == name)
    return refine_rules(program, extract_rules(program))


def by_procedure(rules, procedure: str):
    return [(r.kind, r.start_line, r.end_line) for r in rules if r.procedure == procedure]


def test_rules_of_a_method_with_validation_fee_and_discount():
    rules = rules_of(POLICY, "ins.Policy")
    assert by_procedure(rules, "premium") == [
        ("validation", 12, 14), ("calculation", 15, 15), ("decision", 16, 26),
        ("calculation", 18, 18), ("calculation", 22, 22)]
    validation, fee, discount = [r for r in rules if r.procedure == "premium"][:3]
    assert validation.conditions == ("insured == null || insured.signum() <= 0",)
    assert validation.actions == ('throw new IllegalArgumentException("insured sum must be '
                                  'positive")',)
    assert fee.text.endswith("(rounded)")
    assert fee.actions == ("COMPUTE premium ROUNDED = insured.multiply(RATE)"
                           ".setScale(2, RoundingMode.HALF_UP)",)
    assert discount.conditions == ('band = "YOUNG"', '(band = "SENIOR") OR (band = "RETIRED")',
                                   "OTHERWISE")
    assert [(b.line, b.end_line) for b in discount.branches] == [(17, 18), (20, 22), (24, 24)]
    assert discount.branches[1].actions == (
        'COMPUTE premium = premium.multiply(new BigDecimal("0.90"))',)


def test_status_changes_by_enum_and_setter_are_state_transitions():
    rules = rules_of(POLICY, "ins.Policy")
    [lapse] = [r for r in rules if r.procedure == "lapse"]
    assert (lapse.kind, lapse.start_line, lapse.end_line) == ("state-transition", 31, 36)
    assert lapse.conditions == ("daysUnpaid > 90", "daysUnpaid > 30")
    assert [b.actions for b in lapse.branches] == [
        ("MOVE PolicyState.LAPSED TO state", "CALL notifyAgent()"),
        ('MOVE "GRACE" TO status',)]


def test_returning_false_is_a_validation():
    rules = rules_of(POLICY, "ins.Policy")
    assert by_procedure(rules, "canRenew") == [("validation", 40, 42)]


def test_the_shared_extractor_names_java_kinds_itself():
    programs, _, _ = link_java([parse_java_file(textwrap.dedent(POLICY).lstrip("\n"),
                                                "src/ins/Policy.java")])
    plain = extract_rules(programs[0])
    # rules.py knows RAISE/RETURN now: refining changes nothing any more
    refined = refine_rules(programs[0], plain)
    assert [(r.id, r.kind, r.start_line, r.end_line) for r in plain] == \
        [(r.id, r.kind, r.start_line, r.end_line) for r in refined]


def stmt(verb: str, text: str) -> Statement:
    return Statement(verb, text, "m", "F.java", 1, 1)


def test_java_decision_kind_ranks_business_effect_before_calls():
    raise_ = stmt("RAISE", "throw new InvalidAmount()")
    call = stmt("CALL", "CALL dao.save(x)")
    enum_state = stmt("MOVE", "MOVE OrderState.SHIPPED TO order.state")
    assert java_decision_kind([call, raise_], "routing") == "validation"
    assert java_decision_kind([call, enum_state], "routing") == "state-transition"
    assert java_decision_kind([call], "routing") == "routing"
    assert java_decision_kind([stmt("MOVE", "MOVE total TO order.state")], "decision") == \
        "decision"  # a computed value is no transition to a known state
    assert java_decision_kind([stmt("RETURN", 'return "INVALID_CODE"')], "decision") == \
        "validation"
    assert java_decision_kind([stmt("RETURN", "return null")], "decision") == "decision"
    assert java_decision_kind([raise_], "error-handling") == "error-handling"
