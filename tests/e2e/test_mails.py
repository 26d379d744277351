"""Every kind of mail as a phone shows it (issue 29, item 6): one HTML layout
(reminders/mail.html), inline styles only, no sideways scroll at 390 px, a readable font; its
text part, read with Python's own e-mail package, says the same things."""

from __future__ import annotations

import email
from email import policy
from html import unescape

from assignments.models import User
from tests.mail_samples import composed, samples

from .conftest import ARTIFACTS

PHONE = {"width": 390, "height": 844}
LOOKS = """() => {
    const texts = [...document.querySelectorAll('p, li, h1, h2, a')];
    return {
        scroll: document.documentElement.scrollWidth,
        smallest: Math.min(...texts.map((el) => parseFloat(getComputedStyle(el).fontSize))),
        font: getComputedStyle(document.body).fontFamily,
        styleElements: document.querySelectorAll('style, link[rel=stylesheet]').length,
    };
}"""


def test_every_kind_of_mail_reads_on_a_phone_and_its_text_part_parses(site, browser):
    jan = User.objects.get(username="jan.strang")
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        for kind, rows in samples(site.assignment, jan).items():
            message, mail = composed(rows)
            page.set_content(message.html)
            looks = page.evaluate(LOOKS)
            assert looks["scroll"] <= PHONE["width"], (kind, looks)
            assert looks["smallest"] >= 14, (kind, looks)
            assert looks["font"].startswith("Roboto"), (kind, looks)
            assert looks["styleElements"] == 0, kind  # inline styles only
            page.screenshot(path=str(ARTIFACTS / f"mail-{kind}-390.png"), full_page=True)

            parsed = email.message_from_bytes(mail.message().as_bytes(), policy=policy.default)
            assert " ".join(str(parsed["Subject"]).split()) == message.subject
            text = parsed.get_body(preferencelist=("plain",)).get_content()
            html = parsed.get_body(preferencelist=("html",)).get_content()
            assert text.rstrip() == message.text.rstrip() and "Hej Jan" in text, kind
            assert message.link in text and message.link in unescape(html), kind
            for entry in message.entries:  # each line of a bundle; a mail of one, its subject
                assert entry.subject in text or entry.subject == message.subject, kind
    finally:
        context.close()
