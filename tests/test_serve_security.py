"""Workshop mode on a shared network: every protection in docs/workshop.md's threat model, tried for real."""

from __future__ import annotations

import hashlib
import http.client
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from serve_support import ANSWERS, PROFILE, Client, Reply, Running, running

from cbectool.web import security
from cbectool.web.participants import RECORDS_DIR, SESSION_DIR

POST_ROUTES = [
    "/start",
    "/resume",
    "/check",
    "/check/change",
    "/check/finish",
    "/language",
    "/new",
    "/trainer/login",
    "/trainer/outputs",
    "/trainer/close",
]


@pytest.fixture(scope="module")
def one_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    """One server for the tests that only ask it something with a new visitor each time (a server takes uvicorn
    about 0.2 s to stop)."""
    with running(tmp_path_factory.mktemp("shared") / "cohort") as server:
        yield server


def everything_on_disk(cohort: Path) -> dict[str, bytes]:
    return {str(path.relative_to(cohort)): path.read_bytes() for path in sorted(cohort.rglob("*")) if path.is_file()}


def test_tokens_are_unguessable_hashed_on_disk_and_never_in_a_page_or_address(tmp_path: Path) -> None:
    cohort = tmp_path / "cohort"
    with running(cohort) as server:
        one, two = server.client(), server.client()
        pages = [one.start(), *(one.answer(value) for value in PROFILE), two.start()]
        tokens = [one.cookies["cbp"], two.cookies["cbp"]]
        for token in tokens:
            assert re.fullmatch(r"[A-Za-z0-9_-]{43}", token)  # 256 random bits
        assert tokens[0] != tokens[1]
        records = [json.loads(path.read_text()) for path in (cohort / SESSION_DIR / RECORDS_DIR).glob("*.json")]
        assert sorted(hash for record in records for hash in record["tokens_sha256"]) == sorted(
            hashlib.sha256(token.encode()).hexdigest() for token in tokens
        )
        for token in tokens:
            assert not any(token.encode() in content for content in everything_on_disk(cohort).values())
            assert not any(token in page.text or token in page.path for page in pages)


def test_a_cookie_is_http_only_and_same_site_strict(tmp_path: Path) -> None:
    with running(tmp_path / "cohort") as server:
        phone = server.client()
        phone.get("/")
        connection = http.client.HTTPConnection("127.0.0.1", int(server.url.rsplit(":", 1)[1]))
        connection.request(
            "POST",
            "/start",
            body=f"csrf={phone.csrf()}",
            headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"cbv={phone.cookies['cbv']}"},
        )
        cookies = connection.getresponse().headers.get_all("Set-Cookie") or []
        connection.close()
        participant = next(cookie for cookie in cookies if cookie.startswith("cbp="))
        assert "HttpOnly" in participant
        assert "SameSite=strict" in participant or "SameSite=Strict" in participant


def test_one_participant_can_never_read_or_change_anothers_answers_or_report(tmp_path: Path) -> None:
    cohort = tmp_path / "cohort"
    with running(cohort) as server:
        ali, bilal = server.client(), server.client()
        ali.start()
        ali.answer_all([*PROFILE, *ANSWERS])
        ali.finish()
        bilal.start()
        bilal.answer_all(["Bilal Leather", "Lahore", "", "", "", ["payoneer"]])
        ali_id, bilal_id = (participant.id for participant in server.workshop.store.everyone())
        before = everything_on_disk(cohort)

        # Bilal tries every address that could lead to Ali's answers or report.
        attempts = [
            bilal.get(f"/trainer/report/{ali_id}"),
            bilal.get(f"/trainer/report/{ali_id}.pdf"),
            bilal.get("/trainer/table"),
            bilal.get("/trainer/outputs/Ali-Sports-Works.json"),
            bilal.get("/trainer/outputs/..%2FAli-Sports-Works.pdf"),
            bilal.get("/report.pdf"),
            bilal.get("/result"),
            bilal.get(f"/check?participant={ali_id}"),
            bilal.get("/static/..%2F..%2FAli-Sports-Works.json"),
            bilal.get("/Ali-Sports-Works.pdf"),
        ]
        for reply in attempts:
            assert "Ali Sports Works" not in reply.text, reply.path
            assert not reply.body.startswith(b"%PDF"), reply.path
            assert reply.status in (200, 403, 404), (reply.path, reply.status)

        # Ali's record on disk names a hash, not a token: it opens nothing.
        record = json.loads((cohort / SESSION_DIR / RECORDS_DIR / f"{ali_id}.json").read_text())
        thief = Client(server.url, cookies={"cbp": record["tokens_sha256"][0]})
        assert "Continue where you stopped" not in thief.get("/").text
        assert thief.get("/result").path == "/"
        forged = Client(server.url, cookies={"cbp": security.new_token()})
        assert forged.get("/check").path == "/"

        # Bilal's own answers go only to Bilal's draft, whatever step he names.
        page = bilal.get("/check")
        bilal.post("/check", {"csrf": page.field("csrf"), "step": "plat_contact_name", "answer": "Mallory"})
        bilal.post("/check/change", {"csrf": page.field("csrf"), "key": "business.name"})
        bilal.post("/check/finish", {"csrf": page.field("csrf")})
        after = everything_on_disk(cohort)
        changed = {name for name in after if before.get(name) != after[name]}
        assert changed <= {"drafts/Bilal-Leather.json"}, changed
        ali_result = json.loads((cohort / "Ali-Sports-Works.json").read_text())
        assert ali_result["answers"]["plat_contact_name"] == "Ayesha"
        assert bilal_id not in ali.get("/result").text


@pytest.mark.parametrize("route", POST_ROUTES)
def test_every_state_changing_request_needs_the_csrf_token_of_its_own_visitor(tmp_path: Path, route: str) -> None:
    cohort = tmp_path / "cohort"
    with running(cohort, pin="123456") as server:
        owner, other, trainer = server.client(), server.client(), server.client()
        owner.start()
        owner.answer_all(PROFILE)
        trainer.trainer_login("123456")
        other.get("/")
        form = {"step": "pay_receive_channel", "answer": "none", "key": "business.name", "lang": "ur"}
        form |= {"code": "12345678", "pin": "123456", "kind": "scores", "next": "/", "confirm": "yes"}
        before = everything_on_disk(cohort)
        for client in (owner, trainer):
            refused = [
                client.post(route, form),
                client.post(route, {**form, "csrf": "0" * 32}),
                client.post(route, {**form, "csrf": other.csrf()}),  # another visitor's token
                client.post(route, {**form, "csrf": client.csrf()}, headers={"Origin": "http://evil.example"}),
            ]
            for reply in refused:
                assert reply.status in (400, 403), (route, reply.status)
                assert "This page has expired" in reply.text
        assert everything_on_disk(cohort) == before
        assert not server.workshop.closed
        assert len(server.workshop.store.everyone()) == 1
        assert server.workshop.store.everyone()[0].lang == "en"


def test_a_form_sent_as_anything_but_a_form_is_refused(tmp_path: Path) -> None:
    with running(tmp_path / "cohort") as server:
        phone = server.client()
        phone.get("/")
        body = json.dumps({"csrf": phone.csrf()}).encode()
        reply = phone.request("POST", "/start", body=body, headers={"Content-Type": "application/json"})
        assert reply.status == 400
        assert server.workshop.store.everyone() == []


def test_the_trainers_pages_need_the_pin_and_each_pin_works_once(tmp_path: Path) -> None:
    with running(tmp_path / "cohort", pin="123456") as server:
        owner = server.client()
        owner.start()
        owner.answer_all([*PROFILE, *ANSWERS])
        owner.finish()
        participant = server.workshop.store.everyone()[0]
        stranger = server.client()
        assert 'name="pin"' in stranger.get("/trainer").text
        assert "Ali Sports Works" not in stranger.get("/trainer").text
        for path in ("/trainer/table", f"/trainer/report/{participant.id}", "/trainer/outputs/scores.csv"):
            reply = stranger.get(path)
            assert reply.status == 403, path
            assert "Ali Sports Works" not in reply.text
        stranger.post("/trainer/close", {"csrf": stranger.csrf(), "confirm": "yes"})
        assert not server.workshop.closed

        wrong = stranger.trainer_login("654321")
        assert wrong.status == 403
        assert "Wrong PIN" in wrong.text
        trainer = server.client()
        assert trainer.trainer_login("123456").path == "/trainer"
        assert "Ali Sports Works" in trainer.get("/trainer/table").text
        assert any(line.startswith("New trainer PIN: ") for line in server.said)  # the used PIN was replaced
        second = server.client()
        assert second.trainer_login("123456").status == 403
        assert second.trainer_login(server.workshop.pin.pin).path == "/trainer"


def test_pin_tries_are_limited_per_address_and_in_all() -> None:
    announced: list[tuple[str, str]] = []
    pin = security.TrainerPin(lambda new, reason: announced.append((new, reason)), "111111")
    for _ in range(security.TrainerPin.MAX_FAILURES - 1):
        assert not pin.check("000000")
    assert pin.pin == "111111"
    assert not pin.check("000000")
    assert announced and announced[0][1] == "10 wrong tries"
    assert pin.pin != "111111"
    assert not pin.check("111111")  # retired
    assert pin.check(announced[-1][0])


def test_an_address_that_guesses_the_pin_five_times_is_refused_for_a_while(tmp_path: Path) -> None:
    with running(tmp_path / "cohort", pin="123456") as server:
        guesser = server.client()
        for guess in range(5):
            assert guesser.trainer_login(f"00000{guess}").status == 403
        blocked = guesser.trainer_login("123456")
        assert blocked.status == 429
        assert "Too many wrong tries" in blocked.text
        assert server.workshop.trainer_sessions == set()


def test_short_code_guesses_are_limited(tmp_path: Path) -> None:
    with running(tmp_path / "cohort") as server:
        owner = server.client()
        owner.start()
        code = server.workshop.store.everyone()[0].code
        guesser = server.client()
        guesser.get("/")
        for guess in range(10):
            reply = guesser.post("/resume", {"csrf": guesser.csrf(), "code": f"{guess:08d}"})
            assert reply.status == 403
            assert "This code is not known" in reply.text
        blocked = guesser.post("/resume", {"csrf": guesser.csrf(), "code": code})
        assert blocked.status == 429
        assert "cbp" not in guesser.cookies
        assert security.CODE_DIGITS == 8


def test_body_size_field_length_and_field_count_are_limited(tmp_path: Path) -> None:
    cohort = tmp_path / "cohort"
    with running(cohort) as server:
        phone = server.client()
        phone.start()
        page = phone.get("/check")
        base = {"csrf": page.field("csrf"), "step": page.field("step"), "action": "next"}
        before = everything_on_disk(cohort)
        too_big = phone.post("/check", {**base, "answer": "x" * (security.MAX_BODY_BYTES + 1)})
        assert too_big.status == 413
        chunked = phone.request(
            "POST",
            "/check",
            body=_chunked(b"answer=" + b"x" * (security.MAX_BODY_BYTES + 1)),
            headers={"Transfer-Encoding": "chunked", "Content-Type": "application/x-www-form-urlencoded"},
        )
        assert chunked.status == 413
        long_field = phone.post("/check", {**base, "answer": "x" * 2001})
        assert long_field.status == 413
        assert "What you sent is too long." in long_field.text
        many = phone.post("/check", [*base.items(), *(("answer", str(n)) for n in range(70))])
        assert many.status == 413
        assert everything_on_disk(cohort) == before
        name = phone.post("/check", {**base, "answer": "x" * 201})  # a business name: at most 200 characters
        assert name.status == 422
        assert "Please write a shorter answer: at most 200 characters." in name.text


def _chunked(body: bytes) -> bytes:
    pieces = [body[start : start + 4096] for start in range(0, len(body), 4096)]
    return b"".join(b"%x\r\n%s\r\n" % (len(piece), piece) for piece in pieces) + b"0\r\n\r\n"


def test_the_number_of_checks_is_limited_in_all_and_per_address(tmp_path: Path) -> None:
    with running(tmp_path / "cohort", max_participants=3, max_per_address=2) as server:
        first, second, third = server.client(), server.client(), server.client()
        assert first.start().path == "/check"
        assert second.start().path == "/check"
        refused = third.start()
        assert refused.status == 429
        assert "No more checks can be started here." in refused.text
        assert len(server.workshop.store.everyone()) == 2
    with running(tmp_path / "other", max_participants=2) as server:
        assert server.client().start().path == "/check"
        assert server.client().start().path == "/check"
        assert server.client().start().status == 429


def _assert_secured(reply: Reply) -> None:
    policy = reply.header("Content-Security-Policy")
    assert "default-src 'none'" in policy
    for directive in ("script-src 'self'", "style-src 'self'", "font-src 'self'", "img-src 'self'"):
        assert directive in policy
    assert "frame-ancestors 'none'" in policy and "form-action 'self'" in policy
    assert "unsafe-inline" not in policy and "http" not in policy
    assert reply.header("X-Content-Type-Options") == "nosniff"
    assert reply.header("Referrer-Policy") == "no-referrer"


def test_every_response_carries_the_security_headers(tmp_path: Path) -> None:
    with running(tmp_path / "cohort") as server:
        phone = server.client()
        replies = [
            phone.get("/"),
            phone.get("/static/app.css"),
            phone.get("/static/app.js"),
            phone.get("/static/fonts.css"),
            phone.get("/nowhere"),
            phone.request("POST", "/start", follow=False, form={"csrf": phone.csrf()}),
            phone.get("/check"),
            phone.request("POST", "/check", body=b"x" * 20_000, headers={"Content-Type": "text/plain"}),
            phone.get("/", headers={"Host": "evil.example"}),
        ]
        assert [reply.status for reply in replies[-4:]] == [303, 200, 413, 400]
        for reply in replies:
            _assert_secured(reply)


def test_pages_have_no_inline_script_or_style_the_policy_would_block(tmp_path: Path) -> None:
    with running(tmp_path / "cohort", pin="123456") as server:
        phone = server.client()
        pages = [phone.get("/"), phone.start(), phone.answer_all(PROFILE)]
        trainer = server.client()
        pages.append(trainer.trainer_login("123456"))
        for page in pages:
            assert not re.search(r"<script(?![^>]*\bsrc=)", page.text), page.path
            assert "<style" not in page.text and " style=" not in page.text, page.path
            assert not re.search(r"\son[a-z]+=", page.text), page.path


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "attacker.localhost.evil", ""])
def test_only_addresses_and_this_computers_names_are_served(one_server: Running, host: str) -> None:
    """DNS rebinding: a page elsewhere that points its own name at the laptop gets nothing."""
    reply = one_server.client().get("/", headers={"Host": host})
    assert reply.status == 400
    assert "Export readiness check" not in reply.text


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.1:8000", "localhost:8000", "192.168.1.20:8000", "[::1]:80"])
def test_addresses_and_localhost_are_served(one_server: Running, host: str) -> None:
    assert one_server.client().get("/", headers={"Host": host}).status == 200


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:x"])
def test_the_language_switch_returns_only_to_this_server(one_server: Running, target: str) -> None:
    phone = one_server.client()
    phone.get("/")
    reply = phone.request("POST", "/language", {"csrf": phone.csrf(), "lang": "ur", "next": target}, follow=False)
    assert reply.status == 303
    assert reply.header("Location") == "/"


def test_codes_and_pins_read_urdu_digits_and_ignore_spaces() -> None:
    assert security.digits_of("۱۲۳۴ ۵۶۷۸") == "12345678"
    assert security.digits_of("1234-5678") == "12345678"
    assert security.show_code("12345678") == "1234 5678"
    codes = {security.new_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(re.fullmatch(r"\d{8}", code) for code in codes)
