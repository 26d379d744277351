"""An English page says nothing in Swedish but the record's own words (issue 29, item 8): the
names of people, units and groups, and what the uppdragshandling itself says (its title,
texts, periods, comments), which are quoted as written.

Each role's pages are read in English over HTTP, viewflow's own pages (the inbox, queue,
archive, a process, a task, the flow chart) among them. A page's visible text, less the
record's own strings, is Swedish when it holds
- a text of our catalogue (a msgid of locale/en's django.po of two words or more) as it is:
  an interface text shown untranslated, or
- a word with å, ä or ö that no text of the record holds: Swedish written into a template.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.apps import apps
from django.db import models

from assignments.models import Assignment, Group, User
from workflow import services
from workflow.models import AssignmentProcess

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
FLOW = "/workflow/uppdrag/assignment"
WORD = re.compile(r"[A-Za-zÅÄÖåäöÉé]+")


class VisibleText(HTMLParser):
    """The text a reader sees: no scripts, styles, templates or hidden inputs."""

    SKIP = {"script", "style", "template", "datalist", "noscript"}
    READ = ("aria-label", "title", "placeholder", "alt")

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        for name, value in attrs:
            if (
                name in ("aria-label", "title", "placeholder", "alt")
                and value
                and not self.skipping
            ):
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping and data.strip():
            self.parts.append(data)


def visible(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def record_strings() -> list[str]:
    """Every text the record holds (names, titles, texts, periods, comments, reasons),
    longest first, so that a long one is taken out before a short one inside it."""
    found: set[str] = set()
    for model in apps.get_models():
        if model._meta.app_label not in ("assignments", "workflow", "reminders"):
            continue
        fields = [
            f.name
            for f in model._meta.get_fields()
            if isinstance(f, models.CharField | models.TextField) and not f.choices
        ]
        for row in model.objects.values_list(*fields) if fields else []:
            found.update(str(v).strip() for v in row if v and len(str(v).strip()) > 1)
    for person in User.objects.all():
        found.add(person.get_full_name())
    return sorted(found, key=len, reverse=True)


def _catalogue() -> dict[str, str]:
    """msgid: msgstr of locale/en's django.po (singular entries)."""
    text = (ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    entries = {}
    quoted = r'((?:"(?:[^"\\]|\\.)*"\s*)+)'
    for msgid, msgstr in re.findall(rf"^msgid {quoted}msgstr {quoted}", text, flags=re.M):

        def joined(part):
            return "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', part)).replace('\\"', '"')

        entries[joined(msgid)] = joined(msgstr)
    return entries


def interface_texts() -> list[str]:
    """Our catalogue's Swedish texts of two words or more, without placeholders or markup."""
    return [
        msgid
        for msgid, msgstr in _catalogue().items()
        if msgstr
        and msgid != msgstr
        and len(msgid.split()) >= 2
        and not any(mark in msgid for mark in "%<{\\")
    ]


def swedish_on(text: str, strings: list[str], ui: list[str], vocabulary: str) -> list[str]:
    for s in strings:
        text = text.replace(s, " ")
        if len(s) > 42:  # a long title cut short ("…") in a list or a chart
            text = text.replace(s[:40].rstrip(), " ")
    found = [t for t in ui if t in text]
    # a word of the record, or a piece of one (a long text cut short in a list)
    found += sorted(
        {w for w in WORD.findall(text) if re.search("[åäöÅÄÖ]", w) and w.lower() not in vocabulary}
    )
    return found


def test_no_swedish_on_an_english_page(client, demo):
    assignment = demo
    process = AssignmentProcess.of(assignment).first()
    work = process.task_set.filter(flow_task__contains="work").first() or process.task_set.first()
    draft = Assignment.objects.filter(state=Assignment.State.DRAFT).first()
    group = Group.objects.first()
    pk = assignment.pk
    own = [
        "/",
        "/notiser/",
        "/installningar/",
        f"/uppdrag/{pk}/",
        f"/uppdrag/{pk}/audit/",
        f"/uppdrag/{pk}/versioner/",
        f"{FLOW}/inbox/",
        f"{FLOW}/queue/",
        f"{FLOW}/archive/",
        f"{FLOW}/{process.pk}/",
        f"{FLOW}/chart/",
        "/grupper/",
        f"/grupper/{group.pk}/",
    ]
    registry = [
        "/portfolj/",
        "/portfolj/?state=adopted&sort=-title",
        "/aterrapportering/",
        "/uppdrag/nytt/",
        *([f"/uppdrag/{draft.pk}/redigera/"] if draft else []),
        f"{FLOW}/",
        f"{FLOW}/tasks/",
    ]
    roles = {
        "ann-charlotte.jarnstrom": own,
        "jan.strang": [*own, f"{FLOW}/{process.pk}/work/{work.pk}/detail/"],
        "registrator": [*own, *registry],
    }
    strings, ui = record_strings(), interface_texts()
    vocabulary = " ".join(w.lower() for s in strings for w in WORD.findall(s))
    found = {}
    for username, paths in roles.items():
        User.objects.filter(username=username).update(language="en")
        client.force_login(User.objects.get(username=username))
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, (username, path, response.status_code)
            swedish = swedish_on(visible(response.content.decode()), strings, ui, vocabulary)
            if swedish:
                found[f"{username} {path}"] = swedish
    services.submit_delivery(
        assignment=assignment, actor=User.objects.get(username="jan.strang"), summary="Proposal"
    )
    User.objects.filter(username="per.albertsson").update(language="en")
    client.force_login(User.objects.get(username="per.albertsson"))
    for path in [f"/uppdrag/{pk}/beslut/", "/", f"/uppdrag/{pk}/"]:
        response = client.get(path)
        assert response.status_code == 200, path
        swedish = swedish_on(visible(response.content.decode()), strings, ui, vocabulary)
        if swedish:
            found[f"per.albertsson {path}"] = swedish
    assert found == {}, "\n".join(f"{page}: {words}" for page, words in found.items())
