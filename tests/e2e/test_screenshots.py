"""The pictures in docs/screenshots/ (issue 29): the assignment page, each role's start page
and two mails, on a phone (390 px) and a laptop (1366 px), as the browser shows them in the
window (not the whole page: small files), under var/screenshots/docs/, to be copied to
docs/screenshots/ for the user guides."""

from __future__ import annotations

from assignments.models import User
from tests.mail_samples import composed, samples

from .conftest import ROOT, login

SHOTS = ROOT / "var" / "screenshots" / "docs"
SIZES = {"390": (390, 844), "1366": (1366, 768)}
ROLES = {
    "reader": "ann-charlotte.jarnstrom",
    "member": "erica.sandberg",
    "assignee": "jan.strang",
    "commissioner": "per.albertsson",
    "registrar": "registrator",
}


def test_the_pictures_of_the_user_guides(site, browser):
    SHOTS.mkdir(parents=True, exist_ok=True)
    taken = []
    for role, username in ROLES.items():
        context = browser.new_context(locale="sv-SE", reduced_motion="reduce")
        page = context.new_page()
        login(page, site, username)
        for size, (width, height) in SIZES.items():
            page.set_viewport_size({"width": width, "height": height})
            page.goto(site.url("/"))
            taken.append(SHOTS / f"start-{role}-{size}.png")
            page.screenshot(path=str(taken[-1]))
            if role == "assignee":
                page.goto(site.url(f"/uppdrag/{site.assignment.pk}/#schedule"))
                taken.append(SHOTS / f"assignment-{size}.png")
                page.screenshot(path=str(taken[-1]))
        context.close()
    jan = User.objects.get(username="jan.strang")
    mails = samples(site.assignment, jan)
    context = browser.new_context()
    page = context.new_page()
    for kind in ("events", "reminder"):
        message, _mail = composed(mails[kind])
        for size, (width, height) in SIZES.items():
            page.set_viewport_size({"width": width, "height": height})
            page.set_content(message.html)
            taken.append(SHOTS / f"mail-{kind}-{size}.png")
            page.screenshot(path=str(taken[-1]))
    context.close()
    for picture in taken:
        assert picture.stat().st_size < 400_000, picture  # small enough for the docs
    assert len(taken) == len(ROLES) * 2 + 2 + 4
