"""The interview as pure logic: what to ask next, going back, help, review, the final response.

No terminal input or output here, so another front end (a web form, another
language) can drive the same flow: it shows ``Interview.prompt()`` or
``Interview.review()`` and passes what the owner typed to ``submit`` or
``submit_review``. Answers are checked with ``response.parse_answer``, exactly
like response files; an answer to a question that a condition now hides is kept
(so changing back restores it) but ignored, as ``validate_answers`` ignores it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from cbectool import __version__
from cbectool.conditions import Answer
from cbectool.i18n import N_, gettext, translate
from cbectool.notices import Notice
from cbectool.questionnaire import CHOICE_TYPES, Choice, Question, Questionnaire, QuestionType
from cbectool.response import (
    Assessed,
    Business,
    QuestionnaireRef,
    Response,
    answers_to_json,
    business_field_limit,
    business_field_required,
)
from cbectool.scoring import AnswerError, Rule, parse_answer, walk
from cbectool.text import localize

BUSINESS_PREFIX = "business."
REVIEW = "review"
"""The position of the review screen (a step key otherwise)."""

HELP_COMMANDS = frozenset({"?", "help"})
BACK_COMMANDS = frozenset({"b", "back"})
FINISH_COMMANDS = frozenset({"", "done", "d", "ok", "finish", "f"})

LocalText = str | dict[str, str]


@dataclass(frozen=True)
class ProfileField:
    """One field of the business profile, asked before the questionnaire; its texts are catalogue messages."""

    key: str  # a field of ``response.Business``
    text: str
    help: str

    @property
    def required(self) -> bool:
        return business_field_required(self.key)

    @property
    def max_length(self) -> int:
        """The longest answer ``response.Business`` accepts: the one rule for every way a business is entered."""
        return business_field_limit(self.key)


PROFILE_SECTION_TITLE = N_("About your business")
PROFILE_FIELDS = (
    ProfileField(
        "name",
        N_("What is the name of your business?"),
        N_("The name goes on your report and on the file names. It is saved only on this computer."),
    ),
    ProfileField(
        "city",
        N_("In which city is your business?"),
        N_("Trainers group businesses by city. Press Enter to skip."),
    ),
    ProfileField(
        "sector",
        N_("What is your sector? (for example: sports goods, textiles, leather)"),
        N_("Some advice depends on the sector. Press Enter to skip."),
    ),
    ProfileField(
        "products",
        N_("What are your main products?"),
        N_("Your report names them, so the advice is about your goods. Press Enter to skip."),
    ),
    ProfileField(
        "contact",
        N_("How can a trainer contact you? (phone or e-mail)"),
        N_("Only if you want a trainer to follow up. It stays on this computer. Press Enter to skip."),
    ),
)

# Messages of the flow: English, translated by the interface's catalogue (``cbectool.i18n``).
MESSAGES: dict[str, str] = {
    "needs_answer": N_("This question needs an answer."),
    "first_step": N_("This is the first question; there is nothing before it."),
    "no_choice": N_("There is no choice {number}."),
    "one_choice": N_("Type one number from 1 to {count}, or the words of a choice."),
    "many_choices": N_("Type one or more numbers from 1 to {count}, like 1,3, or the words of the choices."),
    # a number's hint: whole sentences, with and without a unit, for each kind of range
    "number": N_("Type a number."),
    "number_unit": N_("Type a number ({unit})."),
    "number_both": N_("Type a number, from {low} to {high}."),
    "number_both_unit": N_("Type a number ({unit}), from {low} to {high}."),
    "number_min": N_("Type a number, {low} or more."),
    "number_min_unit": N_("Type a number ({unit}), {low} or more."),
    "number_max": N_("Type a number, up to {high}."),
    "number_max_unit": N_("Type a number ({unit}), up to {high}."),
    "text": N_("Type your answer."),
    "skip": N_("Press Enter to skip."),
    "keep": N_("Press Enter to keep it."),
    "commands": N_("Type ? for help, b to go back."),
    "review_hint": N_("Type a number from 1 to {count} to change an answer, or press Enter to finish."),
    "missing": N_("Some questions still need an answer. We go to the first one now."),
    "no_answer": N_("(no answer)"),
    "too_long": N_("is longer than {limit} characters"),
    # an answer refused (``scoring.Rule``): choices are named by their number and label, as on screen
    "refused_not_a_choice": N_("'{given}' is not one of the choices."),
    "refused_one_answer": N_("Choose one answer only."),
    "refused_no_answer": N_("Choose at least one answer."),
    "refused_exclusive": N_("Choice {choice} cannot be chosen together with other answers."),
    "refused_not_a_number": N_("'{given}' is not a number."),
    "refused_not_finite": N_("Type an ordinary number."),
    "refused_below_min": N_("The smallest answer is {limit}."),
    "refused_above_max": N_("The largest answer is {limit}."),
    "choice_named": N_("{number} ({label})"),
    "dropped": N_("answers.{question}: no such question any more; dropped"),
    "dropped_many": N_("{count} answers are for questions that are no longer asked; dropped: {items}"),
    "asked_again": N_('answers.{question}: {problem} The question "{text}" will be asked again.'),
    "asked_again_many": N_("{count} answers no longer fit their questions, which will be asked again: {items}"),
}


def message(key: str, lang: str = "en", **values: object) -> str:
    """A flow message in ``lang`` with its ``{placeholders}`` filled."""
    return translate(MESSAGES[key], lang, **values)


def refusal(error: AnswerError, lang: str = "en", *, numbered: bool = True) -> str:
    """A refused answer as the owner is told it: the choices by the numbers and labels on screen (or by their
    labels alone, for a form whose choices are buttons), never by codes."""
    texts = {rule: gettext(MESSAGES[f"refused_{rule}"], lang) for rule in Rule if f"refused_{rule}" in MESSAGES}
    texts[Rule.TOO_LONG] = _sentence(message("too_long", lang, limit="{limit}"))

    def named(number: int, choice: Choice) -> str:
        label = localize(choice.label, lang)
        return message("choice_named", lang, number=number, label=label) if numbered else f'"{label}"'

    return error.worded(texts, named)


@dataclass(frozen=True)
class Step:
    """One thing to ask: a profile field or a question, in its section."""

    key: str  # "business.<field>" or the question id
    section: int  # 0 is the profile; 1.. are the dimensions
    question: Question | None = None
    profile: ProfileField | None = None

    @property
    def required(self) -> bool:
        if self.question is not None:
            return self.question.required
        assert self.profile is not None
        return self.profile.required


@dataclass(frozen=True)
class Section:
    id: str
    title: LocalText
    description: LocalText | None
    steps: tuple[Step, ...]
    interface: bool = False  # the profile: its title is the interface's (the catalogue's), not the questionnaire's

    def title_in(self, lang: str) -> str:
        return gettext(str(self.title), lang) if self.interface else localize(self.title, lang)


@dataclass(frozen=True)
class ChoiceView:
    number: int  # as shown, from 1
    value: str
    label: str
    exclusive: bool


@dataclass(frozen=True)
class Progress:
    section: int  # from 1
    sections: int
    section_title: str
    question: int  # from 1, among the questions shown in this section
    questions: int
    done: int  # questions shown and already answered (the business profile is not counted)
    total: int  # questions shown now (conditions can change it): at most the questionnaire's questions

    @property
    def fraction(self) -> float:
        return self.done / self.total if self.total else 1.0


@dataclass(frozen=True)
class Prompt:
    """Everything a front end needs to show the current step."""

    key: str
    kind: str  # "profile", or a question type
    text: str
    help: str
    choices: tuple[ChoiceView, ...]
    required: bool
    current: str | None  # the answer given before, as shown, if any
    hint: str  # what is accepted, in one line
    progress: Progress
    section_description: str


class Outcome(StrEnum):
    ANSWERED = "answered"  # saved; the flow moved on
    HELP = "help"  # show ``Feedback.text``; ask again
    BACK = "back"  # moved to the previous shown step
    INVALID = "invalid"  # show ``Feedback.text``; ask again
    FIRST = "first"  # back at the first step: nothing before it
    CHANGE = "change"  # review: moved to the step to change
    FINISH = "finish"  # review: complete; build the response
    INCOMPLETE = "incomplete"  # review: moved to the first missing answer


@dataclass(frozen=True)
class Feedback:
    outcome: Outcome
    text: str = ""


@dataclass(frozen=True)
class ReviewItem:
    number: int
    key: str
    section_title: str
    text: str
    answer: str
    missing: bool


@dataclass
class State:
    """What a draft stores besides the questionnaire: the answers so far and the position."""

    business: dict[str, str] = field(default_factory=dict)
    answers: dict[str, Answer] = field(default_factory=dict)
    position: str = f"{BUSINESS_PREFIX}name"
    editing: bool = False  # changing one answer from the review screen
    visited: set[str] = field(default_factory=set)


def sections_of(questionnaire: Questionnaire) -> tuple[Section, ...]:
    """The profile, then one section per dimension, in order."""
    profile = Section(
        "business",
        PROFILE_SECTION_TITLE,
        None,
        tuple(Step(f"{BUSINESS_PREFIX}{item.key}", 0, profile=item) for item in PROFILE_FIELDS),
        interface=True,
    )
    dimensions = tuple(
        Section(
            dimension.id,
            dimension.title,
            dimension.description,
            tuple(Step(question.id, index, question=question) for question in dimension.questions),
        )
        for index, dimension in enumerate(questionnaire.dimensions, start=1)
    )
    return (profile, *dimensions)


_NUMBERS_ONLY = re.compile(r"^[\d\s,;\u060c\u061b]+$")  # also the Arabic comma and semicolon of Urdu
_SEPARATORS = re.compile(r"([,;|\u060c\u061b])")  # kept in the split, so the text can be put back together


class Interview:
    """One owner's way through a questionnaire. Mutable; ``state`` is what a draft saves."""

    def __init__(self, questionnaire: Questionnaire, state: State | None = None, *, lang: str = "en") -> None:
        self.questionnaire = questionnaire
        self.lang = lang
        self.state = state or State()
        self.sections = sections_of(questionnaire)
        self.steps = tuple(step for section in self.sections for step in section.steps)
        self._index = {step.key: index for index, step in enumerate(self.steps)}
        if self.state.position != REVIEW and self.state.position not in self._index:
            self.state.position = self.steps[0].key
        if self.state.position != REVIEW and not self.is_shown(self.step_at(self.state.position)):
            self._move_to(self._next_shown(self._index[self.state.position]))

    # What is shown

    def step_at(self, key: str) -> Step:
        return self.steps[self._index[key]]

    def shown_answers(self) -> dict[str, Answer]:
        """Answers of questions shown now, as ``validate_answers`` would keep them."""
        return self._walk()[1]

    def shown_steps(self) -> list[Step]:
        """The steps shown now, given the answers so far."""
        return self._walk()[0]

    def _walk(self) -> tuple[list[Step], dict[str, Answer]]:
        # which questions are shown is decided by the scoring engine's one definition (``scoring.walk``)
        shown: dict[str, Answer] = {}
        asked: set[str] = set()
        for question, answer in walk(self.questionnaire, self.state.answers).questions:
            asked.add(question.id)
            if answer is not None:
                shown[question.id] = answer
        return [step for step in self.steps if step.question is None or step.key in asked], shown

    def is_shown(self, step: Step) -> bool:
        return any(shown.key == step.key for shown in self.shown_steps())

    def is_answered(self, step: Step) -> bool:
        if step.profile is not None:
            return bool(self.state.business.get(step.profile.key))
        return step.key in self.state.answers

    def missing(self) -> list[Step]:
        """Shown, required steps without an answer."""
        return [step for step in self.shown_steps() if step.required and not self.is_answered(step)]

    @property
    def in_review(self) -> bool:
        return self.state.position == REVIEW

    @property
    def current(self) -> Step | None:
        return None if self.in_review else self.step_at(self.state.position)

    def answered(self) -> tuple[int, int]:
        """Questions answered (or seen and skipped) and questions shown now, as in "12 of 57 answered".

        The business profile is not counted, so the total is at most the questionnaire's questions,
        the "up to N questions" of the welcome and the README.
        """
        questions = [step for step in self.shown_steps() if step.question is not None]
        done = sum(1 for step in questions if step.key in self.state.visited or self.is_answered(step))
        return done, len(questions)

    def progress(self, step: Step) -> Progress:
        in_section = [item for item in self.shown_steps() if item.section == step.section]
        done, total = self.answered()
        return Progress(
            section=step.section + 1,
            sections=len(self.sections),
            section_title=self.sections[step.section].title_in(self.lang),
            question=next((n for n, item in enumerate(in_section, start=1) if item.key == step.key), 1),
            questions=len(in_section),
            done=done,
            total=total,
        )

    def prompt(self) -> Prompt:
        """The current step, ready to show. Not available on the review screen."""
        step = self.current
        if step is None:
            raise RuntimeError("the interview is on the review screen; use review()")
        section = self.sections[step.section]
        if step.profile is not None:
            current = self.state.business.get(step.profile.key) or None
            return Prompt(
                key=step.key,
                kind="profile",
                text=gettext(step.profile.text, self.lang),
                help=gettext(step.profile.help, self.lang),
                choices=(),
                required=step.required,
                current=current,
                hint=self._hint(step, has_answer=current is not None),
                progress=self.progress(step),
                section_description=localize(section.description, self.lang),
            )
        question = step.question
        assert question is not None
        answer = self.state.answers.get(question.id)
        return Prompt(
            key=step.key,
            kind=str(question.type),
            text=localize(question.text, self.lang),
            help=localize(question.help, self.lang),
            choices=tuple(
                ChoiceView(number, choice.value, localize(choice.label, self.lang), choice.exclusive)
                for number, choice in enumerate(question.choices, start=1)
            ),
            required=question.required,
            current=None if answer is None else self.display(question, answer),
            hint=self._hint(step, has_answer=answer is not None),
            progress=self.progress(step),
            section_description=localize(section.description, self.lang),
        )

    def display(self, question: Question, answer: Answer) -> str:
        """An answer as the owner reads it: labels, or the number with its unit."""
        if isinstance(answer, tuple):
            return ", ".join(self._label(question, value) for value in answer)
        if isinstance(answer, float):
            number = str(int(answer)) if answer.is_integer() else f"{answer:g}"
            unit = localize(question.unit, self.lang)
            return f"{number} {unit}".strip()
        if question.type in CHOICE_TYPES:
            return self._label(question, answer)
        return answer

    def _label(self, question: Question, value: str) -> str:
        choice = question.choice(value)
        return localize(choice.label, self.lang) if choice is not None else value

    def _hint(self, step: Step, *, has_answer: bool) -> str:
        question = step.question
        if question is None or question.type == QuestionType.TEXT:
            accepted = message("text", self.lang)
        elif question.type == QuestionType.NUMBER:
            accepted = _number_hint(question, self.lang)
        elif question.type == QuestionType.MULTI:
            accepted = message("many_choices", self.lang, count=len(question.choices))
        else:
            accepted = message("one_choice", self.lang, count=len(question.choices))
        extra = message("keep", self.lang) if has_answer else ("" if step.required else message("skip", self.lang))
        return " ".join(part for part in (accepted, extra, message("commands", self.lang)) if part)

    # Answering

    def submit(self, raw: str) -> Feedback:
        """Handle one line typed at the current step: an answer, ``?`` or ``b``."""
        step = self.current
        if step is None:
            return self.submit_review(raw)
        typed = raw.strip()
        command = typed.casefold()
        if command in HELP_COMMANDS:
            return Feedback(Outcome.HELP, self.prompt().help)
        if command in BACK_COMMANDS:
            return self.back()
        if not typed:
            if self.is_answered(step):
                self._advance(step)
                return Feedback(Outcome.ANSWERED)
            if step.required:
                return Feedback(
                    Outcome.INVALID, f"{message('needs_answer', self.lang)} {self._hint(step, has_answer=False)}"
                )
            self._clear(step)
            self._advance(step)
            return Feedback(Outcome.ANSWERED)
        try:
            self._store(step, typed)
        except AnswerError as exc:
            return Feedback(Outcome.INVALID, f"{refusal(exc, self.lang)} {self._hint(step, has_answer=False)}")
        except ValueError as exc:
            return Feedback(Outcome.INVALID, f"{_sentence(str(exc))} {self._hint(step, has_answer=False)}")
        self._advance(step)
        return Feedback(Outcome.ANSWERED)

    def answer(self, value: str | Sequence[str]) -> Feedback:
        """Answer the current step with what a form sends: text, a choice value, or a list of values.

        For front ends that show choices as buttons (``cbectool serve``). Unlike ``submit``, nothing
        is read as a command or a choice number. A form shows the earlier answer, so sending nothing
        means "no answer": it clears an optional step and is refused for a required one.
        """
        step = self.current
        if step is None:
            raise RuntimeError("the interview is on the review screen; use submit_review() or jump()")
        values = [item.strip() for item in ([value] if isinstance(value, str) else value) if item.strip()]
        if not values:
            if step.required:
                return Feedback(Outcome.INVALID, message("needs_answer", self.lang))
            self._clear(step)
            self._advance(step)
            return Feedback(Outcome.ANSWERED)
        multi = step.question is not None and step.question.type == QuestionType.MULTI
        try:
            if not multi and len(values) > 1:
                raise ValueError("takes one answer, not a list")
            if step.question is None:
                self._store(step, values[0])
            else:
                self.state.answers[step.key] = parse_answer(step.question, values if multi else values[0])
        except AnswerError as exc:
            return Feedback(Outcome.INVALID, refusal(exc, self.lang, numbered=False))
        except ValueError as exc:
            return Feedback(Outcome.INVALID, _sentence(str(exc)))
        self._advance(step)
        return Feedback(Outcome.ANSWERED)

    def _store(self, step: Step, typed: str) -> None:
        if step.profile is not None:
            text = " ".join(typed.split())
            if len(text) > step.profile.max_length:
                raise ValueError(message("too_long", self.lang, limit=step.profile.max_length))
            self.state.business[step.profile.key] = text
            return
        question = step.question
        assert question is not None
        self.state.answers[question.id] = parse_answer(question, self._by_number(question, typed))

    def _by_number(self, question: Question, typed: str) -> object:
        """Choice numbers as shown (``2``, ``1,3``, ``1 3``) to values; anything else as typed (words of a
        label may hold commas: ``scoring.split_choices`` reads them)."""
        if question.type not in CHOICE_TYPES:
            return typed
        count = len(question.choices)

        def value_of(token: str) -> str:
            number = int(token)
            if not 1 <= number <= count:
                raise ValueError(message("no_choice", self.lang, number=number))
            return question.choices[number - 1].value

        if _NUMBERS_ONLY.match(typed):
            values = [value_of(token) for token in re.split(r"[\s,;\u060c\u061b]+", typed) if token]
            return values[0] if question.type != QuestionType.MULTI and len(values) == 1 else values
        if question.type != QuestionType.MULTI:
            return typed
        try:
            parse_answer(question, typed)
        except AnswerError:  # numbers mixed with words ("1, Amazon"): the numbers become their values
            parts = _SEPARATORS.split(typed)
            return "".join(value_of(part) if part.strip().isdigit() else part for part in parts)
        return typed

    def _clear(self, step: Step) -> None:
        if step.profile is not None:
            self.state.business.pop(step.profile.key, None)
        else:
            self.state.answers.pop(step.key, None)

    def _advance(self, step: Step) -> None:
        self.state.visited.add(step.key)
        index = self._index[step.key]
        if self.state.editing:
            waiting = [
                item
                for item in self.shown_steps()
                if self._index[item.key] > index and item.key not in self.state.visited
            ]
            self._move_to(waiting[0] if waiting else None)
            return
        self._move_to(self._next_shown(index))

    def _next_shown(self, index: int) -> Step | None:
        return next((step for step in self.shown_steps() if self._index[step.key] > index), None)

    def _move_to(self, step: Step | None) -> None:
        if step is None:
            self.state.position = REVIEW
            self.state.editing = False
        else:
            self.state.position = step.key

    def back(self) -> Feedback:
        """Go to the previous shown step (from the review screen: the last one)."""
        shown = self.shown_steps()
        if self.in_review:
            self.state.position = shown[-1].key
            return Feedback(Outcome.BACK)
        index = self._index[self.state.position]
        earlier = [step for step in shown if self._index[step.key] < index]
        if not earlier:
            return Feedback(Outcome.FIRST, message("first_step", self.lang))
        self.state.position = earlier[-1].key
        return Feedback(Outcome.BACK)

    # Review

    def review(self) -> list[ReviewItem]:
        """Every shown step with its answer, numbered for changing."""
        items = []
        for number, step in enumerate(self.shown_steps(), start=1):
            if step.profile is not None:
                text = gettext(step.profile.text, self.lang)
                value = self.state.business.get(step.profile.key)
            else:
                assert step.question is not None
                text = localize(step.question.text, self.lang)
                answer = self.state.answers.get(step.key)
                value = None if answer is None else self.display(step.question, answer)
            items.append(
                ReviewItem(
                    number=number,
                    key=step.key,
                    section_title=self.sections[step.section].title_in(self.lang),
                    text=text,
                    answer=value if value else message("no_answer", self.lang),
                    missing=step.required and not value,
                )
            )
        return items

    def review_hint(self) -> str:
        return message("review_hint", self.lang, count=len(self.shown_steps()))

    def submit_review(self, raw: str) -> Feedback:
        """On the review screen: a number changes that answer, Enter finishes, ``b`` goes back."""
        typed = raw.strip().casefold()
        if typed in BACK_COMMANDS:
            return self.back()
        if typed in FINISH_COMMANDS:
            missing = self.missing()
            if missing:
                self.state.position = missing[0].key
                self.state.editing = True
                return Feedback(Outcome.INCOMPLETE, message("missing", self.lang))
            return Feedback(Outcome.FINISH)
        shown = self.shown_steps()
        if typed.isdigit() and 1 <= int(typed) <= len(shown):
            self.change(shown[int(typed) - 1].key)
            return Feedback(Outcome.CHANGE)
        return Feedback(Outcome.INVALID, self.review_hint())

    def jump(self, key: str) -> Feedback:
        """On the review screen, change the answer of a shown step named by its key (a form's button).

        Safer than a number for a page that may be out of date: a key names one question for good.
        """
        if not self.in_review or key not in {step.key for step in self.shown_steps()}:
            return Feedback(Outcome.INVALID, self.review_hint())
        self.change(key)
        return Feedback(Outcome.CHANGE)

    def change(self, key: str) -> None:
        """Ask one step again; then any newly shown, unasked steps; then the review screen."""
        self.state.position = key
        self.state.editing = True

    # The result

    @property
    def business_name(self) -> str:
        return self.state.business.get("name", "")

    def response(self, *, on: str, by: str = "self") -> Response:
        """The finished response (contract of response files); answers of shown questions only."""
        business = Business.model_validate(self.state.business)
        return Response(
            questionnaire=QuestionnaireRef(id=self.questionnaire.id, version=self.questionnaire.version),
            business=business,
            answers=answers_to_json(self.shown_answers()),
            assessed=Assessed(on=on, by=by),
            tool_version=__version__,
            language=self.lang,
        )


def restore_answers(
    questionnaire: Questionnaire, raw: Mapping[str, object], lang: str = "en"
) -> tuple[dict[str, Answer], list[Notice]]:
    """Raw draft answers, parsed; and a notice for each answer that no longer fits the questionnaire."""
    answers: dict[str, Answer] = {}
    warnings = []
    for question_id, value in raw.items():
        question = questionnaire.question(question_id)
        if question is None:
            text = message("dropped", lang, question=question_id)
            warnings.append(
                Notice("dropped", question_id, text, message("dropped_many", lang, count="{count}", items="{items}"))
            )
            continue
        try:
            answers[question_id] = parse_answer(question, value)
        except AnswerError as exc:
            text = message(
                "asked_again",
                lang,
                question=question_id,
                problem=refusal(exc, lang),
                text=localize(question.text, lang),
            )
            grouped = message("asked_again_many", lang, count="{count}", items="{items}")
            warnings.append(Notice("asked_again", question_id, text, grouped))
    return answers, warnings


def _number_hint(question: Question, lang: str) -> str:
    """What a number question accepts, in one sentence: its unit and its range."""

    def plain(number: float) -> str:
        return str(int(number)) if number.is_integer() else f"{number:g}"

    low = None if question.min is None else plain(question.min)
    high = None if question.max is None else plain(question.max)
    if low is not None and high is not None:
        kind = "number_both"
    else:
        kind = "number_min" if low is not None else "number_max" if high is not None else "number"
    unit = localize(question.unit, lang)
    return message(f"{kind}_unit" if unit else kind, lang, unit=unit, low=low, high=high)


def _sentence(text: str) -> str:
    """``must be at least 0`` to ``Must be at least 0.``: parse errors read as sentences on screen."""
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else f"{text}."


__all__ = [
    "PROFILE_FIELDS",
    "REVIEW",
    "Feedback",
    "Interview",
    "Outcome",
    "Progress",
    "Prompt",
    "ReviewItem",
    "State",
    "Step",
    "restore_answers",
]
