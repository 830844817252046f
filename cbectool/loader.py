"""Read questionnaire YAML into models, and report any problem as ``file:line: path: message``.

YAML is parsed once into a node tree that remembers line numbers; pydantic's
error locations and our whole-document checks are both translated back to a
line through that tree.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from cbectool.conditions import Condition
from cbectool.errors import QuestionnaireError
from cbectool.questionnaire import CHOICE_TYPES, Questionnaire, QuestionType

Location = tuple[str | int, ...]


def load_questionnaire(
    path: Path, *, display_name: str | None = None, warnings: list[str] | None = None
) -> Questionnaire:
    """Load and fully check one questionnaire file; raise ``QuestionnaireError`` on the first problem.

    ``warnings``, when given, receives ``file:line: path: message`` for what is allowed but should be mended
    (``advise_questionnaire``)."""
    source = display_name or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise QuestionnaireError(source, "no such file") from None
    except UnicodeDecodeError:
        raise QuestionnaireError(source, "is not UTF-8 text; save it as UTF-8") from None
    except OSError as exc:
        raise QuestionnaireError(source, f"cannot be read ({exc.strerror})") from None
    return parse_questionnaire(text, source, warnings)


def parse_questionnaire(text: str, source: str, warnings: list[str] | None = None) -> Questionnaire:
    """Parse YAML text (``source`` names it in errors) into a checked questionnaire."""
    root = _compose(text, source)
    data = _construct(root, source)
    if not isinstance(data, dict):
        raise QuestionnaireError(source, "must be a YAML mapping (id:, version:, dimensions: ...)", line=1)
    try:
        questionnaire = Questionnaire.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        # A misspelt key also makes the real key "missing"; the spelling is the cause to show.
        error = next((item for item in errors if item["type"] == "extra_forbidden"), errors[0])
        location = document_location(error["loc"])
        raise QuestionnaireError(
            source, plain_message(error), line=_line_of(root, location), path=format_location(location)
        ) from None
    for location, message in check_questionnaire(questionnaire):
        raise QuestionnaireError(source, message, line=_line_of(root, location), path=format_location(location))
    if warnings is not None:
        warnings += [
            f"{source}:{_line_of(root, location)}: {format_location(location)}: {message}"
            for location, message in advise_questionnaire(questionnaire)
        ]
    return questionnaire


def advise_questionnaire(questionnaire: Questionnaire) -> Iterator[tuple[Location, str]]:
    """What is allowed but should be mended before owners read it: advice with no dated source."""
    for a, action in enumerate(questionnaire.actions):
        if not action.sources:
            yield (
                ("actions", a),
                f"action '{action.id}' has no dated source; add 'sources:' (title, url, date) so a trainer can "
                "check the advice",
            )


_TYPE_TAGS = frozenset({"str", "int", "float", "bool", "dict", "list", "tuple", "none"})


def document_location(location: tuple[str | int, ...]) -> Location:
    """Drop the union-member tags pydantic adds (``str``, ``dict[str,str]``...) so paths match the file."""
    return tuple(
        part for part in location if not (isinstance(part, str) and (part in _TYPE_TAGS or "[" in part or "(" in part))
    )


def format_location(location: Location) -> str:
    """``('dimensions', 2, 'questions')`` -> ``dimensions[2].questions``."""
    text = ""
    for part in location:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def check_questionnaire(questionnaire: Questionnaire) -> Iterator[tuple[Location, str]]:
    """Whole-document checks: unique ids, resolved references, bands and points that make sense."""
    yield from _check_unique_ids(questionnaire)
    yield from _check_levels(questionnaire)
    yield from _check_questions(questionnaire)
    yield from _check_gates(questionnaire)
    yield from _check_actions(questionnaire)


def _check_unique_ids(questionnaire: Questionnaire) -> Iterator[tuple[Location, str]]:
    seen: set[str] = set()
    for d, dimension in enumerate(questionnaire.dimensions):
        if dimension.id in seen:
            yield ("dimensions", d, "id"), f"'{dimension.id}' is used twice"
        seen.add(dimension.id)
    seen_questions: set[str] = set()
    for d, dimension in enumerate(questionnaire.dimensions):
        for q, question in enumerate(dimension.questions):
            if question.id in seen_questions:
                yield ("dimensions", d, "questions", q, "id"), f"question id '{question.id}' is used twice"
            seen_questions.add(question.id)
            values = Counter(choice.value for choice in question.choices)
            for c, choice in enumerate(question.choices):
                if values[choice.value] > 1:
                    yield ("dimensions", d, "questions", q, "choices", c, "value"), f"'{choice.value}' is used twice"
                    break
    for name in ("levels", "gates", "actions"):
        counts = Counter(item.id for item in getattr(questionnaire, name))
        for index, item in enumerate(getattr(questionnaire, name)):
            if counts[item.id] > 1:
                yield (name, index, "id"), f"'{item.id}' is used twice"
                break


def _check_levels(questionnaire: Questionnaire) -> Iterator[tuple[Location, str]]:
    levels = questionnaire.levels
    if levels[0].min_score != 0:
        yield ("levels", 0, "min_score"), "the first (lowest) level must start at 0"
    for index in range(1, len(levels)):
        if levels[index].min_score <= levels[index - 1].min_score:
            yield ("levels", index, "min_score"), "levels go from lowest to highest: each min_score must be larger"


def _check_questions(questionnaire: Questionnaire) -> Iterator[tuple[Location, str]]:
    asked_before: set[str] = set()
    for d, dimension in enumerate(questionnaire.dimensions):
        if not any(question.scored for question in dimension.questions):
            yield ("dimensions", d, "questions"), "has no scored question, so it cannot have a score"
        for q, question in enumerate(dimension.questions):
            here: Location = ("dimensions", d, "questions", q)
            if question.show_if is not None:
                yield from _check_condition(
                    questionnaire, question.show_if, (*here, "show_if"), allowed=asked_before, role="asked before it"
                )
            if question.type == QuestionType.NUMBER:
                steps = [step.at_least for step in question.scoring]
                if steps != sorted(set(steps)):
                    yield (*here, "scoring"), "thresholds must go up: each at_least larger than the one before"
            if (
                question.type in CHOICE_TYPES
                and question.possible_points == 0
                and any(choice.points for choice in question.choices)
            ):
                yield (*here, "choices"), "only 'not applicable' choices earn points"
            asked_before.add(question.id)


def _check_gates(questionnaire: Questionnaire) -> Iterator[tuple[Location, str]]:
    level_ids = [level.id for level in questionnaire.levels]
    action_ids = {action.id for action in questionnaire.actions}
    for g, gate in enumerate(questionnaire.gates):
        yield from _check_condition(questionnaire, gate.when, ("gates", g, "when"))
        if gate.cap_level not in level_ids:
            yield ("gates", g, "cap_level"), f"'{gate.cap_level}' is not a level (levels: {', '.join(level_ids)})"
        elif gate.cap_level == level_ids[-1]:
            yield ("gates", g, "cap_level"), "capping at the top level has no effect; name a lower level"
        for a, action_id in enumerate(gate.actions):
            if action_id not in action_ids:
                yield ("gates", g, "actions", a), f"'{action_id}' is not an action"


def _check_actions(questionnaire: Questionnaire) -> Iterator[tuple[Location, str]]:
    dimension_ids = [dimension.id for dimension in questionnaire.dimensions]
    gated = {action_id for gate in questionnaire.gates for action_id in gate.actions}
    for a, action in enumerate(questionnaire.actions):
        if action.dimension not in dimension_ids:
            yield ("actions", a, "dimension"), f"'{action.dimension}' is not a dimension ({', '.join(dimension_ids)})"
        if action.when is None and action.id not in gated:
            yield ("actions", a, "when"), "is required unless a gate lists this action"
        if action.when is not None:
            yield from _check_condition(questionnaire, action.when, ("actions", a, "when"))
    yield from _check_prerequisites(questionnaire)


def _check_prerequisites(questionnaire: Questionnaire) -> Iterator[tuple[Location, str]]:
    """``after`` names other actions, and following it never leads back to where it started."""
    prerequisites = {action.id: action.after for action in questionnaire.actions}
    for a, action in enumerate(questionnaire.actions):
        for p, before in enumerate(action.after):
            if before == action.id:
                yield ("actions", a, "after", p), "an action cannot come after itself"
            elif before not in prerequisites:
                yield ("actions", a, "after", p), f"'{before}' is not an action"
        loop = _loop_through(action.id, prerequisites)
        if loop:
            yield ("actions", a, "after"), f"'after' goes round in a circle: {' -> '.join(loop)}"


def _loop_through(start: str, prerequisites: dict[str, tuple[str, ...]]) -> list[str]:
    """A chain of ``after`` links from ``start`` back to itself, or [] when there is none."""
    path = [start]
    seen: set[str] = set()

    def walk(current: str) -> bool:
        for before in prerequisites.get(current, ()):
            if before == start and len(path) > 1:
                path.append(before)
                return True
            if before in seen or before == current or before not in prerequisites:
                continue
            seen.add(before)
            path.append(before)
            if walk(before):
                return True
            path.pop()
        return False

    return path if walk(start) else []


def _check_condition(
    questionnaire: Questionnaire,
    condition: Condition,
    location: Location,
    *,
    allowed: set[str] | None = None,
    role: str = "",
) -> Iterator[tuple[Location, str]]:
    for inner_path, leaf in condition.leaves():
        where = (*location, *_split_path(inner_path))
        assert leaf.question is not None
        question = questionnaire.question(leaf.question)
        if question is None:
            yield (*where, "question"), f"'{leaf.question}' is not a question"
            continue
        if allowed is not None and leaf.question not in allowed:
            yield (*where, "question"), f"'{leaf.question}' must be {role}"
            continue
        test = leaf.test
        if test == "answered":
            continue
        if test in ("at_least", "below"):
            if question.type != QuestionType.NUMBER:
                yield (*where, test), f"'{test}' compares numbers, but '{question.id}' is a {question.type} question"
            continue
        if question.type not in CHOICE_TYPES:
            yield (*where, test), f"'{test}' compares choices, but '{question.id}' is a {question.type} question"
            continue
        values = leaf.one_of if leaf.one_of is not None else (getattr(leaf, test),)
        for value in values:
            if question.choice(value) is None:
                accepted = ", ".join(choice.value for choice in question.choices)
                yield (*where, test), f"'{value}' is not a choice of '{question.id}' (choices: {accepted})"


def _split_path(inner: str) -> Location:
    """``.all[0].not`` -> ``('all', 0, 'not')``."""
    parts: list[str | int] = []
    for token in inner.replace("[", ".").replace("]", "").split("."):
        if token:
            parts.append(int(token) if token.isdigit() else token)
    return tuple(parts)


_MESSAGES = {
    "missing": "is required",
    "extra_forbidden": "is not a known field (check the spelling)",
    "float_parsing": "must be a number",
    "float_type": "must be a number",
    "int_parsing": "must be a whole number",
    "bool_parsing": "must be true or false",
    "bool_type": "must be true or false",
    "string_type": "must be text",
    "dict_type": "must be a mapping (key: value)",
    "model_type": "must be a mapping (key: value)",
    "tuple_type": "must be a list",
    "list_type": "must be a list",
}


def plain_message(error: Any) -> str:
    """A short English message for one pydantic error."""
    kind = error["type"]
    if kind in _MESSAGES:
        return str(_MESSAGES[kind])
    if kind == "string_pattern_mismatch":
        return f"{error['input']!r} does not have the expected form ({error['ctx']['pattern']})"
    if kind in ("enum", "literal_error"):
        return f"must be one of {error['ctx']['expected']}"
    message = str(error["msg"])
    return message.removeprefix("Value error, ")


# libyaml's parser is ten times faster (about 0.15 s less for the bundled questionnaire on every
# command); the pure-Python one reads a broken file again, so error messages stay the same.
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def yaml_problem(error: yaml.YAMLError, text: str) -> tuple[str, int | None]:
    """A YAML error as one line of plain words, and its line in ``text`` when known (PyYAML's own message
    spans lines: 'in "<unicode string>", position 193')."""
    if isinstance(error, yaml.MarkedYAMLError):
        mark = error.problem_mark or error.context_mark
        return str(error.problem or error.context or "cannot be read"), mark.line + 1 if mark is not None else None
    if isinstance(error, yaml.reader.ReaderError):
        character = error.character if isinstance(error.character, str) else chr(error.character)
        line = text.count("\n", 0, error.position) + 1
        return f"holds a character YAML does not allow ({character!r}, {error.reason})", line
    return " ".join(str(error).split()), None


def _compose(text: str, source: str) -> yaml.Node:
    try:
        try:
            node = yaml.compose(text, Loader=_FAST_LOADER)
        except yaml.YAMLError:
            node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        problem, line = yaml_problem(exc, text)
        raise QuestionnaireError(source, f"is not valid YAML: {problem}", line=line) from None
    except RecursionError:
        raise QuestionnaireError(source, f"is not valid YAML: {TOO_DEEP}") from None
    if node is None:
        raise QuestionnaireError(source, "is empty")
    _reject_duplicate_keys(node, source)
    return node


TOO_DEEP = "lists or mappings nested too deeply"
MAX_VALUES = 1_000_000
"""Values a questionnaire may expand to through YAML aliases (the bundled one has a few thousand): a file of
nested aliases (a "billion laughs") is refused at once instead of being expanded."""


def _construct(node: yaml.Node, source: str) -> Any:
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_document(node)
    except yaml.YAMLError as exc:
        problem, line = yaml_problem(exc, "")
        raise QuestionnaireError(
            source, f"is not valid YAML: {problem}", line=line or node.start_mark.line + 1
        ) from None
    except RecursionError:
        raise QuestionnaireError(source, f"is not valid YAML: {TOO_DEEP}") from None


def _reject_duplicate_keys(root: yaml.Node, source: str) -> None:
    """Each mapping's keys once; and no more than ``MAX_VALUES`` values once aliases are expanded (a node that
    aliases repeat is checked once)."""
    try:
        _check_node(root, source, {})
    except RecursionError:
        raise QuestionnaireError(source, f"is not valid YAML: {TOO_DEEP}") from None


def _check_node(node: yaml.Node, source: str, sizes: dict[int, int]) -> int:
    """The values ``node`` expands to; ``sizes`` remembers the nodes already checked."""
    if isinstance(node, yaml.ScalarNode):
        return 1
    known = sizes.get(id(node))
    if known is not None:
        return known
    size = 1
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                if key.value in seen:
                    raise QuestionnaireError(
                        source, f"'{key.value}' appears twice in the same mapping", line=key.start_mark.line + 1
                    )
                seen.add(key.value)
            size += 1 if isinstance(value, yaml.ScalarNode) else _check_node(value, source, sizes)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            size += 1 if isinstance(item, yaml.ScalarNode) else _check_node(item, source, sizes)
    if size > MAX_VALUES:
        raise QuestionnaireError(
            source,
            f"expands to more than {MAX_VALUES:,} values through YAML aliases (&name, *name)",
            line=node.start_mark.line + 1,
        )
    sizes[id(node)] = size
    return size


def _line_of(root: yaml.Node, location: Location) -> int:
    """The 1-based line of the deepest node that ``location`` reaches."""
    node = root
    for part in location:
        child = _child(node, part)
        if child is None:
            break
        node = child
    return node.start_mark.line + 1


def _child(node: yaml.Node, part: str | int) -> yaml.Node | None:
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
        child: yaml.Node = node.value[part]
        return child
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == str(part):
                found: yaml.Node = value
                return found
    return None
