"""Two edits of the same value never lose either (issue 14, "Live together").

Two people (two open cases on the same case folder) see the same value; one changes it, then the
other's edit, which says what it saw, is refused with the value now recorded and who recorded it.
Nothing is lost: the first edit stays, the second can be applied knowingly, both are on the custody
log, and the chain stays valid. Every test runs on SQLite and on PostgreSQL (``any_case``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from reviewer.core.domain.errors import ConflictError, ReviewerError
from reviewer.core.domain.values import AnnotationKind, CheckState, Rect, VerificationStatus
from reviewer.core.services import documents, fixity, queries
from reviewer.core.services.case import open_case
from reviewer.core.services.importing import import_paths
from tests import filemaker

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from reviewer.core.services.case import Case


@pytest.fixture
def two(any_case: Case, inbox: Path) -> Iterator[tuple[Case, Case, int]]:
    """Alice (the fixture's case) and Bob (the same case opened again), and one document."""
    filemaker.make_text_pdf(inbox / "note.pdf", pages=1)
    [doc] = import_paths(any_case, [inbox]).imported
    bob = open_case(any_case.root, actor="bob")
    try:
        yield any_case, bob, doc.id
    finally:
        bob.close()


def _actions(case: Case, doc: int) -> list[str]:
    return [e.action for e in queries.document_detail(case, doc).custody]


def test_second_field_edit_is_refused_with_the_current_value(two: tuple[Case, Case, int]) -> None:
    alice, bob, doc = two
    seen = queries.document_detail(bob, doc).fields.get("issuer")  # both see no issuer
    documents.set_metadata(alice, doc, {"issuer": "МИД"}, seen={"issuer": seen})
    with pytest.raises(ConflictError) as refused:
        documents.set_metadata(bob, doc, {"issuer": "Посольство"}, seen={"issuer": seen})
    err = refused.value
    assert isinstance(err, ReviewerError)
    assert err.current == "МИД"
    assert err.actor == alice.actor
    assert err.at is not None
    message = str(err)
    assert "\n" not in message
    assert "issuer" in message
    assert "'МИД'" in message
    assert alice.actor in message
    # nothing lost: alice's value stands, bob's refusal wrote nothing
    assert queries.document_detail(alice, doc).fields["issuer"] == "МИД"
    assert _actions(alice, doc).count("metadata_changed") == 1
    # bob applies his anyway, knowingly: both values are on the log
    documents.set_metadata(bob, doc, {"issuer": "Посольство"}, seen={"issuer": str(err.current)})
    detail = queries.document_detail(alice, doc)
    assert detail.fields["issuer"] == "Посольство"
    changes = [e for e in detail.custody if e.action == "metadata_changed"]
    assert [e.after for e in changes] == [{"issuer": "МИД"}, {"issuer": "Посольство"}] or [
        e.after for e in reversed(changes)
    ] == [{"issuer": "МИД"}, {"issuer": "Посольство"}]
    assert fixity.verify_case(alice).ok


def test_free_fields_and_unseen_fields(two: tuple[Case, Case, int]) -> None:
    alice, bob, doc = two
    documents.set_metadata(alice, doc, {"vessel": "Ocean"}, seen={"vessel": None})
    with pytest.raises(ConflictError, match="vessel"):
        documents.set_metadata(bob, doc, {"vessel": "Sea"}, seen={"vessel": ""})
    # an edit of another field is not refused for this one; an edit without ``seen`` writes as before
    documents.set_metadata(bob, doc, {"title": "Note"}, seen={"title": None})
    documents.set_metadata(bob, doc, {"vessel": "Sea"})
    assert queries.document_detail(alice, doc).free_fields["vessel"] == "Sea"
    assert fixity.verify_case(alice).ok


def test_status_decided_twice(two: tuple[Case, Case, int]) -> None:
    alice, bob, doc = two
    seen = ("unverified", None)
    documents.set_status(alice, doc, VerificationStatus.DISPUTED, "stamp differs", seen=seen)
    with pytest.raises(ConflictError) as refused:
        documents.set_status(bob, doc, VerificationStatus.VERIFIED, "matches the register", seen=seen)
    assert refused.value.current == {"status": "disputed", "note": "stamp differs"}
    assert "disputed" in str(refused.value)
    assert "stamp differs" in str(refused.value)
    assert queries.document_detail(bob, doc).summary.status is VerificationStatus.DISPUTED
    # seen what is recorded now: accepted
    documents.set_status(bob, doc, VerificationStatus.VERIFIED, "matches", seen=("disputed", "stamp differs"))
    assert _actions(alice, doc).count("status_changed") == 2
    assert fixity.verify_case(alice).ok


def test_checklist_item_twice(two: tuple[Case, Case, int]) -> None:
    alice, bob, doc = two
    documents.set_check(alice, doc, "stamp", CheckState.DOUBTFUL, "blurred", seen=("unchecked", None))
    with pytest.raises(ConflictError, match="stamp"):
        documents.set_check(bob, doc, "stamp", CheckState.CONSISTENT, None, seen=("unchecked", None))
    assert queries.document_detail(bob, doc).checklist["stamp"].note == "blurred"
    assert fixity.verify_case(alice).ok


def test_annotation_note_twice(two: tuple[Case, Case, int]) -> None:
    alice, bob, doc = two
    made = documents.add_annotation(alice, doc, page=1, rect=Rect(10, 10, 90, 40), kind=AnnotationKind.NOTE)
    documents.update_annotation(alice, made.id, note="signature of the consul", seen={"note": None})
    with pytest.raises(ConflictError) as refused:
        documents.update_annotation(bob, made.id, note="a stamp", seen={"note": ""})
    assert refused.value.current == "signature of the consul"
    assert refused.value.actor == alice.actor
    [kept] = queries.document_detail(bob, doc).annotations
    assert kept.note == "signature of the consul"
    # tags: the order seen does not matter, only what they are
    documents.update_annotation(alice, made.id, tags=["b", "a"], seen={"tags": []})
    documents.update_annotation(bob, made.id, tags=["c"], seen={"tags": ["b", "a"]})
    with pytest.raises(ConflictError):
        documents.update_annotation(alice, made.id, tags=["d"], seen={"tags": ["a", "b"]})
    assert fixity.verify_case(alice).ok


def test_a_tag_added_or_removed_meanwhile_refuses_the_whole_change(two: tuple[Case, Case, int]) -> None:
    alice, bob, doc = two
    second = import_paths(alice, [filemaker.make_text_pdf(alice.root.parent / "other.pdf", title="Another")])
    other = second.imported[0].id
    seen: dict[int, list[str]] = {doc: [], other: []}  # both see no tags
    documents.tag_documents(alice, [doc], ["forged"], seen=seen)
    with pytest.raises(ConflictError) as refused:
        documents.tag_documents(bob, [other, doc], ["forged", "stamp"], seen=seen)
    err = refused.value
    assert err.current == {"document": doc, "tags": ["forged"]}
    assert err.actor == alice.actor
    assert "tag forged" in str(err)
    assert "\n" not in str(err)
    assert queries.document_detail(bob, other).summary.tags == ()  # all or none: the other is untouched
    # another tag added meanwhile is no conflict for this one
    documents.tag_documents(bob, [doc], ["stamp"], seen={doc: []})
    # a tag removed meanwhile: removing it again, having seen it, is refused too
    documents.tag_documents(alice, [doc], ["stamp"], remove=True, seen={doc: ["forged", "stamp"]})
    with pytest.raises(ConflictError, match="stamp"):
        documents.tag_documents(bob, [doc], ["stamp"], remove=True, seen={doc: ["forged", "stamp"]})
    assert _actions(alice, doc).count("tag_removed") == 1
    assert fixity.verify_case(alice).ok


def test_statuses_of_several_documents_are_decided_all_or_none(two: tuple[Case, Case, int]) -> None:
    alice, bob, doc = two
    second = import_paths(alice, [filemaker.make_text_pdf(alice.root.parent / "other.pdf", title="Another")])
    other = second.imported[0].id
    seen = {doc: ("unverified", None), other: ("unverified", None)}
    documents.set_status(alice, other, VerificationStatus.DISPUTED, "stamp", seen=seen[other])
    with pytest.raises(ConflictError, match=f"document {other}"):
        documents.set_statuses(bob, [doc, other], VerificationStatus.VERIFIED, "register", seen=seen)
    assert queries.document_detail(bob, doc).summary.status is VerificationStatus.UNVERIFIED
    made = documents.set_statuses(
        bob,
        [doc, other],
        VerificationStatus.VERIFIED,
        "register",
        seen={**seen, other: ("disputed", "stamp")},
    )
    assert [s.status for s in made] == [VerificationStatus.VERIFIED] * 2
    assert fixity.verify_case(alice).ok


@pytest.mark.slow
def test_two_processes_racing_one_field_lose_nothing(two: tuple[Case, Case, int]) -> None:
    """Both see the same value and write at once from two processes: exactly one is refused."""
    import subprocess
    import sys

    alice, _bob, doc = two
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from reviewer.core.domain.errors import ConflictError\n"
        "from reviewer.core.services import documents\n"
        "from reviewer.core.services.case import open_case\n"
        "with open_case(Path(sys.argv[1]), actor=sys.argv[2]) as case:\n"
        "    sys.stdin.readline()\n"
        "    try:\n"
        "        documents.set_metadata(\n"
        "            case, int(sys.argv[3]), {'issuer': sys.argv[2]}, seen={'issuer': None}\n"
        "        )\n"
        "    except ConflictError as exc:\n"
        "        print('refused', exc.current)\n"
        "    else:\n"
        "        print('saved')\n"
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(alice.root), who, str(doc)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for who in ("p1", "p2")
    ]
    for proc in procs:  # both are open before either writes
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    outs = [proc.communicate(timeout=120)[0].strip() for proc in procs]
    assert sorted(o.split()[0] for o in outs) == ["refused", "saved"]
    stored = queries.document_detail(alice, doc).fields["issuer"]
    assert f"refused {stored}" in outs
    assert _actions(alice, doc).count("metadata_changed") == 1
    assert fixity.verify_case(alice).ok
