"""The bundled questionnaire's content: reachable, triggerable, monotone and within the brief.

Answers are built from the model (choices, thresholds, the numbers conditions
compare with), never from hard-coded ids, so these tests keep working when the
content changes. Every answer set goes through ``validate_answers`` and
``assess`` exactly as a real response would.
"""

from __future__ import annotations

import datetime
import itertools
import random
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cbectool import resources
from cbectool.conditions import Condition
from cbectool.loader import load_questionnaire
from cbectool.questionnaire import CHOICE_TYPES, Question, Questionnaire, QuestionType
from cbectool.response import RawAnswer
from cbectool.scoring import AnswerStatus, Assessment, assess, evaluate_file, validate_answers
from cbectool.text import localize

QUESTIONNAIRE_ID = "tdap-alibaba-cbec"
DATA = Path(__file__).parent / "data"
DIMENSIONS = {"payments", "logistics", "platform", "registration", "product_market", "team"}


@cache
def _bundled() -> Questionnaire:
    return resources.load(QUESTIONNAIRE_ID)


@pytest.fixture
def bundled() -> Questionnaire:
    return _bundled()


# ---------------------------------------------------------------- building answers


def _condition_numbers(questionnaire: Questionnaire, question_id: str) -> set[float]:
    """Numbers that some condition compares this question with (and the number just below each)."""
    numbers: set[float] = set()
    conditions = [q.show_if for q in questionnaire.questions() if q.show_if is not None]
    conditions += [gate.when for gate in questionnaire.gates]
    conditions += [action.when for action in questionnaire.actions if action.when is not None]
    for condition in conditions:
        for _, leaf in condition.leaves():
            if leaf.question != question_id:
                continue
            for bound in (leaf.at_least, leaf.below):
                if bound is not None:
                    numbers.update({bound, bound - 1})
    return numbers


def _candidates(questionnaire: Questionnaire, question: Question) -> list[RawAnswer]:
    """Every meaningfully different answer to one question, in response-file form."""
    if question.type == QuestionType.TEXT:
        return ["Ayesha"]
    if question.type == QuestionType.NUMBER:
        numbers = {step.at_least for step in question.scoring} | _condition_numbers(questionnaire, question.id)
        if question.min is not None:
            numbers.add(question.min)
        if question.max is not None:
            numbers.add(question.max)
        low = question.min if question.min is not None else float("-inf")
        high = question.max if question.max is not None else float("inf")
        return [int(n) if float(n).is_integer() else n for n in sorted(numbers) if low <= n <= high]
    values = [choice.value for choice in question.choices]
    if question.type != QuestionType.MULTI:
        return list(values)
    combinable: list[str | int | float | bool] = [choice.value for choice in question.choices if not choice.exclusive]
    answers: list[RawAnswer] = [[value] for value in values]
    answers.append(combinable)
    answers.extend([a, b] for a, b in itertools.combinations(combinable, 2))
    return answers


def _points(question: Question, raw: RawAnswer) -> float | None:
    """Points an answer earns; None for 'not applicable' (out of the score)."""
    values = raw if isinstance(raw, list) else [raw]
    if question.type == QuestionType.NUMBER:
        assert isinstance(raw, int | float)
        reached = [step for step in question.scoring if raw >= step.at_least]
        return max(reached, key=lambda step: step.at_least).points if reached else 0.0
    choices = [question.choice(str(value)) for value in values]
    if any(choice is not None and choice.not_applicable for choice in choices):
        return None
    total = sum(choice.points for choice in choices if choice is not None)
    return min(total, question.possible_points)


def _score(questionnaire: Questionnaire, raw: dict[str, RawAnswer]) -> Assessment:
    return assess(questionnaire, validate_answers(questionnaire, raw, "test answers"))


def _defaults(questionnaire: Questionnaire) -> dict[str, RawAnswer]:
    return {question.id: _candidates(questionnaire, question)[0] for question in questionnaire.questions()}


def _questions_in(condition: Condition) -> set[str]:
    return {leaf.question for _, leaf in condition.leaves() if leaf.question is not None}


def _with_visibility(questionnaire: Questionnaire, question_ids: set[str]) -> list[str]:
    """These questions plus every question their visibility depends on, in questionnaire order."""
    needed = set(question_ids)
    changed = True
    while changed:
        changed = False
        for question_id in list(needed):
            question = questionnaire.question(question_id)
            assert question is not None, question_id
            if question.show_if is not None and not _questions_in(question.show_if) <= needed:
                needed |= _questions_in(question.show_if)
                changed = True
    return [question.id for question in questionnaire.questions() if question.id in needed]


def _answer_sets(questionnaire: Questionnaire, question_ids: set[str]) -> Iterator[dict[str, RawAnswer]]:
    """Complete answer sets that try every combination of candidates for the given questions."""
    involved = _with_visibility(questionnaire, question_ids)
    options = []
    for question_id in involved:
        question = questionnaire.question(question_id)
        assert question is not None
        options.append(_candidates(questionnaire, question))
    for combination in itertools.product(*options):
        yield {**_defaults(questionnaire), **dict(zip(involved, combination, strict=True))}


def _shown(assessment: Assessment) -> set[str]:
    return {
        answer.question_id
        for dimension in assessment.dimensions
        for answer in dimension.answers
        if answer.status != AnswerStatus.SKIPPED
    }


def _routing_questions(questionnaire: Questionnaire) -> list[Question]:
    """Unscored choice questions that decide which other questions are shown."""
    referenced = set()
    for question in questionnaire.questions():
        if question.show_if is not None:
            referenced |= _questions_in(question.show_if)
    return [q for q in questionnaire.questions() if q.id in referenced and not q.scored]


def _extreme(questionnaire: Questionnaire, question: Question, *, best: bool) -> RawAnswer:
    """The best (or worst) scored answer; 'not applicable' choices are never picked."""
    scored = [raw for raw in _candidates(questionnaire, question) if _points(question, raw) is not None]
    ranked = sorted(scored, key=lambda raw: _points(question, raw) or 0.0)
    return ranked[-1] if best else ranked[0]


def _routing_options(question: Question) -> list[RawAnswer]:
    """Each single choice, and for multi-choice also every combinable choice together."""
    options: list[RawAnswer] = [choice.value for choice in question.choices]
    if question.type == QuestionType.MULTI:
        options = [[choice.value] for choice in question.choices]
        options.append([choice.value for choice in question.choices if not choice.exclusive])
    return options


def _routing_combinations(questionnaire: Questionnaire) -> Iterator[dict[str, RawAnswer]]:
    routing = _routing_questions(questionnaire)
    for combination in itertools.product(*(_routing_options(q) for q in routing)):
        yield {question.id: raw for question, raw in zip(routing, combination, strict=True)}


@cache
def _extremes(questionnaire: Questionnaire, *, best: bool) -> dict[str, RawAnswer]:
    """Every question answered with its best (or worst) scored answer; worked out once."""
    answers = _defaults(questionnaire)
    for question in questionnaire.questions():
        if question.scored:
            answers[question.id] = _extreme(questionnaire, question, best=best)
    return answers


def _all_extreme(questionnaire: Questionnaire, routing: dict[str, RawAnswer], *, best: bool) -> dict[str, RawAnswer]:
    return {**_extremes(questionnaire, best=best), **routing}


# ---------------------------------------------------------------- the brief's minimums


def test_six_named_dimensions_with_at_least_six_questions_each(bundled: Questionnaire) -> None:
    assert {dimension.id for dimension in bundled.dimensions} == DIMENSIONS
    for dimension in bundled.dimensions:
        assert len(dimension.questions) >= 6, dimension.id
        assert sum(1 for question in dimension.questions if question.scored) >= 5, dimension.id
    assert len(bundled.questions()) >= 48


def test_every_question_type_is_used_and_every_question_says_why(bundled: Questionnaire) -> None:
    assert {question.type for question in bundled.questions()} == set(QuestionType)
    for question in bundled.questions():
        english_help = localize(question.help)
        assert len(english_help.split()) >= 8, question.id
        assert english_help.strip() != localize(question.text), question.id


def test_at_least_45_actions_each_with_where_first_step_and_timeframe(bundled: Questionnaire) -> None:
    assert len(bundled.actions) >= 45
    for dimension_id in DIMENSIONS:
        assert sum(1 for action in bundled.actions if action.dimension == dimension_id) >= 5, dimension_id
    for action in bundled.actions:
        assert action.where and action.first_step and action.why, action.id
    assert {action.timeframe for action in bundled.actions} == {"30", "60", "90"}


def test_four_levels_with_owner_friendly_meanings(bundled: Questionnaire) -> None:
    assert len(bundled.levels) == 4
    assert bundled.levels[0].min_score == 0
    for level in bundled.levels:
        sentences = [s for s in re.split(r"[.!?]\s", localize(level.meaning)) if s.strip()]
        # Short sentences for readers of English as a second language.
        assert max(len(sentence.split()) for sentence in sentences) <= 22, level.id


def test_every_action_cites_at_least_one_dated_source(bundled: Questionnaire) -> None:
    today = datetime.date.today().isoformat()
    for action in bundled.actions:
        assert action.sources, f"{action.id}: cites no source"
        for source in action.sources:
            assert re.fullmatch(r"\d{4}(-\d{2}){0,2}", source.date), action.id
            assert source.date <= today, f"{action.id}: a source dated in the future ({source.date})"
            assert source.url.startswith(("http://", "https://")), action.id
            assert source.title.strip(), action.id


def test_gates_cover_payments_and_registration_and_each_lists_an_action(bundled: Questionnaire) -> None:
    by_id = {action.id: action for action in bundled.actions}
    gated_dimensions = set()
    for gate in bundled.gates:
        assert gate.actions, gate.id
        gated_dimensions |= {by_id[action_id].dimension for action_id in gate.actions}
        assert bundled.level_rank(gate.cap_level) < len(bundled.levels) - 1
    assert {"payments", "registration"} <= gated_dimensions


# ---------------------------------------------------------------- references and design rules


def test_every_condition_names_an_existing_question_and_choice(bundled: Questionnaire) -> None:
    conditions: list[tuple[str, Condition]] = [(q.id, q.show_if) for q in bundled.questions() if q.show_if]
    conditions += [(gate.id, gate.when) for gate in bundled.gates]
    conditions += [(action.id, action.when) for action in bundled.actions if action.when is not None]
    for owner, condition in conditions:
        for _, leaf in condition.leaves():
            assert leaf.question is not None
            question = bundled.question(leaf.question)
            assert question is not None, f"{owner}: {leaf.question}"
            named = [leaf.equals, leaf.not_equals, leaf.includes, *(leaf.one_of or ())]
            for value in (value for value in named if value is not None):
                assert question.type in CHOICE_TYPES, owner
                assert question.choice(value) is not None, f"{owner}: {leaf.question}={value}"


def test_the_lowest_answer_of_every_scored_question_earns_nothing(bundled: Questionnaire) -> None:
    for question in bundled.questions():
        if not question.scored:
            continue
        worst = _extreme(bundled, question, best=False)
        assert _points(question, worst) == 0, question.id


def test_only_unscored_questions_show_or_hide_others(bundled: Questionnaire) -> None:
    # So that a better answer can never show new questions that lower the score.
    for question in bundled.questions():
        if question.show_if is not None:
            for question_id in _questions_in(question.show_if):
                referenced = bundled.question(question_id)
                assert referenced is not None and not referenced.scored, f"{question.id} depends on {question_id}"


def test_gates_only_look_at_questions_everyone_is_asked(bundled: Questionnaire) -> None:
    for gate in bundled.gates:
        for question_id in _questions_in(gate.when):
            question = bundled.question(question_id)
            assert question is not None and question.show_if is None and question.required, gate.id


# ---------------------------------------------------------------- reachability


def test_every_question_can_be_reached(bundled: Questionnaire) -> None:
    for question in bundled.questions():
        assert any(
            question.id in _shown(_score(bundled, answers)) for answers in _answer_sets(bundled, {question.id})
        ), f"no answers show {question.id}"


def test_every_action_can_be_recommended(bundled: Questionnaire) -> None:
    for action in bundled.actions:
        conditions = [action.when] if action.when is not None else []
        conditions += [gate.when for gate in bundled.gates if action.id in gate.actions]
        involved = set().union(*(_questions_in(condition) for condition in conditions))
        assert any(
            action.id in {recommended.id for recommended in _score(bundled, answers).actions}
            for answers in _answer_sets(bundled, involved)
        ), f"no answers recommend {action.id}"


def test_every_gate_can_fire(bundled: Questionnaire) -> None:
    for gate in bundled.gates:
        assert any(
            gate.id in _score(bundled, answers).gates for answers in _answer_sets(bundled, _questions_in(gate.when))
        ), f"no answers fire {gate.id}"


# ---------------------------------------------------------------- extremes and monotonicity


@pytest.mark.slow
def test_best_answers_score_100_at_the_top_level_with_no_gate_for_every_business_kind(
    bundled: Questionnaire,
) -> None:
    top = bundled.levels[-1].id
    for routing in _routing_combinations(bundled):
        assessment = _score(bundled, _all_extreme(bundled, routing, best=True))
        assert assessment.overall.score == 100, routing
        assert assessment.overall.level == top, routing
        assert assessment.gates == (), routing


@pytest.mark.slow
def test_worst_answers_score_0_at_the_bottom_level_for_every_business_kind(bundled: Questionnaire) -> None:
    bottom = bundled.levels[0].id
    for routing in _routing_combinations(bundled):
        assessment = _score(bundled, _all_extreme(bundled, routing, best=False))
        assert assessment.overall.score == 0, routing
        assert assessment.overall.level == bottom, routing
        assert set(assessment.gates) == {gate.id for gate in bundled.gates}, routing


def _improvements(questionnaire: Questionnaire, question: Question) -> Iterator[tuple[RawAnswer, RawAnswer]]:
    """Pairs (worse, better) of scored answers to one question."""
    scored = [raw for raw in _candidates(questionnaire, question) if _points(question, raw) is not None]
    if question.type == QuestionType.MULTI:
        scored = [raw for raw in scored if isinstance(raw, list) and len(raw) == 1]
    for worse, better in itertools.permutations(scored, 2):
        worse_points, better_points = _points(question, worse), _points(question, better)
        assert worse_points is not None and better_points is not None
        if better_points > worse_points:
            yield worse, better
    if question.type == QuestionType.MULTI:  # adding a choice to an answer is never worse
        for raw in scored:
            assert isinstance(raw, list)
            if any(c.exclusive for c in question.choices if c.value in raw):
                continue
            for choice in question.choices:
                if choice.value not in raw and not choice.exclusive and not choice.not_applicable:
                    yield raw, [*raw, choice.value]


def test_a_better_answer_never_lowers_the_score_or_level_and_never_fires_a_gate(bundled: Questionnaire) -> None:
    rng = random.Random(20261123)
    scored = [question for question in bundled.questions() if question.scored]
    for _ in range(10):
        base = {question.id: rng.choice(_candidates(bundled, question)) for question in bundled.questions()}
        for question in scored:
            for worse, better in _improvements(bundled, question):
                before = _score(bundled, {**base, question.id: worse})
                after = _score(bundled, {**base, question.id: better})
                context = f"{question.id}: {worse} -> {better}"
                assert after.overall.score >= before.overall.score, context
                assert bundled.level_rank(after.overall.level) >= bundled.level_rank(before.overall.level), context
                assert set(after.gates) <= set(before.gates), context


def test_answers_in_response_form_validate(bundled: Questionnaire) -> None:
    # Every candidate the tests build is a valid answer, so the checks above use real inputs.
    for question in bundled.questions():
        for raw in _candidates(bundled, question):
            validate_answers(bundled, {**_defaults(bundled), question.id: raw}, "candidate")


def test_the_trainers_readme_matches_the_questionnaire(bundled: Questionnaire) -> None:
    readme = " ".join((resources.questionnaires_dir() / "README.md").read_text(encoding="utf-8").split())
    assert f"version {bundled.version}" in readme
    for dimension in bundled.dimensions:
        assert f"(`{dimension.id}`) | {dimension.weight:g} | {len(dimension.questions)} |" in readme, dimension.id
    for level in bundled.levels:
        meaning = " ".join(localize(level.meaning).split())
        assert f"(`{level.id}`) | {level.min_score:g} | {meaning} |" in readme, level.id
    for gate in bundled.gates:
        assert f"| `{gate.id}` |" in readme, gate.id
    assert f"There are {len(bundled.actions)} actions" in readme


# ---------------------------------------------------------------- fair to every kind of exporter


def _goods_only_questions(questionnaire: Questionnaire) -> list[Question]:
    """Questions that some goods seller is asked and no seller of only digital work ever is."""
    offer = questionnaire.question("pm_offer")
    assert offer is not None
    goods_only = []
    for question in questionnaire.questions():
        if question.show_if is None:
            continue
        shown_for = {
            value
            for value in ("goods", "digital")
            if any(
                question.id in _shown(_score(questionnaire, {**answers, "pm_offer": value}))
                for answers in _answer_sets(questionnaire, _questions_in(question.show_if) - {"pm_offer"})
            )
        }
        if shown_for == {"goods"}:
            goods_only.append(question)
    return goods_only


def test_parcel_cargo_packing_and_customs_questions_are_never_asked_of_a_digital_seller(
    bundled: Questionnaire,
) -> None:
    goods_only = {question.id for question in _goods_only_questions(bundled)}
    logistics = next(dimension for dimension in bundled.dimensions if dimension.id == "logistics")
    assert {question.id for question in logistics.questions} <= goods_only
    assert {"reg_psw", "pay_ecom_registered", "pm_product_type", "pm_labels", "reg_certs"} <= goods_only


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_digital_sellers_answers_to_physical_questions_never_change_its_result(data: st.DataObject) -> None:
    questionnaire = _bundled()
    physical = _goods_only_digital_cache(questionnaire)
    base = {
        question.id: data.draw(st.sampled_from(_candidates(questionnaire, question)), label=question.id)
        for question in questionnaire.questions()
    }
    base["pm_offer"] = "digital"
    changed = dict(base)
    for question_id in physical:
        question = questionnaire.question(question_id)
        assert question is not None
        changed[question_id] = data.draw(
            st.sampled_from(_candidates(questionnaire, question)), label=f"new {question_id}"
        )
    before, after = _score(questionnaire, base), _score(questionnaire, changed)
    assert after.overall == before.overall
    assert after.dimensions == before.dimensions
    assert after.gates == before.gates
    assert after.actions == before.actions
    assert before.dimension("logistics").score is None  # not assessed: it leaves the weighted mean


@cache
def _goods_only_digital_cache(questionnaire: Questionnaire) -> tuple[str, ...]:
    return tuple(question.id for question in _goods_only_questions(questionnaire))


def test_a_reply_within_alibabas_24_hours_earns_full_points(bundled: Questionnaire) -> None:
    question = bundled.question("plat_reply_hours")
    assert question is not None
    assert _points(question, 24) == question.possible_points
    assert _points(question, 25) is not None and (_points(question, 25) or 0) < question.possible_points


def test_money_through_someone_else_fires_a_payments_gate_whatever_else_is_ticked(bundled: Questionnaire) -> None:
    by_id = {action.id: action for action in bundled.actions}
    channel = bundled.question("pay_receive_channel")
    assert channel is not None
    for raw in _candidates(bundled, channel):
        for informal in ("some", "all"):
            assessment = _score(
                bundled, {**_extremes(bundled, best=True), "pay_receive_channel": raw, "pay_informal": informal}
            )
            payment_gates = [
                gate
                for gate in bundled.gates
                if gate.id in assessment.gates and {by_id[action].dimension for action in gate.actions} == {"payments"}
            ]
            assert payment_gates, (raw, informal)
            assert assessment.overall.level != bundled.levels[-1].id


# ---------------------------------------------------------------- questions an owner can answer

# Each abbreviation, and words that must explain it in the question where an owner first meets it.
ABBREVIATIONS = {
    "B2B": "business to business",
    "B2C": "business to consumer",
    "NTN": "National Tax Number",
    "FBR": "Federal Board of Revenue",
    "SECP": "Securities and Exchange Commission",
    "STRN": "Sales Tax Registration Number",
    "PSW": "Pakistan Single Window",
    "WeBOC": "Web-Based One Customs",
    "TDAP": "Trade Development Authority",
    "REX": "Registered Exporter",
    "PSEB": "Pakistan Software Export Board",
    "SBP": "State Bank of Pakistan",
    "MOQ": "minimum order quantity",
    "RFQ": "Request for Quotation",
    "Incoterm": "trade terms",
    "ICC": "International Chamber of Commerce",
    "PCT": "Pakistan Customs Tariff",
    "HS": "Harmonized System",
    "FDA": "Food and Drug Administration",
    "MDR": "Medical Device Regulation",
    "REACH": "law on chemicals",
    "DDP": "Delivered Duty Paid",
    "DAP": "Delivered At Place",
    "VAT": "sales tax",
    "SMEDA": "Small and Medium Enterprises Development Authority",
}


def _words_of(question: Question) -> str:
    texts = [question.text, question.help, *(choice.label for choice in question.choices)]
    return " ".join(" ".join(text.values()) if isinstance(text, dict) else text for text in texts)


@pytest.mark.parametrize("abbreviation", sorted(ABBREVIATIONS))
def test_every_abbreviation_is_explained_where_an_owner_first_meets_it(
    bundled: Questionnaire, abbreviation: str
) -> None:
    used = re.compile(rf"(?<![\w-]){re.escape(abbreviation)}s?(?![\w-])")
    first = next((question for question in bundled.questions() if used.search(_words_of(question))), None)
    assert first is not None, f"{abbreviation} is not used in any question"
    assert ABBREVIATIONS[abbreviation].casefold() in " ".join(_words_of(first).split()).casefold(), (
        f"{abbreviation} first appears in {first.id} without '{ABBREVIATIONS[abbreviation]}'"
    )


def test_the_issues_abbreviations_are_all_explained() -> None:
    assert {"NTN", "STRN", "WeBOC", "PCT", "HS", "MOQ", "RFQ", "Incoterm"} <= set(ABBREVIATIONS)


@pytest.mark.slow
def test_a_sensible_length_for_every_kind_of_business(bundled: Questionnaire) -> None:
    # About 60 questions in the file. A business is asked only those that fit it: at most 66 even
    # when it ticks every channel and every route, at most 63 with one channel and one shipping
    # route, and a seller of only digital work at most 45 (questionnaires/README.md says the same).
    assert 55 <= len(bundled.questions()) <= 70
    single, digital, every = [], [], []
    for routing in _routing_combinations(bundled):
        asked = len(_shown(_score(bundled, _all_extreme(bundled, routing, best=True))))
        every.append(asked)
        if routing["pm_offer"] == "digital":
            digital.append(asked)
        if len(routing["plat_channels"]) == 1 and len(routing["log_routes"]) == 1:  # type: ignore[arg-type]
            single.append(asked)
    assert max(every) <= 66
    assert max(single) <= 63
    assert max(digital) <= 45


# ---------------------------------------------------------------- the changelog for answers made with 1.0


def test_the_changelog_names_every_question_choice_gate_and_action_added_or_dropped_since_1_0(
    bundled: Questionnaire,
) -> None:
    previous = load_questionnaire(DATA / "questionnaires" / "tdap-alibaba-cbec-1.0.yaml")
    readme = (resources.questionnaires_dir() / "README.md").read_text(encoding="utf-8")
    changelog = readme[readme.index("## Changelog") :]
    assert f"{previous.version} -> {bundled.version}" in changelog

    def named(identifier: str) -> bool:
        return f"`{identifier}`" in changelog

    for question in previous.questions():
        now = bundled.question(question.id)
        if now is None:
            assert named(question.id), f"removed question {question.id}"
            continue
        for choice in question.choices:
            if now.choice(choice.value) is None:
                assert named(f"{question.id}={choice.value}"), f"removed choice {question.id}={choice.value}"
        for choice in now.choices:
            if question.choice(choice.value) is None:
                assert named(choice.value), f"new choice {question.id}={choice.value}"
        if now.show_if != question.show_if or now.scoring != question.scoring or now.type != question.type:
            assert named(question.id), f"changed question {question.id}"
    for question in bundled.questions():
        if previous.question(question.id) is None:
            assert named(question.id), f"new question {question.id}"
    for old, new in ((previous.actions, bundled.actions), (previous.gates, bundled.gates)):
        before, after = {item.id for item in old}, {item.id for item in new}
        for identifier in before ^ after:
            assert named(identifier), f"added or removed: {identifier}"


PAID_MARKETPLACE_STEPS = ("open_alibaba_storefront", "upgrade_alibaba_membership", "try_amazon", "marketplace_payouts")


def test_no_paid_marketplace_step_is_planned_before_a_legal_payment_channel(bundled: Questionnaire) -> None:
    """Content: the steps that cost money on a marketplace name the payment account as their prerequisite, so
    a business without a legal way to be paid (the gate fired) is never sent to pay for a storefront first."""
    payment_step = next(gate for gate in bundled.gates if gate.id == "no_payment_channel").actions[0]
    by_id = {action.id: action for action in bundled.actions}
    for step in PAID_MARKETPLACE_STEPS:
        assert payment_step in by_id[step].after, step
    for path in sorted((Path(__file__).parent / "data" / "personas").glob("*.json")):
        plan = [step.id for step in evaluate_file(path).assessment.actions]
        for step in PAID_MARKETPLACE_STEPS:
            if step in plan and payment_step in plan:
                assert plan.index(payment_step) < plan.index(step), (path.name, step)
