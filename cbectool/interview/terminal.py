"""The terminal front end of ``cbectool assess``: shows the flow's prompts with rich, reads lines.

Input comes through a ``Reader`` (a prompt in, a typed line out) so tests can feed
lines; the real one is ``Console.input``. The draft is saved after every answer,
so Ctrl-C or a closed terminal loses nothing that was answered.
"""

from __future__ import annotations

import importlib
import importlib.util
import shlex
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from rich.console import Console
from rich.text import Text

from cbectool import resources
from cbectool.errors import CbecError, ExitCode
from cbectool.i18n import N_, is_right_to_left, translate
from cbectool.interview.draft import (
    Draft,
    DraftError,
    home,
    latest_draft,
    load_draft,
    questionnaire_source,
    read_draft,
    results_dir,
    save_result,
)
from cbectool.interview.draft import drafts_dir as drafts_folder
from cbectool.interview.flow import Interview, Outcome, Prompt
from cbectool.interview.review_screen import PREVIOUS_COMMANDS, ReviewPages
from cbectool.invocation import command_name
from cbectool.questionnaire import Questionnaire
from cbectool.render.console import print_warnings
from cbectool.render.terminal import print_assessment, score_bar
from cbectool.scoring import Evaluated, evaluate, evaluate_file
from cbectool.text import DEFAULT_LANGUAGE, language_for, localize, require_language

Reader = Callable[[str], str]
"""Shows a prompt and returns the line typed (without the newline); may raise EOFError or KeyboardInterrupt."""

PROGRESS_WIDTH = 20
REVIEW_HINTS = ("review_more", "review_middle", "review_last")

TEXTS: dict[str, str] = {
    "welcome_title": N_("Export readiness check"),
    "welcome": N_(
        "This check shows how ready your business is to sell abroad online.\n"
        "It takes about 15 minutes, in {sections} parts: first {profile} questions about your business,\n"
        "then up to {questions} questions about selling abroad (fewer when some do not apply to you).\n"
        "At the end you get your score, your level and your next steps, and a report you can print.\n"
        "Your answers stay on this computer. Nothing is sent anywhere.\n"
        "Every answer is saved at once. You can stop with Ctrl-C and continue later."
    ),
    "how_to": N_("To answer, type the number of your choice and press Enter. Type ? for help, b to go back."),
    "start": N_("Press Enter to start: "),
    "welcome_back": N_("Welcome back. We continue the check for {name}."),
    "offer": N_("You have an unfinished check for {name} (saved {saved})."),
    "offer_prompt": N_("Continue it? Type y for yes or n for no [y]: "),
    "yes_no": N_("Please type y or n."),
    "section": N_("Part {section} of {sections}: {title}"),
    "position": N_("Question {question} of {questions} in this part."),
    "answered": N_("{done} of {total} questions answered."),
    "now": N_("Your answer now: {answer}"),
    "answer": N_("Your answer: "),
    "help": N_("Why we ask: {text}"),
    "review_title": N_("Check your answers"),
    "review_page": N_("Check your answers (page {page} of {pages})"),
    "review_prompt": N_("Number to change, or Enter to finish: "),
    "review_prompt_more": N_("Number to change, or Enter for more: "),
    "review_more": N_("Type a number from 1 to {count} to change an answer, or press Enter to see more."),
    "review_middle": N_(
        "Type a number from 1 to {count} to change an answer, Enter to see more, or p for the page before."
    ),
    "review_last": N_(
        "Type a number from 1 to {count} to change an answer, p for the page before, or press Enter to finish."
    ),
    "result_title": N_("Your result"),
    "saved_result": N_("Your answers are saved in: {path}"),
    "saved_report": N_("Your report is saved in: {path}"),
    "no_report": N_("The PDF report is not part of this version. Make it later with: {cbectool} report {path}"),
    "report_failed": N_("The PDF report was not made. Try again later with: {cbectool} report {path}"),
    "stopped": N_("Stopped. Your answers are saved in: {path}"),
    "continue_with": N_("To continue, run: {cbectool} assess --resume {path}"),
    "nothing_saved": N_("Stopped. Nothing was saved yet."),
    "not_a_terminal": N_(
        "cannot ask questions: standard input is not a terminal. "
        "Run {cbectool} assess in a terminal, or give a response file: {cbectool} assess --answers FILE"
    ),
    "no_draft": N_("no unfinished check in {folder}; start a new one with: {cbectool} assess"),
    # Shown first, in English and in the language, when that language is written right to left (Urdu)
    "rtl_terminal": N_(
        "Urdu in a terminal: the terminal must join the letters and write them right to left. Many cannot: "
        "in Windows Terminal, the Windows console and xterm the letters stand apart, in the wrong order. "
        "GNOME Terminal (3.34 or newer), Konsole and mlterm show Urdu. If the Urdu below is hard to read, answer "
        "in a web browser instead, on the workshop pages (a trainer starts them with: {cbectool} serve), "
        "or stop with Ctrl-C and start in English: {cbectool} assess --lang en"
    ),
}


def text(key: str, lang: str = "en", **values: object) -> str:
    """A text in ``lang``; ``{cbectool}`` is the command that starts cbectool where the user is."""
    return translate(TEXTS[key], lang, cbectool=command_name(), **values)


@dataclass(frozen=True)
class AssessOptions:
    """What ``cbectool assess`` was asked to do."""

    questionnaire: str | None = None
    out: Path | None = None
    resume: bool = False
    draft: Path | None = None
    answers_file: Path | None = None
    pdf: bool = True
    lang: str | None = None  # --lang; None: a response file's or draft's own language, else English
    strict: bool = False  # with answers_file: refuse answers from an older version that no longer fit


def console_reader(console: Console) -> Reader:
    def read(prompt: str) -> str:
        return console.input(prompt, markup=False)

    return read


def run(options: AssessOptions, console: Console, errors: Console, reader: Reader, *, interactive: bool) -> ExitCode:
    """The whole of ``cbectool assess``; returns the exit code. ``interactive``: stdin is a terminal."""
    if options.answers_file is not None:
        evaluated = evaluate_file(options.answers_file, options.questionnaire, strict=options.strict)
        source = str(options.answers_file)
        lang = language_for(options.lang, evaluated.response.language, evaluated.questionnaire, source)
        print_warnings(evaluated.warnings, errors)
        console.print(evaluated.response.business.name, markup=False)
        response = evaluated.response.model_copy(update={"language": lang})  # the result says what it was made in
        finish(replace(evaluated, response=response), results_dir(home(options.out)), console, options, lang=lang)
        return ExitCode.OK
    if not interactive:
        raise CbecError(text("not_a_terminal", options.lang or DEFAULT_LANGUAGE))
    session = _open_session(options, console, errors, reader)
    if session is None:
        return ExitCode.INTERRUPTED
    interview, draft, base = session
    try:
        ask_all(interview, draft, console, reader)
    except (KeyboardInterrupt, EOFError):
        _print_stopped(console, draft, interview.lang)
        return ExitCode.INTERRUPTED
    response = interview.response(on=date.today().isoformat())
    evaluated = evaluate(response, interview.questionnaire)
    finish(evaluated, results_dir(base), console, options, saved=draft.remove, lang=interview.lang)
    return ExitCode.OK


def _open_session(
    options: AssessOptions, console: Console, errors: Console, reader: Reader
) -> tuple[Interview, Draft, Path] | None:
    """A new interview or a resumed draft, with the folder its result goes to; None if stopped at once."""
    base = home(options.out)
    lang = options.lang or DEFAULT_LANGUAGE  # until a draft says otherwise
    questionnaire = resources.load(options.questionnaire) if options.questionnaire else None
    if questionnaire is not None and options.lang is not None:
        require_language(options.lang, questionnaire)  # before the offer to continue a draft
    path = options.draft
    try:
        if path is None and options.resume:
            path = latest_draft(drafts_folder(base))
            if path is None:
                raise CbecError(text("no_draft", lang, folder=drafts_folder(base)))
        elif path is None:
            path = _offer_latest(drafts_folder(base), questionnaire, console, errors, reader, lang)
        if path is not None:
            interview, draft, warnings = load_draft(path, questionnaire, lang=options.lang)  # else the draft's
            lang = interview.lang
            print_warnings(warnings, errors)
            if options.out is None and path.parent.name == "drafts":
                base = path.parent.parent  # the result goes beside the draft's folder
            _say_which_terminals_show(lang, console)
            console.print(text("welcome_back", lang, name=interview.business_name), markup=False)
            console.print(text("how_to", lang), markup=False)
            return interview, draft, base
        questionnaire = questionnaire or resources.load(None)
        require_language(lang, questionnaire)
        interview = Interview(questionnaire, lang=lang)
        _welcome(interview, console, reader)
    except (KeyboardInterrupt, EOFError):
        console.print()
        console.print(text("nothing_saved", lang), markup=False)
        return None
    return interview, Draft(drafts_folder(base), questionnaire_source(options.questionnaire)), base


def _offer_latest(
    folder: Path, questionnaire: Questionnaire | None, console: Console, errors: Console, reader: Reader, lang: str
) -> Path | None:
    """Offer to continue the latest draft; a broken draft or one for another questionnaire is not offered."""
    latest = latest_draft(folder)
    if latest is None:
        return None
    try:
        _, summary = read_draft(latest)
    except DraftError as error:
        print_warnings([f"{error}; starting a new check"], errors)
        return None
    if questionnaire is not None and summary.questionnaire_id != questionnaire.id:
        return None
    saved = summary.saved[:16].replace("T", " ")
    console.print(text("offer", lang, name=summary.business_name, saved=saved), markup=False)
    while True:
        typed = reader(text("offer_prompt", lang)).strip().casefold()
        if typed in ("", "y", "yes"):
            return latest
        if typed in ("n", "no"):
            return None
        console.print(text("yes_no", lang), markup=False)


def _welcome(interview: Interview, console: Console, reader: Reader) -> None:
    lang = interview.lang
    questionnaire = interview.questionnaire
    _say_which_terminals_show(lang, console)
    console.print(Text(text("welcome_title", lang), "bold"))
    console.print(Text(localize(questionnaire.title, lang), "bold"))
    profile, *parts = interview.sections
    console.print(
        text(
            "welcome",
            lang,
            sections=len(interview.sections),
            profile=len(profile.steps),
            questions=sum(len(part.steps) for part in parts),  # the questionnaire's questions, as in the README
        ),
        markup=False,
    )
    console.print(text("how_to", lang), markup=False)
    reader(text("start", lang))


def _say_which_terminals_show(lang: str, console: Console) -> None:
    """Before the first Urdu line: which terminals show Urdu and where to go otherwise, first in English (which
    every terminal shows), then in the language itself (docs/urdu.md lists the terminals as tried)."""
    if not is_right_to_left(lang):
        return
    console.print(text("rtl_terminal", "en"), markup=False, soft_wrap=False)
    console.print(text("rtl_terminal", lang), markup=False, soft_wrap=False)
    console.print()


def ask_all(interview: Interview, draft: Draft, console: Console, reader: Reader) -> None:
    """Ask until the owner finishes on the review screen; save the draft after every answer."""
    lang = interview.lang
    shown_section: int | None = None
    review: ReviewPages | None = None
    page = 0
    while True:
        if interview.in_review:
            if review is None:
                review, page = review_pages(interview, console), 0
                show_review(interview, review, page, console)
            last = page == len(review) - 1
            typed = reader(text("review_prompt" if last else "review_prompt_more", lang))
            command = typed.strip().casefold()
            if not command and not last:
                page += 1
                show_review(interview, review, page, console)
                continue
            if command in PREVIOUS_COMMANDS and page > 0:
                page -= 1
                show_review(interview, review, page, console)
                continue
            feedback = interview.submit_review(typed)
            if feedback.outcome == Outcome.FINISH:
                return
            if feedback.outcome == Outcome.INVALID:
                console.print(review_hint(interview, review, page), markup=False)
                continue
            if feedback.text:
                console.print(feedback.text, markup=False)
            review = None
            shown_section = None
            draft.save(interview)
            continue
        prompt = interview.prompt()
        if prompt.progress.section != shown_section:
            shown_section = prompt.progress.section
            show_section(prompt, console, lang)
        show_prompt(prompt, console, lang)
        feedback = interview.submit(reader(text("answer", lang)))
        if feedback.outcome == Outcome.HELP:
            console.print(text("help", lang, text=feedback.text), markup=False)
        elif feedback.outcome in (Outcome.INVALID, Outcome.FIRST):
            console.print(feedback.text, markup=False)
        else:
            draft.save(interview)


def show_section(prompt: Prompt, console: Console, lang: str) -> None:
    progress = prompt.progress
    console.print()
    console.rule(
        text("section", lang, section=progress.section, sections=progress.sections, title=progress.section_title),
        style="bold",
    )
    if prompt.section_description:
        console.print(prompt.section_description, markup=False)


def show_prompt(prompt: Prompt, console: Console, lang: str) -> None:
    progress = prompt.progress
    console.print()
    position = text("position", lang, question=progress.question, questions=progress.questions)
    if prompt.kind != "profile":  # the count is of the questionnaire's questions, as in the welcome
        position = f"{position} {text('answered', lang, done=progress.done, total=progress.total)}"
    console.print(f"{score_bar(100 * progress.fraction, PROGRESS_WIDTH)}  {position}", markup=False)
    console.print(Text(prompt.text, "bold"))
    for choice in prompt.choices:
        console.print(f"  {choice.number}. {choice.label}", markup=False)
    if prompt.current is not None:
        console.print(text("now", lang, answer=prompt.current), markup=False)
    console.print(Text(prompt.hint, "dim"))


def review_pages(interview: Interview, console: Console) -> ReviewPages:
    """The review cut into pages that fit the console's height (with room for the longest hint)."""
    count = len(interview.shown_steps())
    hints = [interview.review_hint(), *(text(key, interview.lang, count=count) for key in REVIEW_HINTS)]
    return ReviewPages(interview, console, hints)


def review_hint(interview: Interview, review: ReviewPages, page: int) -> str:
    """What can be typed on this page: Enter shows the next page, and finishes only on the last."""
    if len(review) == 1:
        return interview.review_hint()
    key = "review_more" if page == 0 else "review_last" if page == len(review) - 1 else "review_middle"
    return text(key, interview.lang, count=review.count)


def show_review(interview: Interview, review: ReviewPages, page: int, console: Console) -> None:
    lang = interview.lang
    console.print()
    pages = len(review)
    title = text("review_title", lang) if pages == 1 else text("review_page", lang, page=page + 1, pages=pages)
    console.rule(title, style="bold")
    console.print(review.page(page))
    console.print(review_hint(interview, review, page), markup=False)


def finish(
    evaluated: Evaluated,
    folder: Path,
    console: Console,
    options: AssessOptions,
    *,
    saved: Callable[[], None] | None = None,
    lang: str = DEFAULT_LANGUAGE,
) -> Path:
    """Save the result JSON, print the summary, make the PDF report (when the report feature is installed),
    all in ``lang``.

    ``saved`` runs as soon as the result is on disk (the draft is removed then, before the slow PDF).
    """
    result = save_result(evaluated, folder)
    if saved is not None:
        saved()
    console.print()
    console.rule(text("result_title", lang), style="bold")
    print_assessment(console, evaluated.questionnaire, evaluated.assessment, top=5, lang=lang)
    console.print()
    console.print(text("saved_result", lang, path=result), markup=False, soft_wrap=True)
    if options.pdf:
        write_pdf(evaluated, result, console, lang)
    return result


def write_pdf(evaluated: Evaluated, result: Path, console: Console, lang: str) -> Path | None:
    """The PDF beside the result JSON; if the report feature is missing, say how to make it later."""
    if importlib.util.find_spec("cbectool.report") is None:
        console.print(text("no_report", lang, path=_quoted(result)), markup=False, soft_wrap=True)
        return None
    report = importlib.import_module("cbectool.report")  # heavy (WeasyPrint): only when a PDF is wanted
    try:
        pdf: Path = report.write_report(evaluated, result.with_suffix(".pdf"), lang=lang, private=True)
    except CbecError:
        console.print(text("report_failed", lang, path=_quoted(result)), markup=False, soft_wrap=True)
        raise
    console.print(text("saved_report", lang, path=pdf), markup=False, soft_wrap=True)
    return pdf


def _print_stopped(console: Console, draft: Draft, lang: str) -> None:
    console.print()
    if draft.path is None:
        console.print(text("nothing_saved", lang), markup=False)
        return
    console.print(text("stopped", lang, path=draft.path), markup=False, soft_wrap=True)
    console.print(text("continue_with", lang, path=_quoted(draft.path)), markup=False, soft_wrap=True)


def _quoted(path: Path) -> str:
    """A path as a shell word: a business name may hold spaces, ``&`` or ``'``."""
    return shlex.quote(str(path))
