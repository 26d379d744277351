"""Who may open what: the expected outcome of every URL for every kind of visitor (issue #15).

Read by tests/test_access_matrix.py, which walks Django's real URL resolver: every route must
have a row here (a new URL without one fails), and every row must be a route that exists.

The table states the INTENDED rules (docs/security.md "The rules", issue #15), not what the code
happens to do; a mismatch is a finding, never a reason to edit a row without deciding the rule.

How to read a row
-----------------
`ROWS` maps a route, exactly as the resolver spells it (its full pattern), to a `Row`:

- `get`: what each role gets for a GET;
- `post`: what each role gets for a POST with an EMPTY body - the permission gate: a role that
  may not use the form is refused before any validation (403/404, or the login page), a role
  that may gets "allowed" (200 form errors, 400, or 302); `None` when the route takes no POST;
- `cases`: POSTs with the form's realistic fields (or GETs with a query string), each with its
  own expectations, optionally run after a `before` hook and checked for fields that must not
  change (`frozen`) or for an audit entry (`audited_for`);
- `on`: which assignment of the test world fills `<pk>`, `<process_pk>`, `<task_pk>` and
  `<milestone_pk>` ("seed" = RS 2024-05699 with its delivery waiting for decision; "draft",
  "working" and "decided" = assignments with the same people in those states);
- `params` / `path`: explicit URL parameters or a whole path when the generic filling does not
  fit (regex routes, other objects).

Expectations are built with `only(...)` (who is allowed; everyone else refused, anonymous sent to
the login page) and `everyone(...)`; `expect(...)` spells out single roles.

How to add a row
----------------
Add `"<the route as listed in the failure message>": Row(get=..., post=...)`; for a form, add
a `Case` with realistic data. Admin models get their six routes from `admin_model(...)`.

Outcomes
--------
ok        200, or a redirect that is not to a login page
saved     a redirect that is not to a login page (a form that was accepted)
redirect  same as saved, for GETs that only send the visitor on
login     a redirect to the login page (ours or the admin's)
denied    403 or 404
notfound  404
bad       400 (the form was refused with a message)
allowed   200, 400 or a redirect not to login: past the permission check
refused   400, 403 or 404 (a business rule or a permission said no)
away      403, 404 or a redirect not to login: nothing of the object is shown
method    405 (the route does not take this method)
unauthorized  401 naming Bearer: the API's answer to a caller with no token or session
forbidden 403 (the API: a person who may read the assignment but not do this)
conflict  409 (past the permission check, refused by the record's state: a package of an open
          assignment)
health    200 or 503 with a JSON body (/healthz: healthy or not, for anyone)
download  200 with Content-Disposition: attachment and X-Content-Type-Options: nosniff
any       anything but a 5xx or the login page (used with `frozen`: what counts is that nothing
          changed)

Every 200 answer to the anonymous visitor or to the user with no role is also checked for what
would show an assignment: its registration number or address, its process's address, or a task
label as viewflow writes it ("#<process>/<task>"); none may appear.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

# -- roles ----------------------------------------------------------------------------------------

ANONYMOUS = "anonymous"
NO_ROLE = "no_role"  # a logged-in user with no part in any assignment
READER = "reader"  # ann-charlotte.jarnstrom, "för kännedom"
MEMBER = "member"  # erica.sandberg, working group and "för genomförande"
ASSIGNEE = "assignee"  # jan.strang, uppdragstagare and project lead
DECISION_MAKER = "decision_maker"  # per.albertsson, commissioner and decision-maker
REGISTRAR = "registrar"  # registrator, group Registrator, is_staff
SUPERUSER = "superuser"  # admin

ROLES = (ANONYMOUS, NO_ROLE, READER, MEMBER, ASSIGNEE, DECISION_MAKER, REGISTRAR, SUPERUSER)
LOGGED_IN = ROLES[1:]
# those who may see the test world's assignments (can_view_assignment)
PARTICIPANTS = (READER, MEMBER, ASSIGNEE, DECISION_MAKER, REGISTRAR, SUPERUSER)
STAFF = (REGISTRAR, SUPERUSER)

# per.albertsson and not anders.kullbratt plays the decision-maker: in seed 004 Anders is also
# in the working group, which the rule "the working group never holds an approval task" forbids
# for his own approval (a question for the domain, not for this table). Anders' approval task is
# used as "somebody else's approval task".

OUTCOMES = [
    "ok",
    "saved",
    "redirect",
    "login",
    "denied",
    "notfound",
    "bad",
    "allowed",
    "refused",
    "away",
    "method",
    "download",
    "any",
    "unauthorized",
    "forbidden",
    "conflict",
    "health",
]


def everyone(outcome: str) -> dict[str, str]:
    return dict.fromkeys(ROLES, outcome)


def only(
    *allowed: str, ok: str = "ok", others: str = "denied", anonymous: str = "login"
) -> dict[str, str]:
    """`ok` for the roles listed, `others` for every other logged-in role, `anonymous` for the
    visitor who is not logged in (unless listed)."""
    result = {role: ok if role in allowed else others for role in LOGGED_IN}
    result[ANONYMOUS] = ok if ANONYMOUS in allowed else anonymous
    return result


def logged_in(ok: str = "ok") -> dict[str, str]:
    return only(*LOGGED_IN, ok=ok)


def expect(default: str, *, anonymous: str = "login", **roles: str) -> dict[str, str]:
    result = {role: roles.get(role, default) for role in LOGGED_IN}
    result[ANONYMOUS] = roles.get(ANONYMOUS, anonymous)
    return result


POST_ONLY = everyone("method")
SEE_ASSIGNMENT = only(*PARTICIPANTS)  # no role: 404 (denied), as if it did not exist


# -- rows and cases -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One request for every role. `data` None is a GET; a dict or `(world, user) -> dict` is a
    POST; `AdminForm(...)` is the admin page's own form as a superuser sees it, with changes."""

    name: str
    expect: Mapping[str, str]
    data: Any = None
    query: str = ""
    params: Mapping[str, Callable] = field(default_factory=dict)
    before: Callable | None = None  # (world, user) -> None, in the savepoint, before the request
    frozen: Callable | None = None  # world -> what must be the same after the request
    frozen_for: tuple[str, ...] = ROLES
    audited_for: tuple[str, ...] = ()  # a success by these roles must write an AuditEntry


@dataclass(frozen=True)
class Row:
    get: Mapping[str, str]
    post: Mapping[str, str] | None = None
    cases: tuple[Case, ...] = ()
    on: str = "seed"
    params: Mapping[str, Callable] = field(default_factory=dict)
    path: Callable | None = None
    query: str = ""
    note: str = ""


@dataclass(frozen=True)
class AdminForm:
    """POST what the admin change form holds (read as a superuser), with these fields changed;
    values may be callables of the world."""

    changes: Mapping[str, Any]


def pdf(name: str = "slutrapport.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n", "application/pdf")


def html_file() -> SimpleUploadedFile:
    body = b"<html><body><script>document.title='x'</script></body></html>"
    return SimpleUploadedFile("rapport.html", body, "text/html")


def svg_file() -> SimpleUploadedFile:
    body = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    return SimpleUploadedFile("diagram.svg", body, "image/svg+xml")


def fields_of(getter: Callable, *names: str) -> Callable:
    """A `frozen` check: these fields of the object, read again from the database."""

    def snapshot(world):
        obj = getter(world)
        return type(obj).objects.filter(pk=obj.pk).values(*names).first()

    return snapshot


def today() -> str:
    return dt.date.today().isoformat()


# -- our pages ------------------------------------------------------------------------------------

REASON = "Enligt beslut i samordningsgruppen."
RETURN_COMMENT = "Komplettera med kostnadsberäkning."

OUR_PAGES = {
    "": Row(get=logged_in()),
    # registrars, the regional director and commissioners (per.albertsson commissions seed 004)
    "portfolj/": Row(get=only(DECISION_MAKER, REGISTRAR, SUPERUSER)),
    # the återrapportering: as the portfolio (a commissioner sees their own report at first);
    # what it lists is filtered by visible_assignments (tests/assignments/test_report.py)
    "aterrapportering/": Row(get=only(DECISION_MAKER, REGISTRAR, SUPERUSER)),
    "grupper/": Row(get=logged_in()),
    # the group catalogue is open to everyone logged in; its assignment lists are filtered
    "grupper/<int:pk>/": Row(get=logged_in()),
    "installningar/": Row(
        get=logged_in(),
        post=logged_in("allowed"),
        cases=(
            Case(
                "own settings",
                logged_in("saved"),
                data={"language": "sv", "wants_digest": "on"},
            ),
        ),
    ),
    # the language switch works for everyone, logged in or not; an unknown language is a 404
    "sprak/": Row(
        get=POST_ONLY,
        post=everyone("notfound"),
        cases=(Case("English", everyone("saved"), data={"language": "en", "next": "/"}),),
    ),
    "i18n/setlang/": Row(
        get=everyone("ok"),
        post=everyone("ok"),
        cases=(Case("English", everyone("saved"), data={"language": "en", "next": "/"}),),
    ),
    # per.albertsson's notification ("a decision waits for you"): his alone, 404 for others
    "notiser/": Row(get=logged_in()),
    "notiser/<int:pk>/": Row(
        get=only(DECISION_MAKER, others="notfound"),
        post=only(DECISION_MAKER, ok="allowed", others="notfound"),
    ),
    "notiser/<int:pk>/last/": Row(
        get=POST_ONLY, post=only(DECISION_MAKER, ok="allowed", others="notfound")
    ),
    "notiser/alla-lasta/": Row(get=POST_ONLY, post=logged_in("allowed")),
}

SITE = {
    # browsers ask for it on pages that name no icon (the admin, a chart opened on its own)
    "favicon.ico": Row(get=everyone("redirect")),
    # for operations (config/health.py): /healthz answers anyone, logged in or not (in this
    # world no sweep has run, so 503); /metrics is for a scraper with METRICS_TOKEN or from
    # METRICS_ALLOWED_NETWORKS, which in production is nobody until set: a login opens nothing
    # (tests/test_health.py reads it with the token and from an allowed network)
    "healthz": Row(get=everyone("health"), post=everyone("method")),
    "metrics": Row(get=everyone("denied"), post=everyone("method")),
}

ACCOUNTS = {
    "accounts/login/": Row(get=everyone("ok"), post=everyone("allowed")),
    # logging out ends on the login page (LOGOUT_REDIRECT_URL)
    "accounts/logout/": Row(get=POST_ONLY, post=everyone("login")),
    "accounts/password_change/": Row(get=logged_in(), post=logged_in("allowed")),
    "accounts/password_change/done/": Row(get=logged_in()),
    "accounts/password_reset/": Row(
        get=everyone("ok"),
        post=everyone("allowed"),
        cases=(
            Case(
                "a known address",
                everyone("saved"),
                data={"email": "jan.strang@example.org"},
            ),
        ),
    ),
    "accounts/password_reset/done/": Row(get=everyone("ok")),
    # an invalid link shows the "invalid link" page; the set-password form needs a valid token
    "accounts/reset/<uidb64>/<token>/": Row(
        get=everyone("ok"), params={"uidb64": lambda w: "MQ", "token": lambda w: "ogiltig-lank"}
    ),
    "accounts/reset/done/": Row(get=everyone("ok")),
    # "is it you?" (people/confirm.py): the person's own password again; a wrong one is refused
    # (and counted as a failed login); it confirms nobody else
    "konto/bekrafta/": Row(
        get=logged_in(),
        post=logged_in("bad"),
        cases=(Case("a wrong password", logged_in("bad"), data={"password": "fel-lösenord"}),),
    ),
}

# Single sign-on (people/sso.py) is off here, as in `make run`: its addresses are 404 for
# everyone. tests/assignments/test_sso.py drives them with it on, against a real provider.
SINGLE_SIGN_ON = {
    "oidc/authenticate/": Row(get=everyone("notfound")),
    "oidc/callback/": Row(get=everyone("notfound")),
}

# Personal API tokens on "Inställningar" (api/pages.py): everyone their own, of either scope, up
# to API_TOKEN_MAX_DAYS. Per has a token (world.api_token); anyone else's revoke of it is a 404.
# (Every session here has just logged in: tests/people/test_sessions.py asks for the password
# again after REAUTHENTICATION_MINUTES.)
API_TOKENS = {
    "installningar/api-nycklar/": Row(
        get=logged_in(),
        post=logged_in("bad"),
        cases=(
            Case("a token that reads", logged_in("ok"), data={"name": "Power BI", "scope": "read"}),
            Case(
                "a token that acts",
                logged_in("ok"),
                data={"name": "Diariet", "scope": "act", "days": "30"},
            ),
            Case(
                "beyond the longest expiry",
                logged_in("bad"),
                data={"name": "Diariet", "scope": "act", "days": "100000"},
            ),
            Case(
                "an unknown scope",
                logged_in("bad"),
                data={"name": "Diariet", "scope": "admin"},
            ),
        ),
    ),
    "installningar/api-nycklar/<int:pk>/aterkalla/": Row(
        get=POST_ONLY,
        post=only(DECISION_MAKER, ok="saved", others="notfound"),
        params={"pk": lambda w: w.api_token.pk},
    ),
}


def _absence(days: int):
    """An absence from today, `days` long (negative: one that ends before it starts)."""

    def data(world, user) -> dict:
        today = dt.date.today()
        return {"starts": today.isoformat(), "ends": (today + dt.timedelta(days=days)).isoformat()}

    return data


# Frånvaro on "Inställningar" (workflow/views/absence.py): everyone sets their own, for
# themself; Per has one (world.absence), which only he ends; anyone else's is a 404.
ABSENCE = {
    "installningar/franvaro/": Row(
        get=logged_in(),
        post=logged_in("bad"),
        cases=(
            Case("July", logged_in("saved"), data=_absence(30), audited_for=LOGGED_IN),
            Case("ends before it starts", logged_in("bad"), data=_absence(-1)),
        ),
    ),
    "installningar/franvaro/<int:pk>/avsluta/": Row(
        get=POST_ONLY,
        post=only(DECISION_MAKER, ok="saved", others="notfound"),
        params={"pk": lambda w: w.absence.pk},
    ),
}

# The calendar feed (workflow/views/calendar.py): its address is renewed by everyone logged in,
# for themself (a POST, shown once); the feed itself takes no login, the secret in the address
# is the key. An address nobody has, or one that was renewed, is a 404 for everyone.
CALENDAR_FEED = {
    "installningar/kalender/": Row(get=POST_ONLY, post=logged_in()),
    "kalender/<str:token>.ics": Row(
        get=everyone("notfound"),
        params={"token": lambda w: "cal_finns-inte"},
        cases=(
            Case(
                "the address of the person with no role",
                everyone("ok"),
                params={"token": lambda w: w.calendar_secret},
            ),
            Case(
                "Per's renewed address",
                everyone("notfound"),
                params={"token": lambda w: w.renewed_calendar_secret},
            ),
        ),
    ),
}

# -- the assignment's own pages (workflow/urls.py) ------------------------------------------------

# The decision-maker answers their own approval task; nobody else answers it, and the gate comes
# before the form's validation (an empty POST by anyone else is a 403/404, not a 400).
DECIDES = only(DECISION_MAKER, ok="allowed")


def forge_anders_task_onto_visitor(world, user) -> None:
    """However it got there (issue #15, 1: a reassign by the assignee, a stand-in chosen by
    someone else), Anders' approval task is now owned by the visitor."""
    if user is None:
        return
    task = type(world.anders_task).objects.get(pk=world.anders_task.pk)  # nothing kept in memory
    task.flow_task.activation_class(task).reassign(user=user)


def answers_in_anders_name(world) -> list[str]:
    """A `frozen` check: Anders did not act, so nothing may be recorded in his name."""
    return list(
        world.delivery.approvals.filter(decision_maker=world.anders).values_list(
            "verdict", flat=True
        )
    )


# Holding Anders' task, nobody answers it; Per still answers his own approval ("any"), but
# nothing may be recorded as Anders'.
HOLDING_ANDERS_TASK = only(others="refused") | {DECISION_MAKER: "any"}


ASSIGNMENT_PAGES = {
    "uppdrag/<int:pk>/": Row(get=SEE_ASSIGNMENT),
    # "Påminn mig" (workflow/views/watch.py): whoever may see the assignment sets a watch date of
    # their own; Jan's (world.watch_date) is removed by Jan alone, anyone else's try is a 404
    "uppdrag/<int:pk>/paminn-mig/": Row(
        get=SEE_ASSIGNMENT,
        post=only(*PARTICIPANTS, ok="allowed"),
        cases=(
            Case(
                "in a week, with a note",
                only(*PARTICIPANTS, ok="saved"),
                data={"about": "", "when": "in_a_week", "note": "Följ upp med gruppen."},
                audited_for=PARTICIPANTS,
            ),
        ),
    ),
    "uppdrag/bevakningar/<int:pk>/ta-bort/": Row(
        get=POST_ONLY,
        post=only(ASSIGNEE, ok="saved", others="notfound"),
        params={"pk": lambda w: w.watch_date.pk},
    ),
    "uppdrag/<int:pk>/process/": Row(get=SEE_ASSIGNMENT),
    # every participant reads the decision page; only a decision-maker gets its forms
    "uppdrag/<int:pk>/beslut/": Row(get=SEE_ASSIGNMENT),
    "uppdrag/<int:pk>/audit/": Row(get=SEE_ASSIGNMENT),
    "uppdrag/<int:pk>/audit.csv": Row(get=SEE_ASSIGNMENT),
    # adopt: a commissioner or the regional director (neither registrar nor superuser)
    "uppdrag/<int:pk>/adopt/": Row(
        on="draft",
        get=POST_ONLY,
        post=only(DECISION_MAKER, ok="allowed"),
        cases=(Case("adopt", only(DECISION_MAKER, ok="saved"), data={"reason": REASON}),),
    ),
    "uppdrag/<int:pk>/delivery/": Row(
        on="working",
        get=POST_ONLY,
        post=only(ASSIGNEE, ok="allowed"),
        cases=(
            Case(
                "a PDF",
                only(ASSIGNEE, ok="saved"),
                data=lambda w, u: {"summary": "Slutrapport med förslag.", "document": pdf()},
            ),
            # issue #15, 4: an allowed-types list checked by name and content
            Case(
                "an .html file",
                only(ASSIGNEE, ok="bad"),
                data=lambda w, u: {"summary": "Slutrapport.", "document": html_file()},
            ),
            Case(
                "an .svg file",
                only(ASSIGNEE, ok="bad"),
                data=lambda w, u: {"summary": "Slutrapport.", "document": svg_file()},
            ),
        ),
    ),
    "uppdrag/<int:pk>/approve/": Row(
        get=POST_ONLY,
        post=DECIDES,
        cases=(
            Case(
                "approve",
                only(DECISION_MAKER, ok="saved"),
                data=lambda w, u: {"decided_on": today()},
            ),
            # issue #15, 1: holding Anders' task, jan's approval was saved as Anders'
            Case(
                "approve holding Anders' task",
                HOLDING_ANDERS_TASK,
                data=lambda w, u: {"decided_on": today()},
                before=forge_anders_task_onto_visitor,
                frozen=answers_in_anders_name,
            ),
        ),
    ),
    "uppdrag/<int:pk>/return/": Row(
        get=POST_ONLY,
        post=DECIDES,
        cases=(
            Case("return", only(DECISION_MAKER, ok="saved"), data={"comment": RETURN_COMMENT}),
            Case(
                "return holding Anders' task",
                HOLDING_ANDERS_TASK,
                data={"comment": RETURN_COMMENT},
                before=forge_anders_task_onto_visitor,
                frozen=answers_in_anders_name,
            ),
        ),
    ),
    # cancel: a commissioner, with a reason
    "uppdrag/<int:pk>/cancel/": Row(
        get=POST_ONLY,
        post=only(DECISION_MAKER, ok="allowed"),
        cases=(
            Case(
                "cancel",
                only(DECISION_MAKER, ok="saved"),
                data={"confirmed": "True", "reason": REASON},
            ),
        ),
    ),
    # Handing a task on: the assignee their own task, a decision-maker their own approval (to a
    # stand-in neither another decision-maker nor on the delivering side). A registrar never
    # hands an approval on: they change who decides instead (issue #25, 1).
    "uppdrag/<int:pk>/reassign/": Row(
        get=POST_ONLY,
        # on "seed" the delivery waits for decision: only approval tasks are open, which only
        # their decision-maker hands on; the assignee holds nothing to hand on
        post=only(DECISION_MAKER, ok="allowed"),
        cases=(
            # issue #15, 1: jan took Anders' approval task and answered it as Anders
            Case(
                "take Anders' approval task",
                only(others="refused"),
                data=lambda w, u: {
                    "task": w.anders_task.pk,
                    "new_owner": u.pk if u else "",
                    "reason": "Semester",
                },
            ),
            Case(
                "Per hands his approval task to Ann-Charlotte",
                only(DECISION_MAKER, ok="saved", others="refused"),
                data=lambda w, u: {
                    "task": w.per_task.pk,
                    "new_owner": w.users[READER].pk,
                    "reason": "Tjänstledig",
                },
            ),
        ),
    ),
    # "Ny version" (issue 18, item 4): a registrar or a commissioner of the assignment copies it
    # into a new draft that supersedes it once adopted; the assignee and the working side may not
    "uppdrag/<int:pk>/ny-version/": Row(
        get=POST_ONLY,
        post=only(DECISION_MAKER, REGISTRAR, SUPERUSER, ok="allowed"),
        cases=(
            Case(
                "new version",
                only(DECISION_MAKER, REGISTRAR, SUPERUSER, ok="saved"),
                data=lambda w, u: {
                    "document_date": today(),
                    "delivery_due": (dt.date.today() + dt.timedelta(days=90)).isoformat(),
                },
                audited_for=(DECISION_MAKER, REGISTRAR, SUPERUSER),
            ),
        ),
    ),
    # the versions of the document and what changed between two of them: the page's readers
    "uppdrag/<int:pk>/versioner/": Row(get=SEE_ASSIGNMENT),
    # on "working": its milestone has erica.sandberg (working group) as the responsible person
    "uppdrag/<int:pk>/milestones/<int:milestone_pk>/status/": Row(
        on="working",
        get=POST_ONLY,
        post=only(ASSIGNEE, MEMBER, ok="allowed"),
        cases=(
            Case(
                "start it",
                only(ASSIGNEE, MEMBER, ok="saved"),
                data={"to_status": "in_progress", "comment": "Arbetet har börjat."},
            ),
        ),
    ),
    "uppdrag/<int:pk>/milestones/<int:milestone_pk>/due/": Row(
        on="working",
        get=POST_ONLY,
        post=only(ASSIGNEE, MEMBER, ok="allowed"),
        cases=(
            Case(
                "move it",
                only(ASSIGNEE, MEMBER, ok="saved"),
                data={"new_due": "2026-01-30", "reason": "Remissen blev försenad."},
            ),
        ),
    ),
}

# The private download of a delivery's document (issue #15, 4): those who may see the
# assignment download it as an attachment; everyone else, anonymous included, gets a 404.
# The uppdragshandling regenerated from live data (issue 18, item 3) follows the assignment
# page's rule (the anonymous visitor is sent to the login page, as from the page itself).
REGENERATED = only(*PARTICIPANTS, ok="download", others="notfound")
DOCUMENTS = {
    # "Nytt uppdrag" (#18): registrars, and commissioners for their own (per.albertsson
    # commissions seed 004); an assignee, a reader, a member and a stranger are refused.
    "uppdrag/nytt/": Row(
        get=only(DECISION_MAKER, REGISTRAR, SUPERUSER),
        post=only(DECISION_MAKER, REGISTRAR, SUPERUSER, ok="allowed"),
    ),
    "uppdrag/nytt/period/": Row(
        get=only(DECISION_MAKER, REGISTRAR, SUPERUSER),
        post=everyone("method"),
        query="period=Sep+–+okt+2025",
    ),
    # Importing a document (issue 27): registrars only, not a commissioner (a worker's time and
    # memory go into reading the file).
    "uppdrag/nytt/importera/": Row(
        get=everyone("method"),
        post=only(REGISTRAR, SUPERUSER, ok="allowed"),
    ),
    # a token only the uploader knows: anyone else's answer is 404 (or 403)
    "uppdrag/nytt/inlasning/<str:token>/": Row(
        get=only(REGISTRAR, SUPERUSER, ok="notfound"),
        post=everyone("method"),
        params={"token": lambda w: "okand-token"},
    ),
    "uppdrag/nytt/granska/<str:token>/": Row(
        get=only(REGISTRAR, SUPERUSER, ok="notfound"),
        post=only(REGISTRAR, SUPERUSER, ok="notfound"),
        params={"token": lambda w: "okand-token"},
    ),
    # a scanned upload's page beside the review: its uploader's only (registrars import)
    "uppdrag/nytt/granska/<str:token>/sida-<int:number>.png": Row(
        get=only(REGISTRAR, SUPERUSER, ok="notfound"),
        post=everyone("method"),
        params={"token": lambda w: "okand-token", "number": lambda w: 1},
    ),
    # a draft is edited by a registrar or one of its commissioners
    "uppdrag/<int:pk>/redigera/": Row(
        on="draft",
        get=only(DECISION_MAKER, REGISTRAR, SUPERUSER),
        post=only(DECISION_MAKER, REGISTRAR, SUPERUSER, ok="allowed"),
    ),
    "uppdrag/<int:pk>/kalldokument/": Row(
        get=only(*PARTICIPANTS, ok="download", others="notfound", anonymous="notfound"),
        post=everyone("method"),
    ),
    "uppdrag/<int:pk>/leveranser/<int:number>/dokument/": Row(
        get=only(*PARTICIPANTS, ok="download", others="notfound", anonymous="notfound"),
        post=everyone("method"),
        path=lambda w: w.delivery_document_url(),
    ),
    "uppdrag/<int:pk>/uppdragshandling.pdf": Row(get=REGENERATED, post=everyone("method")),
    "uppdrag/<int:pk>/uppdragshandling.docx": Row(get=REGENERATED, post=everyone("method")),
}

# Paths that are not routes but must be checked: the delivery file where /media/ would serve it.
# Documents are served only by the view above, with DEBUG on or off (see also FORBIDDEN_ROUTES).
PATHS = {
    "media: the delivery file under MEDIA_URL": Row(
        get=everyone("notfound"), path=lambda w: w.media_url_of_delivery()
    ),
}

# Routes that must not exist at all, with DEBUG on or off.
FORBIDDEN_ROUTES = {
    "^media/(?P<path>.*)$": "delivery files are served to anyone from /media/ (issue #15, 4)",
}


# -- the API (api/urls.py, issue 19) -------------------------------------------------------------
# The pages' rules, answered the API's way: no token or session is a 401 (not the login page); an
# assignment the person may not read a 404; an act they may not take a 403, before their input
# is read; bad input a 400; done a 200 or 201. Here as a session (the test client's login); a
# personal token stands for its person within its scope (TOKEN_SCOPES below).


def api(*allowed: str, ok: str = "ok") -> dict[str, str]:
    """`ok` for the roles listed; 403 for anyone else who may read the assignment, 404 for the
    person with no role, 401 without credentials."""
    result = only(*allowed, ok=ok, others="forbidden", anonymous="unauthorized")
    if NO_ROLE not in allowed:
        result[NO_ROLE] = "notfound"
    return result


API_READ = only(*LOGGED_IN, anonymous="unauthorized")
# a GET of an endpoint that takes POST: 405, once the caller is known
API_POST_ONLY = expect("method", anonymous="unauthorized")

API = {
    # the schema and Swagger UI describe the API and show no data
    "api/schema/": Row(get=everyone("ok")),
    "api/docs/": Row(get=everyone("ok")),
    # lists hold only what the person may read (the leak check sees the no-role user's)
    "api/assignments/": Row(
        get=API_READ,
        cases=(Case("filtered", API_READ, query="state=adopted&commissioner=Per&page_size=5"),),
    ),
    "api/assignments/<int:pk>/": Row(get=api(*PARTICIPANTS)),
    "api/me/tasks/": Row(get=API_READ),
    "api/me/notifications/": Row(get=API_READ),
    "api/assignments/<int:pk>/milestones/<int:milestone_pk>/status/": Row(
        on="working",
        get=API_POST_ONLY,
        post=api(ASSIGNEE, MEMBER, ok="bad"),
        cases=(
            Case(
                "start it",
                api(ASSIGNEE, MEMBER),
                data={"to_status": "in_progress", "comment": "Arbetet har börjat."},
            ),
        ),
    ),
    "api/assignments/<int:pk>/milestones/<int:milestone_pk>/due/": Row(
        on="working",
        get=API_POST_ONLY,
        post=api(ASSIGNEE, MEMBER, ok="bad"),
        cases=(
            Case(
                "move it",
                api(ASSIGNEE, MEMBER),
                data={"new_due": "2026-01-30", "reason": "Remissen blev försenad."},
            ),
        ),
    ),
    "api/assignments/<int:pk>/deliveries/": Row(
        on="working",
        get=API_POST_ONLY,
        post=api(ASSIGNEE, ok="bad"),
        cases=(
            Case(
                "a PDF",
                api(ASSIGNEE),
                data=lambda w, u: {"summary": "Slutrapport med förslag.", "document": pdf()},
            ),
            Case(
                "an .html file",
                api(ASSIGNEE, ok="bad"),
                data=lambda w, u: {"summary": "Slutrapport.", "document": html_file()},
            ),
        ),
    ),
    # an empty approval is an approval: the decision date defaults to today
    "api/assignments/<int:pk>/approve/": Row(
        get=API_POST_ONLY,
        post=api(DECISION_MAKER),
        cases=(
            Case("approve", api(DECISION_MAKER), data=lambda w, u: {"decided_on": today()}),
            Case(
                "approve holding Anders' task",
                {**HOLDING_ANDERS_TASK, ANONYMOUS: "unauthorized"},
                data=lambda w, u: {"decided_on": today()},
                before=forge_anders_task_onto_visitor,
                frozen=answers_in_anders_name,
            ),
        ),
    ),
    "api/assignments/<int:pk>/return/": Row(
        get=API_POST_ONLY,
        post=api(DECISION_MAKER, ok="bad"),
        cases=(
            Case("return", api(DECISION_MAKER), data={"comment": RETURN_COMMENT}),
            Case(
                "return holding Anders' task",
                {**HOLDING_ANDERS_TASK, ANONYMOUS: "unauthorized"},
                data={"comment": RETURN_COMMENT},
                before=forge_anders_task_onto_visitor,
                frozen=answers_in_anders_name,
            ),
        ),
    ),
}


# A personal API token (issue 27) answers as its person's session does, within its scope: one
# that may "act" exactly as the session; one that may only "read" as the session for a GET, and
# 403 for every write before anything else is asked (even where the session would get a 404:
# the refusal tells nothing about the assignment). test_access_matrix_with_tokens runs every row
# of API (but the schema and its docs, which take no credentials) as every logged-in role with a
# token of each scope; the caller with no token is the session table's anonymous column.
TOKEN_SCOPES = ("read", "act")


def with_token(scope: str, method: str, as_session: str) -> str:
    """What a token of `scope` gets where the session gets `as_session`."""
    if scope == "read" and method != "GET":
        return "forbidden"
    return as_session


# -- viewflow -------------------------------------------------------------------------------------

FLOW = "workflow/uppdrag/assignment/"

# viewflow's own pages: anonymous visitors go to the login page (issue #15, 7); the process
# pages and the chart of one process are for its participants only.
VIEWFLOW_PAGES = {
    # viewflow's site and app indexes only send everyone on to the flow's page, which sends the
    # anonymous visitor to the login page; they show nothing themselves
    "workflow/": Row(get=everyone("redirect")),
    "workflow/uppdrag/": Row(get=everyone("redirect")),
    # the dashboard: registrars; everyone else is sent on to their inbox
    FLOW: Row(get=logged_in()),
    FLOW + "inbox/": Row(get=logged_in()),
    FLOW + "queue/": Row(get=logged_in()),
    FLOW + "archive/": Row(get=logged_in()),
    FLOW + "chart/": Row(get=logged_in()),
    # every process and every task: the registrar's lists
    FLOW + "flows/": Row(get=only(REGISTRAR, SUPERUSER)),
    FLOW + "tasks/": Row(get=only(REGISTRAR, SUPERUSER)),
    FLOW + "<int:process_pk>/": Row(get=only(*PARTICIPANTS)),
    FLOW + "<int:process_pk>/chart/": Row(get=only(*PARTICIPANTS)),
    # Cancelling through viewflow skips the reason, the assignment's state and the audit entry
    # (DOMAIN: every transition records who, when and why): the cancel goes through
    # /uppdrag/<pk>/cancel/ only.
    FLOW + "<int:process_pk>/cancel/": Row(
        get=only(),
        post=only(),
        cases=(Case("cancel the process", only(), data={"_cancel_process": "1"}),),
    ),
    # The bulk pages list the tasks they would act on; listed tasks must be the visitor's own
    # processes' (the leak check fails a listing that shows another assignment).
    FLOW + "queue/assign/": Row(
        get=logged_in(),
        post=logged_in(),
        cases=(Case("select all", logged_in(), data={"select_all": "1"}),),
    ),
    FLOW + "inbox/unassign/": Row(
        get=logged_in(),
        post=logged_in(),
        cases=(Case("select all", logged_in(), data={"select_all": "1"}),),
    ),
}

# Which assignment's process shows each node: an open task where there is one to act on.
NODE_SCENES = {
    "register": "seed",
    "adopt": "draft",  # open, in the queue of its commissioners (per.albertsson), held by nobody
    "work": "working",  # open, owned by jan.strang
    "decide": "seed",
    "approve": "seed",  # per.albertsson's open approval task
    "collect": "decided",
    "check": "decided",
    "end": "decided",
}
NODE_OWNERS = {"work": ASSIGNEE, "approve": DECISION_MAKER}
# Tasks that wait in a queue for whoever may take them (issue #17, 7): the adoption, for every
# commissioner and the regional director.
NODE_QUEUES = {"adopt": DECISION_MAKER}


def forge_adoption_onto_visitor(world, user) -> None:
    """However it got there, the visitor holds the adoption task: only a commissioner runs it."""
    if user is None:
        return
    task = world.task("draft", "adopt")
    task.flow_task.activation_class(task).assign(user)


NODE_CASES = {
    "adopt": (
        Case(
            "adopt, holding the task",
            only(DECISION_MAKER, ok="saved"),
            data={"reason": REASON},
            before=forge_adoption_onto_visitor,
        ),
    ),
    "work": (
        Case(
            "a PDF",
            only(ASSIGNEE, ok="saved"),
            data=lambda w, u: {"summary": "Slutrapport med förslag.", "document": pdf()},
        ),
    ),
    "approve": (
        Case(
            "approve", only(DECISION_MAKER, ok="saved"), data=lambda w, u: {"decided_on": today()}
        ),
        Case(
            "return",
            only(DECISION_MAKER, ok="saved"),
            data={"return": "1", "comment": RETURN_COMMENT},
        ),
        # issue #15, 1: only the decision-maker or a stand-in the decision-maker chose answers
        # an approval; holding the task is not enough
        Case(
            "approve Anders' task held by the visitor",
            HOLDING_ANDERS_TASK,
            data=lambda w, u: {"decided_on": today()},
            params={"task_pk": lambda w: w.anders_task.pk},
            before=forge_anders_task_onto_visitor,
            frozen=answers_in_anders_name,
        ),
    ),
}


# the actions viewflow gives each kind of node besides index and detail
NODE_ACTIONS = {
    "register": ("undo/",),  # StartHandle
    "adopt": ("undo/", "revive/", "cancel/"),  # View
    "work": ("undo/", "revive/", "cancel/"),
    "decide": ("undo/", "revive/"),  # SplitPerItem
    "approve": ("undo/", "revive/", "cancel/"),
    "collect": ("undo/", "revive/", "cancel/"),  # Join
    "check": ("undo/", "revive/", "cancel/"),  # If
    "end": ("undo/", "revive/"),  # End
}


def _node_rows() -> dict[str, Row]:
    rows = {}
    for node, scene in NODE_SCENES.items():
        base = f"{FLOW}<int:process_pk>/{node}/<int:task_pk>/"
        # index only redirects (to execute, assign or detail, which check) and shows nothing
        rows[base] = Row(on=scene, get=only(*PARTICIPANTS, ok="redirect", others="away"))
        rows[base + "detail/"] = Row(on=scene, get=only(*PARTICIPANTS))
        # undo, revive and cancel rewrite the record behind the services' back (no audit,
        # no state): nobody uses them (DOMAIN: "the record is changed only through the process")
        for action in NODE_ACTIONS[node]:
            rows[base + action] = Row(on=scene, get=only(), post=only())
        owner = NODE_OWNERS.get(node)
        if owner:
            rows[base + "execute/"] = Row(
                on=scene,
                get=only(owner),
                post=only(owner, ok="allowed"),
                cases=NODE_CASES[node],
            )
            # a task is handed on through reassign (with a reason, audited), never taken
            rows[base + "assign/"] = Row(on=scene, get=only(), post=only())
            rows[base + "unassign/"] = Row(on=scene, get=only(), post=only())
        taker = NODE_QUEUES.get(node)
        if taker:
            # nobody holds it yet, so nobody runs it until they have taken it
            rows[base + "execute/"] = Row(on=scene, get=only(), post=only(), cases=NODE_CASES[node])
            # whoever may hold it takes it from the queue; nobody gives it back to the queue
            rows[base + "assign/"] = Row(on=scene, get=only(taker), post=only(taker, ok="saved"))
            rows[base + "unassign/"] = Row(on=scene, get=only(), post=only())
    return rows


NODE_ROWS = _node_rows()


# -- the admin ------------------------------------------------------------------------------------

ADMIN = "admin/"


def staff(registrar: str, superuser: str) -> dict[str, str]:
    return expect("login", registrar=registrar, superuser=superuser)


# what each level lets a staff member do on one model's six routes (GET / empty POST)
LEVELS = {
    # no permission on the model
    "none": {
        "changelist": "denied",
        "add": "denied",
        "add_post": "denied",
        "history": "denied",
        "delete": "denied",
        "delete_post": "denied",
        "change": "denied",
        "change_post": "denied",
    },
    # no permission, for a model with no row to open: the admin sends the visitor to its index
    "closed": {
        "changelist": "denied",
        "add": "denied",
        "add_post": "denied",
        "history": "away",
        "delete": "away",
        "delete_post": "away",
        "change": "away",
        "change_post": "away",
    },
    # read only (audit trail, milestone updates)
    "view": {
        "changelist": "ok",
        "add": "denied",
        "add_post": "denied",
        "history": "ok",
        "delete": "denied",
        "delete_post": "denied",
        "change": "ok",
        "change_post": "denied",
    },
    # a record of the process: seen, never added or deleted; its process fields read only
    # (checked by the model's cases, which may be refused or ignored but change nothing)
    "record": {
        "changelist": "ok",
        "add": "denied",
        "add_post": "denied",
        "history": "ok",
        "delete": "denied",
        "delete_post": "denied",
        "change": "ok",
        "change_post": "any",
    },
    # registry data: added and corrected, never deleted (public records)
    "edit": {
        "changelist": "ok",
        "add": "ok",
        "add_post": "allowed",
        "history": "ok",
        "delete": "denied",
        "delete_post": "denied",
        "change": "ok",
        "change_post": "allowed",
    },
    # set once through its service, never edited nor deleted (an absence: ended by an action)
    "set_once": {
        "changelist": "ok",
        "add": "ok",
        "add_post": "allowed",
        "history": "ok",
        "delete": "denied",
        "delete_post": "denied",
        "change": "ok",
        "change_post": "denied",
    },
    # another library's table, for the superuser
    "full": {
        "changelist": "ok",
        "add": "ok",
        "add_post": "allowed",
        "history": "ok",
        "delete": "ok",
        "delete_post": "allowed",
        "change": "ok",
        "change_post": "allowed",
    },
}


def admin_model(
    app: str,
    model: str,
    *,
    registrar: str,
    superuser: str,
    cases: tuple[Case, ...] = (),
    superuser_except: Mapping[str, str] | None = None,
) -> dict[str, Row]:
    """The six routes of one registered model; `cases` are POSTs to its change form;
    `superuser_except` overrides single route kinds of the superuser's level."""
    r, s = LEVELS[registrar], {**LEVELS[superuser], **(superuser_except or {})}

    def level(kind):
        return staff(r[kind], s[kind])

    base = f"{ADMIN}{app}/{model}/"
    obj = base + "<path:object_id>/"
    return {
        base: Row(get=level("changelist")),
        base + "add/": Row(get=level("add"), post=level("add_post")),
        obj + "history/": Row(get=level("history")),
        obj + "delete/": Row(get=level("delete"), post=level("delete_post")),
        obj + "change/": Row(get=level("change"), post=level("change_post"), cases=cases),
        # the old-style address only redirects to .../change/, which checks
        obj: Row(get=staff("redirect", "redirect")),
    }


def corrected(field_name: str, value: str, *, registrar: str = "saved") -> Case:
    """Staff correct registry data: saved, and audited (every admin save of our models)."""
    return Case(
        f"correct {field_name}",
        staff(registrar, "saved"),
        data=AdminForm({field_name: value}),
        audited_for=STAFF,
    )


def tampered(
    name: str,
    changes: Mapping[str, Any],
    frozen: Callable,
    *,
    expect: Mapping[str, str] | None = None,
    frozen_for: tuple[str, ...] = ROLES,
) -> Case:
    """A POST that tries to change what only the process may change: refused or ignored."""
    return Case(
        name,
        expect or staff("any", "any"),
        data=AdminForm(changes),
        frozen=frozen,
        frozen_for=frozen_for,
    )


ADMIN_SITE = {
    ADMIN: Row(get=staff("ok", "ok")),
    # a non-staff user sees the login form (with "not authorised"); staff are sent on
    ADMIN + "login/": Row(get=everyone("ok"), post=everyone("allowed")),
    # staff log out to the login page; the admin sends everyone else to its index (→ login)
    ADMIN + "logout/": Row(
        get=expect("redirect", anonymous="redirect", registrar="method", superuser="method"),
        post=expect("redirect", anonymous="redirect", registrar="login", superuser="login"),
    ),
    ADMIN + "password_change/": Row(get=staff("ok", "ok"), post=staff("allowed", "allowed")),
    ADMIN + "password_change/done/": Row(get=staff("ok", "ok")),
    ADMIN + "autocomplete/": Row(
        get=staff("ok", "ok"),
        query="app_label=assignments&model_name=assignment&field_name=assignee&term=jan",
    ),
    ADMIN + "jsi18n/": Row(get=staff("ok", "ok")),
    # "view on site" of an assignment: staff are sent on to its assignment page
    ADMIN + "r/<path:content_type_id>/<path:object_id>/": Row(
        get=staff("redirect", "redirect"),
        params={
            "content_type_id": lambda w: w.content_type_id_of(w.seed),
            "object_id": lambda w: w.seed.pk,
        },
    ),
    ADMIN + "^(?P<app_label>…)/$": Row(get=staff("ok", "ok"), path=lambda w: "/admin/assignments/"),
    ADMIN + "(?P<url>.*)$": Row(
        get=staff("notfound", "notfound"), path=lambda w: "/admin/finns-inte/"
    ),
    # Another person's password: the superuser only (issue #15, 2); here the superuser's own
    # account, as in the issue.
    ADMIN + "assignments/user/<id>/password/": Row(
        get=staff("denied", "ok"),
        post=staff("denied", "allowed"),
        params={"id": lambda w: w.users[SUPERUSER].pk},
    ),
}

# Fields of the process are read only in the admin, for everyone (issue #15, 3).
ASSIGNMENT_FROZEN = fields_of(lambda w: w.seed, "state", "supersedes")
MILESTONE_FROZEN = fields_of(lambda w: w.admin_object("assignments", "milestone"), "status")
DELIVERY_FROZEN = fields_of(lambda w: w.delivery, "summary", "document", "status")
# The minutes extract's fields (deciding body, "justeras", "rätt utdraget intygar") are filled in
# by the registry once, after the decision (tests/assignments/test_admin.py); what was decided and
# when is the process's.
DECISION_FROZEN = fields_of(lambda w: w.decided.decision, "decided_on", "paragraph_reference")
AUDIT_FROZEN = fields_of(
    lambda w: w.admin_object("assignments", "auditentry"), "action", "reason", "before", "after"
)
# Only superusers see or change is_superuser, groups and permissions (issue #15, 2).
PRIVILEGES_FROZEN = fields_of(lambda w: w.users[ASSIGNEE], "is_superuser", "is_staff")


def _groups_of_assignee(world):
    return sorted(world.users[ASSIGNEE].groups.values_list("name", flat=True))


NO_ADD = {"add": "denied", "add_post": "denied"}

ADMIN_MODELS = {
    # other libraries' tables: the superuser's alone. (The superuser is trusted with viewflow's
    # process and task tables too; the services are the registrar's way.)
    **admin_model("auth", "group", registrar="none", superuser="full"),
    # viewflow's processes and tasks are records of the process: read only for everyone, so
    # nobody rewrites a task's owner or status around the rules (assignments/permissions/)
    **admin_model("viewflow", "process", registrar="none", superuser="view"),
    **admin_model("viewflow", "task", registrar="none", superuser="view"),
    # the replies that came in by mail: a record of what each did, read only
    **admin_model("replies", "inboundreply", registrar="none", superuser="view"),
    # the admin looks the reply up before it asks for permission: a registrar is sent away
    ADMIN + "replies/inboundreply/<path:object_id>/history/": Row(get=staff("away", "ok")),
    **admin_model("django_celery_beat", "periodictask", registrar="none", superuser="full"),
    **admin_model("django_celery_beat", "clockedschedule", registrar="none", superuser="full"),
    **admin_model("django_celery_beat", "crontabschedule", registrar="none", superuser="full"),
    **admin_model("django_celery_beat", "solarschedule", registrar="none", superuser="full"),
    **admin_model("django_celery_beat", "intervalschedule", registrar="none", superuser="full"),
    **admin_model("notifications", "notification", registrar="none", superuser="full"),
    # django-axes' login records: the superuser lifts a lock by deleting its attempt
    **{
        route: row
        for model in ("accessattempt", "accesslog", "accessfailurelog")
        for route, row in admin_model(
            "axes",
            model,
            # no login record exists in the test world, so the registrar's history link ends on
            # the admin index before any permission is asked; nothing is shown either way
            registrar="closed",
            superuser="full",
            superuser_except=NO_ADD,
        ).items()
    },
    # the registry
    **admin_model(
        "assignments",
        "assignment",
        registrar="edit",
        superuser="edit",
        cases=(
            corrected("title", "Hälso- och sjukvårdens organisering (rättad)"),
            tampered("set the state", {"state": "cancelled"}, ASSIGNMENT_FROZEN),
            tampered("set supersedes", {"supersedes": ""}, ASSIGNMENT_FROZEN),
        ),
    ),
    **admin_model(
        "assignments",
        "milestone",
        registrar="edit",
        superuser="edit",
        cases=(
            corrected("title", "Resurssättning (rättad)"),
            tampered("set the status", {"status": "done"}, MILESTONE_FROZEN),
        ),
    ),
    **admin_model("assignments", "milestoneupdate", registrar="view", superuser="view"),
    # an absence a registrar sets for someone who cannot (workflow/admin.py, set_absence)
    **admin_model("assignments", "absence", registrar="set_once", superuser="set_once"),
    **admin_model(
        "assignments",
        "orgunit",
        registrar="edit",
        superuser="edit",
        cases=(corrected("name", "Koncernkontoret VGR"),),
    ),
    # people: the registrar manages them, but not their privileges
    **admin_model(
        "assignments",
        "user",
        registrar="edit",
        superuser="edit",
        cases=(
            corrected("title", "Projektledare"),
            tampered(
                "make a superuser",
                {"is_superuser": "on", "is_staff": "on"},
                PRIVILEGES_FROZEN,
                frozen_for=(REGISTRAR,),
                expect=staff("any", "saved"),
            ),
            tampered(
                "give the Registrator group",
                {"groups": lambda w: [w.registrar_group.pk]},
                _groups_of_assignee,
                frozen_for=(REGISTRAR,),
                expect=staff("any", "saved"),
            ),
        ),
    ),
    **admin_model(
        "assignments",
        "group",
        registrar="edit",
        superuser="edit",
        cases=(corrected("description", "Samordnar vårdinformationsmiljön."),),
    ),
    # a submitted delivery, a decision and the audit trail are records of the process
    **admin_model(
        "assignments",
        "delivery",
        registrar="record",
        superuser="record",
        cases=(tampered("rewrite the summary", {"summary": "Omskriven."}, DELIVERY_FROZEN),),
    ),
    **admin_model(
        "assignments",
        "decision",
        registrar="record",
        superuser="record",
        cases=(
            tampered(
                "rewrite the decision",
                {"paragraph_reference": "§ 99", "decision_body": "Någon annan"},
                DECISION_FROZEN,
            ),
        ),
    ),
    **admin_model(
        "assignments",
        "auditentry",
        registrar="view",
        superuser="view",
        cases=(
            tampered(
                "rewrite the reason",
                {"reason": "Omskriven."},
                AUDIT_FROZEN,
                expect=staff("denied", "denied"),
            ),
        ),
    ),
    # reminders: as today, the superuser's (policies audited, never deleted)
    **admin_model(
        "reminders",
        "reminderpolicy",
        registrar="view",
        superuser="edit",
        cases=(corrected("send_hour", "7", registrar="denied"),),  # the default is 8
    ),
    # the outbox: rows are planned by the services, never added or deleted by hand
    **admin_model(
        "reminders",
        "reminder",
        # the registrar reads the outbox (README); retry and cancel are the superuser's actions
        # on the list, and a row's own form is read only for everyone
        registrar="view",
        superuser="view",
    ),
}


# what a public body keeps (records/): the accessibility statement for everyone; the archive
# page, the audit trail's export and the e-arkiv packages for registrars
RECORDS = {
    "tillganglighet/": Row(get=everyone("ok")),
    "arkiv/": Row(get=only(REGISTRAR, SUPERUSER), post=only(REGISTRAR, SUPERUSER, ok="bad")),
    "arkiv/granskningslogg.<str:fmt>": Row(
        get=only(REGISTRAR, SUPERUSER, ok="download"), params={"fmt": lambda w: "csv"}
    ),
    # the seed is open: whoever passes the permission check gets 409, and no package is built
    # here (building one runs Ghostscript; tests/records/test_pages.py downloads them)
    "arkiv/uppdrag/<int:pk>/e-arkiv.zip": Row(
        get=only(REGISTRAR, SUPERUSER, ok="conflict"), params={"pk": lambda w: w.seed.pk}
    ),
    "api/assignments/<int:pk>/e-arkiv/": Row(get=api(REGISTRAR, SUPERUSER, ok="conflict")),
    **admin_model("records", "gallringrule", registrar="edit", superuser="edit"),
    **admin_model("records", "legalhold", registrar="edit", superuser="edit"),
    **admin_model("records", "gallringlogentry", registrar="view", superuser="view"),
    **admin_model("records", "accessibilitystatement", registrar="edit", superuser="edit"),
    **admin_model("records", "accessibilityassessment", registrar="view", superuser="view"),
    # the dry run as a page, and disposal by POST (an empty world: nothing to dispose of)
    ADMIN + "records/gallringrule/gallra/": Row(
        get=staff("ok", "ok"), post=staff("saved", "saved")
    ),
    ADMIN + "records/gallringlogentry/export.<str:fmt>": Row(
        get=staff("download", "download"), params={"fmt": lambda w: "json"}
    ),
}


ROWS: dict[str, Row] = {
    **OUR_PAGES,
    **SITE,
    **ACCOUNTS,
    **SINGLE_SIGN_ON,
    **API_TOKENS,
    **CALENDAR_FEED,
    **ABSENCE,
    **ASSIGNMENT_PAGES,
    **API,
    **DOCUMENTS,
    **VIEWFLOW_PAGES,
    **NODE_ROWS,
    **ADMIN_SITE,
    **ADMIN_MODELS,
    **RECORDS,
}
