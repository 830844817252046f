"""Every fixed text of the workshop pages, in one catalogue: English and Urdu.

Texts use the questionnaire's format (``{en: ..., ur: ...}``, English the fallback) and
``cbectool.text.localize``, so a later gettext/Babel catalogue can take them over as they
are: one key, one sentence, ``{placeholders}`` for what changes. Templates never hold text.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from cbectool.text import localize

LANGUAGES = ("en", "ur")
RIGHT_TO_LEFT = frozenset({"ur"})
LANGUAGE_NAMES = {"en": "English", "ur": "اردو"}

LocalText = dict[str, str]

MESSAGES: dict[str, LocalText] = {
    # Every page
    "app_title": {"en": "Export readiness check", "ur": "برآمد کی تیاری کا جائزہ"},
    "switch_language": {"en": "Change the language", "ur": "زبان بدلیں"},
    "your_code": {"en": "Your code", "ur": "آپ کا کوڈ"},
    "code_hint": {
        "en": "To continue on another phone, open this page there and type this code.",
        "ur": "کسی اور فون پر جاری رکھنے کے لیے وہاں یہ صفحہ کھولیں اور یہ کوڈ لکھیں۔",
    },
    "saved_note": {
        "en": "Every answer is saved on the trainer's laptop as soon as you press Next.",
        "ur": "ہر جواب 'آگے' دباتے ہی ٹرینر کے لیپ ٹاپ پر محفوظ ہو جاتا ہے۔",
    },
    # Welcome
    "welcome_intro": {
        "en": (
            "How ready is your business to sell abroad online? Answer about 15 minutes of questions. "
            "At the end you see your level and your first steps, and you can download your report."
        ),
        "ur": (
            "آپ کا کاروبار آن لائن بیرونِ ملک فروخت کے لیے کتنا تیار ہے؟ تقریباً 15 منٹ کے سوالات کے جواب دیں۔ "
            "آخر میں آپ اپنا درجہ اور پہلے اقدامات دیکھیں گے، اور اپنی رپورٹ ڈاؤن لوڈ کر سکیں گے۔"
        ),
    },
    "privacy": {
        "en": "Your answers are saved only on the trainer's laptop in this room. Nothing goes to the internet.",
        "ur": "آپ کے جوابات صرف اس کمرے میں ٹرینر کے لیپ ٹاپ پر محفوظ ہوتے ہیں۔ کچھ بھی انٹرنیٹ پر نہیں جاتا۔",
    },
    "start": {"en": "Start", "ur": "شروع کریں"},
    "continue_where": {"en": "Continue where you stopped", "ur": "جہاں رکے تھے وہیں سے جاری رکھیں"},
    "resume_title": {"en": "Started on another phone?", "ur": "کسی اور فون پر شروع کیا تھا؟"},
    "resume_label": {"en": "Type your 8-digit code", "ur": "اپنا 8 ہندسوں کا کوڈ لکھیں"},
    "resume_button": {"en": "Continue", "ur": "جاری رکھیں"},
    "resume_wrong": {
        "en": "This code is not known. Check the 8 digits and try again.",
        "ur": "یہ کوڈ نہیں ملا۔ آٹھ ہندسے دوبارہ دیکھ کر کوشش کریں۔",
    },
    "too_many_tries": {
        "en": "Too many wrong tries. Wait a few minutes, or ask the trainer.",
        "ur": "بہت زیادہ غلط کوششیں ہو گئیں۔ چند منٹ انتظار کریں، یا ٹرینر سے پوچھیں۔",
    },
    # A question
    "part": {"en": "Part {section} of {sections}: {title}", "ur": "{sections} میں سے حصہ {section}: {title}"},
    "question_of": {"en": "Question {question} of {questions}", "ur": "{questions} میں سے سوال {question}"},
    "answered_of": {"en": "{done} of {total} answered", "ur": "{total} میں سے {done} کے جواب ہو گئے"},
    "why": {"en": "Why we ask this", "ur": "یہ سوال کیوں؟"},
    "next": {"en": "Next", "ur": "آگے"},
    "back": {"en": "Back", "ur": "پیچھے"},
    "choose_one": {"en": "Choose one.", "ur": "ایک جواب چنیں۔"},
    "choose_all": {"en": "Choose all that apply.", "ur": "جتنے جواب درست ہوں، سب چنیں۔"},
    "may_skip": {"en": "You may leave this empty.", "ur": "آپ اسے خالی چھوڑ سکتے ہیں۔"},
    "number_any": {"en": "Write a number.", "ur": "کوئی عدد لکھیں۔"},
    "number_both": {"en": "Write a number from {low} to {high}.", "ur": "{low} سے {high} تک کوئی عدد لکھیں۔"},
    "number_min": {"en": "Write a number: {low} or more.", "ur": "کوئی عدد لکھیں: {low} یا اس سے زیادہ۔"},
    "number_max": {"en": "Write a number up to {high}.", "ur": "{high} تک کوئی عدد لکھیں۔"},
    "unit": {"en": "Unit: {unit}", "ur": "اکائی: {unit}"},
    # Invalid answers
    "needs_answer": {"en": "Please answer this question.", "ur": "براہِ کرم اس سوال کا جواب دیں۔"},
    "invalid_choice": {
        "en": "Please choose one of the answers shown.",
        "ur": "براہِ کرم دکھائے گئے جوابات میں سے چنیں۔",
    },
    "invalid_exclusive": {
        "en": "“{label}” cannot be chosen together with other answers.",
        "ur": "“{label}” کے ساتھ کوئی اور جواب نہیں چنا جا سکتا۔",
    },
    "invalid_long": {
        "en": "Please write a shorter answer: at most {limit} characters.",
        "ur": "براہِ کرم مختصر جواب لکھیں: زیادہ سے زیادہ {limit} حروف۔",
    },
    "stale": {
        "en": "That page was out of date, so nothing was changed. This is where you are now.",
        "ur": "وہ صفحہ پرانا تھا، اس لیے کچھ نہیں بدلا۔ آپ اب یہاں ہیں۔",
    },
    "first_question": {
        "en": "This is the first question; there is nothing before it.",
        "ur": "یہ پہلا سوال ہے؛ اس سے پہلے کچھ نہیں۔",
    },
    # Review
    "review_title": {"en": "Check your answers", "ur": "اپنے جوابات دیکھ لیں"},
    "review_intro": {
        "en": "Change any answer you like, then finish to see your result.",
        "ur": "جو جواب بدلنا چاہیں بدل لیں، پھر نتیجہ دیکھنے کے لیے مکمل کریں۔",
    },
    "change": {"en": "Change", "ur": "بدلیں"},
    "no_answer": {"en": "(no answer)", "ur": "(کوئی جواب نہیں)"},
    "needs_mark": {"en": "Needs an answer", "ur": "جواب ضروری ہے"},
    "finish": {"en": "Finish and see my result", "ur": "مکمل کریں اور نتیجہ دیکھیں"},
    "incomplete": {
        "en": "Some questions still need an answer. This is the first one.",
        "ur": "کچھ سوالوں کا جواب ابھی باقی ہے۔ ان میں سے پہلا یہ ہے۔",
    },
    # Result
    "result_title": {"en": "Your result", "ur": "آپ کا نتیجہ"},
    "your_level": {"en": "Your level", "ur": "آپ کا درجہ"},
    "score": {"en": "Score: {score} out of 100", "ur": "اسکور: 100 میں سے {score}"},
    "held_back": {"en": "What holds you back", "ur": "آپ کو کیا چیز روک رہی ہے"},
    "area_score": {"en": "{title}: {score} out of 100", "ur": "{title}: 100 میں سے {score}"},
    "first_steps": {"en": "Your first steps", "ur": "آپ کے پہلے اقدامات"},
    "where": {"en": "Where: {where}", "ur": "کہاں: {where}"},
    "report_ready": {"en": "Download your report (PDF)", "ur": "اپنی رپورٹ ڈاؤن لوڈ کریں (PDF)"},
    "report_making": {
        "en": "Your report is being made. This page looks again every few seconds.",
        "ur": "آپ کی رپورٹ بن رہی ہے۔ یہ صفحہ ہر چند سیکنڈ بعد دوبارہ دیکھتا ہے۔",
    },
    "report_failed": {
        "en": "Your report could not be made. Please ask the trainer.",
        "ur": "آپ کی رپورٹ نہیں بن سکی۔ براہِ کرم ٹرینر سے پوچھیں۔",
    },
    "look_again": {"en": "Look again", "ur": "دوبارہ دیکھیں"},
    "new_check": {"en": "Start a check for another business", "ur": "کسی اور کاروبار کا جائزہ شروع کریں"},
    "new_check_note": {
        "en": "Write down your code first if you want to come back to this result.",
        "ur": "اگر اس نتیجے پر واپس آنا ہو تو پہلے اپنا کوڈ لکھ لیں۔",
    },
    # Problems
    "closed": {
        "en": "This workshop session is closed. Answers already sent are saved.",
        "ur": "ورکشاپ کا یہ سیشن بند ہو چکا ہے۔ بھیجے گئے جوابات محفوظ ہیں۔",
    },
    "full": {
        "en": "No more checks can be started here. Please ask the trainer.",
        "ur": "یہاں مزید جائزے شروع نہیں ہو سکتے۔ براہِ کرم ٹرینر سے پوچھیں۔",
    },
    "expired": {
        "en": "This page has expired. Please open it again and try once more. (Your browser must allow cookies.)",
        "ur": (
            "یہ صفحہ پرانا ہو گیا ہے۔ براہِ کرم اسے دوبارہ کھول کر پھر کوشش کریں۔ "
            "(براؤزر میں کوکیز کی اجازت ہونی چاہیے۔)"
        ),
    },
    "not_found": {"en": "There is no such page.", "ur": "ایسا کوئی صفحہ نہیں۔"},
    "too_large": {"en": "What you sent is too long.", "ur": "آپ کا بھیجا ہوا مواد بہت لمبا ہے۔"},
    "no_check": {
        "en": "There is no check on this phone yet.",
        "ur": "اس فون پر ابھی کوئی جائزہ نہیں۔",
    },
    "go_start": {"en": "Go to the start page", "ur": "شروع کے صفحے پر جائیں"},
    "busy": {"en": "The laptop is busy. Please try again.", "ur": "لیپ ٹاپ مصروف ہے۔ براہِ کرم دوبارہ کوشش کریں۔"},
    # The trainer's pages
    "trainer_title": {"en": "Trainer: workshop session", "ur": "ٹرینر: ورکشاپ سیشن"},
    "pin_label": {"en": "PIN (shown in the laptop's terminal)", "ur": "PIN (لیپ ٹاپ کے ٹرمینل پر لکھا ہے)"},
    "pin_button": {"en": "Open", "ur": "کھولیں"},
    "pin_wrong": {
        "en": "Wrong PIN. Look at the laptop's terminal for the current one.",
        "ur": "غلط PIN۔ موجودہ PIN لیپ ٹاپ کے ٹرمینل پر دیکھیں۔",
    },
    "participants": {"en": "Participants: {count}", "ur": "شرکاء: {count}"},
    "finished_count": {"en": "finished: {count}", "ur": "مکمل: {count}"},
    "col_business": {"en": "Business", "ur": "کاروبار"},
    "col_progress": {"en": "Progress", "ur": "پیش رفت"},
    "col_level": {"en": "Level", "ur": "درجہ"},
    "col_code": {"en": "Code", "ur": "کوڈ"},
    "col_report": {"en": "Report", "ur": "رپورٹ"},
    "unnamed": {"en": "(no name yet)", "ur": "(ابھی نام نہیں)"},
    "status_answering": {"en": "{done} of {total}", "ur": "{total} میں سے {done}"},
    "status_making": {"en": "being made", "ur": "بن رہی ہے"},
    "status_failed": {"en": "failed", "ur": "نہیں بنی"},
    "open_report": {"en": "PDF", "ur": "PDF"},
    "outputs_title": {"en": "The cohort's outputs", "ur": "گروپ کی دستاویزات"},
    "outputs_intro": {
        "en": "Made from the finished answers, with the same code as cbectool batch. They are saved in {folder}.",
        "ur": "مکمل جوابات سے، cbectool batch والے کوڈ سے بنتی ہیں۔ یہ {folder} میں محفوظ ہوتی ہیں۔",
    },
    "make_scores": {
        "en": "Make scores (CSV and Excel) and the cohort summary",
        "ur": "اسکور (CSV اور Excel) اور گروپ کا خلاصہ بنائیں",
    },
    "make_pack": {
        "en": "Make the workshop pack (every report, ready to print)",
        "ur": "ورکشاپ پیک بنائیں (تمام رپورٹیں، پرنٹ کے لیے تیار)",
    },
    "outputs_running": {
        "en": "Making the outputs; this page shows them when they are ready.",
        "ur": "دستاویزات بن رہی ہیں؛ تیار ہونے پر اس صفحے پر نظر آئیں گی۔",
    },
    "outputs_failed": {"en": "The outputs could not be made: {reason}", "ur": "دستاویزات نہیں بن سکیں: {reason}"},
    "outputs_none": {
        "en": "Nobody has finished yet, so there is nothing to make.",
        "ur": "ابھی کسی نے جائزہ مکمل نہیں کیا، اس لیے کچھ بنانے کو نہیں۔",
    },
    "outputs_made": {"en": "Made at {time}:", "ur": "{time} پر بنیں:"},
    "close_title": {"en": "Close the session", "ur": "سیشن بند کریں"},
    "close_intro": {
        "en": "After closing, nobody can start or answer; finished owners can still download their reports.",
        "ur": (
            "بند کرنے کے بعد کوئی نیا جائزہ شروع یا جواب نہیں دے سکتا؛ "
            "جنہوں نے مکمل کر لیا وہ رپورٹ ڈاؤن لوڈ کر سکتے ہیں۔"
        ),
    },
    "close_button": {"en": "Close the session now", "ur": "سیشن ابھی بند کریں"},
    "close_confirm": {"en": "Yes, close it", "ur": "جی ہاں، بند کر دیں"},
    "closed_trainer": {
        "en": "The session is closed. Stop the server with Ctrl-C in the terminal once everyone has their report.",
        "ur": "سیشن بند ہے۔ سب کو رپورٹ مل جائے تو ٹرمینل میں Ctrl-C سے سرور بند کریں۔",
    },
    "refresh": {"en": "Refresh", "ur": "تازہ کریں"},
    "join_at": {"en": "Participants join at {address}", "ur": "شرکاء اس پتے پر شامل ہوں: {address}"},
}


def text(key: str, lang: str = "en", **values: object) -> str:
    """The message ``key`` in ``lang`` (English when it has no such translation), placeholders filled."""
    return localize(MESSAGES[key], lang).format(**values)


def isolated(key: str, lang: str = "en", **values: object) -> Markup:
    """The message as HTML, each value in a ``<bdi>``: an English title inside an Urdu sentence
    (or the other way round) keeps its own order instead of scrambling the sentence around it."""
    return Markup(escape(localize(MESSAGES[key], lang))).format(
        **{name: Markup("<bdi>%s</bdi>") % value for name, value in values.items()}
    )


def known_language(lang: str | None) -> str:
    """``lang`` if the pages speak it, else English."""
    return lang if lang in LANGUAGES else "en"


def direction(lang: str) -> str:
    return "rtl" if lang in RIGHT_TO_LEFT else "ltr"


def preferred_language(accept_language: str) -> str:
    """The first of the pages' languages in an ``Accept-Language`` header (a phone set to Urdu gets Urdu)."""
    for part in accept_language.split(","):
        code = part.split(";")[0].strip().lower().split("-")[0]
        if code in LANGUAGES:
            return code
    return "en"
