"""The participant store: files in the cohort folder, and what a restart makes of any moment a crash can leave."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from serve_support import ANSWERS, PROFILE, STARTER

from cbectool.interview.flow import Outcome
from cbectool.web import participants as store_module
from cbectool.web.participants import Participant, ParticipantStore, SessionFull


def opened(cohort: Path, **limits: int) -> ParticipantStore:
    store = ParticipantStore(cohort, str(STARTER), **limits)
    assert store.open() == []
    return store


def answer(store: ParticipantStore, participant: Participant, values: list[str | list[str]]) -> None:
    for value in values:
        assert store.act(participant, lambda interview, value=value: interview.answer(value)).outcome == (
            Outcome.ANSWERED
        )


def reopened(cohort: Path) -> tuple[ParticipantStore, Participant, list[str]]:
    store = ParticipantStore(cohort, str(STARTER))
    warnings = store.open()
    (participant,) = store.everyone()
    return store, participant, warnings


def in_review(cohort: Path) -> tuple[ParticipantStore, Participant]:
    store = opened(cohort)
    participant, _ = store.create("10.0.0.5", "en")
    answer(store, participant, [*PROFILE, *ANSWERS])
    return store, participant


def test_a_crash_after_the_record_but_before_the_result_leaves_the_check_to_finish(tmp_path: Path) -> None:
    store, participant = in_review(tmp_path)
    original = store_module.write_text_atomic
    calls = []

    def crash_on_the_result(path: Path, text: str, *, private: bool = False) -> None:
        calls.append(path)
        if path.parent == tmp_path:  # the response file itself
            raise KeyboardInterrupt("killed")
        original(path, text, private=private)

    store_module.write_text_atomic = crash_on_the_result  # type: ignore[assignment]
    try:
        with pytest.raises(KeyboardInterrupt):
            store.finish(participant)
    finally:
        store_module.write_text_atomic = original
    assert not (tmp_path / "Ali-Sports-Works.json").exists()
    _, again, warnings = reopened(tmp_path)
    assert warnings == []
    assert not again.finished
    assert again.draft == "Ali-Sports-Works.json"
    store, participant, _ = reopened(tmp_path)
    assert store.read(participant, lambda interview: interview.in_review)
    assert store.finish(participant).outcome == Outcome.FINISH
    assert (tmp_path / "Ali-Sports-Works.json").is_file()


def test_a_crash_after_the_result_but_before_the_draft_went_removes_the_draft_at_the_restart(tmp_path: Path) -> None:
    store, participant = in_review(tmp_path)
    draft = tmp_path / "drafts" / "Ali-Sports-Works.json"
    kept = draft.read_bytes()
    assert store.finish(participant).outcome == Outcome.FINISH
    draft.write_bytes(kept)  # as if killed between writing the result and removing the draft
    _, again, _ = reopened(tmp_path)
    assert again.finished
    assert again.result == "Ali-Sports-Works.json"
    assert again.level == "Ready to start"
    assert not draft.exists()


def test_a_draft_name_chosen_but_never_written_starts_the_check_again(tmp_path: Path) -> None:
    store = opened(tmp_path)
    participant, _ = store.create("10.0.0.5", "en")
    record = tmp_path / ".cbectool-serve" / "participants" / f"{participant.id}.json"
    data = json.loads(record.read_text())
    data["draft"] = "Never-Written.json"
    record.write_text(json.dumps(data))
    store, again, warnings = reopened(tmp_path)
    assert warnings == []
    assert again.draft is None
    assert store.read(again, lambda interview: interview.state.position) == "business.name"


def test_an_unreadable_record_is_left_out_with_a_warning(tmp_path: Path) -> None:
    store = opened(tmp_path)
    store.create("10.0.0.5", "en")
    broken = tmp_path / ".cbectool-serve" / "participants" / "0123456789abcdef.json"
    broken.write_text("{not json")
    again = ParticipantStore(tmp_path, str(STARTER))
    warnings = again.open()
    assert len(warnings) == 1 and warnings[0].startswith(f"{broken}: not a participant record")
    assert len(again.everyone()) == 1


def test_the_same_business_name_at_the_same_moment_gets_two_files(tmp_path: Path) -> None:
    store = opened(tmp_path)
    owners = [store.create(f"10.0.0.{number}", "en")[0] for number in range(6)]
    barrier = threading.Barrier(len(owners))

    def go(participant: Participant) -> None:
        barrier.wait()
        answer(store, participant, [*PROFILE, *ANSWERS])
        store.finish(participant)

    threads = [threading.Thread(target=go, args=(participant,)) for participant in owners]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results = {participant.result or "" for participant in owners}
    assert results == {"Ali-Sports-Works.json", *(f"Ali-Sports-Works-{n}.json" for n in range(2, 7))}
    assert all((tmp_path / name).is_file() for name in results)


def test_interviews_in_memory_are_bounded_and_the_rest_continue_from_their_drafts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_module, "INTERVIEWS_IN_MEMORY", 4)
    store = opened(tmp_path)
    owners = [store.create(f"10.0.1.{number}", "en")[0] for number in range(10)]
    for number, participant in enumerate(owners):
        answer(store, participant, [f"Business {number}", *PROFILE[1:], ANSWERS[0]])
    assert len(store._interviews) == 4
    for participant in owners:
        answer(store, participant, [ANSWERS[1]])
        assert store.read(participant, lambda interview: interview.state.position) == "pay_refunds"
    assert len(store._interviews) == 4


def test_limits_on_checks_in_all_and_per_address(tmp_path: Path) -> None:
    store = opened(tmp_path, max_participants=3, max_per_address=2)
    store.create("10.0.0.1", "en")
    store.create("10.0.0.1", "en")
    with pytest.raises(SessionFull, match=r"10\.0\.0\.1 has started as many checks as one device may"):
        store.create("10.0.0.1", "en")
    store.create("10.0.0.2", "en")
    with pytest.raises(SessionFull, match="as many participants as it takes"):
        store.create("10.0.0.3", "en")


def test_a_new_device_gets_a_token_of_its_own_and_old_ones_expire(tmp_path: Path) -> None:
    store = opened(tmp_path)
    participant, first = store.create("10.0.0.1", "en")
    tokens = [first]
    for _ in range(store_module.TOKENS_PER_PARTICIPANT + 2):
        token = f"token-{len(tokens)}"
        store.add_token(participant, token)
        tokens.append(token)
    assert store.by_token(tokens[-1]) is participant
    assert store.by_token(first) is None  # only the last ten devices keep it open
    assert len(participant.token_hashes) == store_module.TOKENS_PER_PARTICIPANT
    _, again, _ = reopened(tmp_path)
    assert again.token_hashes == participant.token_hashes
