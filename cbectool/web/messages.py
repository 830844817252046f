"""Every fixed text of the workshop pages, by key: English messages of the interface's catalogue.

The pages share the report's text and language machinery (``cbectool.i18n``): each message is
translated by the same gettext catalogue (``cbectool/locale/ur/LC_MESSAGES/cbectool.po``), and
the pages speak the languages that have one. One key, one sentence, ``{placeholders}`` for what
changes. Templates never hold text.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from cbectool import i18n
from cbectool.i18n import N_

LANGUAGES = i18n.interface_languages()
LANGUAGE_NAMES = {"en": "English", "ur": "اردو"}

MESSAGES: dict[str, str] = {
    # Every page
    "app_title": N_("Export readiness check"),
    "switch_language": N_("Change the language"),
    "your_code": N_("Your code"),
    "code_hint": N_("To continue on another phone, open this page there and type this code."),
    "saved_note": N_("Every answer is saved on the trainer's laptop as soon as you press Next."),
    # Welcome
    "welcome_intro": N_(
        "How ready is your business to sell abroad online? Answer about 15 minutes of questions. "
        "At the end you see your level and your first steps, and you can download your report."
    ),
    "privacy": N_("Your answers are saved only on the trainer's laptop in this room. Nothing goes to the internet."),
    "start": N_("Start"),
    "continue_where": N_("Continue where you stopped"),
    "resume_title": N_("Started on another phone?"),
    "resume_label": N_("Type your 8-digit code"),
    "resume_button": N_("Continue"),
    "resume_wrong": N_("This code is not known. Check the 8 digits and try again."),
    "too_many_tries": N_("Too many wrong tries. Wait a few minutes, or ask the trainer."),
    # A question
    "part": N_("Part {section} of {sections}: {title}"),
    "question_of": N_("Question {question} of {questions}"),
    "answered_of": N_("{done} of {total} answered"),
    "why": N_("Why we ask this"),
    "next": N_("Next"),
    "back": N_("Back"),
    "choose_one": N_("Choose one."),
    "choose_all": N_("Choose all that apply."),
    "may_skip": N_("You may leave this empty."),
    "number_any": N_("Write a number."),
    "number_both": N_("Write a number from {low} to {high}."),
    "number_min": N_("Write a number: {low} or more."),
    "number_max": N_("Write a number up to {high}."),
    "unit": N_("Unit: {unit}"),
    # Invalid answers
    "needs_answer": N_("Please answer this question."),
    "invalid_choice": N_("Please choose one of the answers shown."),
    "invalid_exclusive": N_("“{label}” cannot be chosen together with other answers."),
    "invalid_long": N_("Please write a shorter answer: at most {limit} characters."),
    "stale": N_("That page was out of date, so nothing was changed. This is where you are now."),
    "first_question": N_("This is the first question; there is nothing before it."),
    # Review
    "review_title": N_("Check your answers"),
    "review_intro": N_("Change any answer you like, then finish to see your result."),
    "change": N_("Change"),
    "no_answer": N_("(no answer)"),
    "needs_mark": N_("Needs an answer"),
    "finish": N_("Finish and see my result"),
    "incomplete": N_("Some questions still need an answer. This is the first one."),
    # Result
    "result_title": N_("Your result"),
    "your_level": N_("Your level"),
    "score": N_("Score: {score} out of 100"),
    "held_back": N_("What holds you back"),
    "area_score": N_("{title}: {score} out of 100"),
    "first_steps": N_("Your first steps"),
    "where": N_("Where: {where}"),
    "report_ready": N_("Download your report (PDF)"),
    "report_making": N_("Your report is being made. This page looks again every few seconds."),
    "report_failed": N_("Your report could not be made. Please ask the trainer."),
    "look_again": N_("Look again"),
    "new_check": N_("Start a check for another business"),
    "new_check_note": N_("Write down your code first if you want to come back to this result."),
    # Problems
    "closed": N_("This workshop session is closed. Answers already sent are saved."),
    "full": N_("No more checks can be started here. Please ask the trainer."),
    "expired": N_("This page has expired. Please open it again and try once more. (Your browser must allow cookies.)"),
    "not_found": N_("There is no such page."),
    "too_large": N_("What you sent is too long."),
    "no_check": N_("There is no check on this phone yet."),
    "go_start": N_("Go to the start page"),
    "busy": N_("The laptop is busy. Please try again."),
    # The trainer's pages
    "trainer_title": N_("Trainer: workshop session"),
    "pin_label": N_("PIN (shown in the laptop's terminal)"),
    "pin_button": N_("Open"),
    "pin_wrong": N_("Wrong PIN. Look at the laptop's terminal for the current one."),
    "participants": N_("Participants: {count}"),
    "finished_count": N_("finished: {count}"),
    "col_business": N_("Business"),
    "col_progress": N_("Progress"),
    "col_level": N_("Level"),
    "col_code": N_("Code"),
    "col_report": N_("Report"),
    "unnamed": N_("(no name yet)"),
    "status_answering": N_("{done} of {total}"),
    "status_making": N_("being made"),
    "status_failed": N_("failed"),
    "open_report": N_("PDF"),
    "outputs_title": N_("The cohort's outputs"),
    "outputs_intro": N_(
        "Made from the finished answers, with the same code as cbectool batch. They are saved in {folder}."
    ),
    "make_scores": N_("Make scores (CSV and Excel) and the cohort summary"),
    "make_pack": N_("Make the workshop pack (every report, ready to print)"),
    "outputs_running": N_("Making the outputs; this page shows them when they are ready."),
    "outputs_failed": N_("The outputs could not be made: {reason}"),
    "outputs_none": N_("Nobody has finished yet, so there is nothing to make."),
    "outputs_made": N_("Made at {time}:"),
    "close_title": N_("Close the session"),
    "close_intro": N_("After closing, nobody can start or answer; finished owners can still download their reports."),
    "close_button": N_("Close the session now"),
    "close_confirm": N_("Yes, close it"),
    "closed_trainer": N_(
        "The session is closed. Stop the server with Ctrl-C in the terminal once everyone has their report."
    ),
    "refresh": N_("Refresh"),
    "join_at": N_("Participants join at {address}"),
}


def text(key: str, lang: str = "en", **values: object) -> str:
    """The message ``key`` in ``lang`` (English when it has no such translation), placeholders filled."""
    return i18n.translate(MESSAGES[key], lang, **values)


def isolated(key: str, lang: str = "en", **values: object) -> Markup:
    """The message as HTML, each value in a ``<bdi>``: an English title inside an Urdu sentence
    (or the other way round) keeps its own order instead of scrambling the sentence around it."""
    return Markup(escape(i18n.gettext(MESSAGES[key], lang))).format(
        **{name: Markup("<bdi>%s</bdi>") % value for name, value in values.items()}
    )


def known_language(lang: str | None) -> str:
    """``lang`` if the pages speak it, else English."""
    return lang if lang in LANGUAGES else "en"


def direction(lang: str) -> str:
    return i18n.direction(lang)


def preferred_language(accept_language: str) -> str:
    """The first of the pages' languages in an ``Accept-Language`` header (a phone set to Urdu gets Urdu)."""
    for part in accept_language.split(","):
        code = part.split(";")[0].strip().lower().split("-")[0]
        if code in LANGUAGES:
            return code
    return "en"
