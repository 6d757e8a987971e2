"""Long text is never lost to a timed-out form (issue 15): a form with a long text (an assessment section, a case
note, a child's voice) whose CSRF token no longer matches the session (the session ended and a new one began,
for example after signing in again in another tab) is shown again with what was typed still in it, and a GOV.UK
error summary saying the page timed out and to submit it again. Nothing is saved without a valid token.

How: `@keeps_drafts(...)` exempts the view from the app-wide CSRF check that would answer with the bare error page,
so that the view's own form does the check instead (Flask-WTF's FlaskForm validates its token whenever the app-wide
check has not: `validate_on_submit()` is then false and the view saves nothing, as for any other error). Every
such view saves only after its form validates; tests post each with a stale token and find nothing saved.
`timed_out(form)` is the error summary's entry. A user signed out meanwhile (the gate would send them to sign in,
dropping the post) is shown what they typed in those fields instead, to copy, with a link to sign in: never any of
the family's record, which needs a signed-in user.

Only for the service's own pages: a post another site made the browser send (`Sec-Fetch-Site: cross-site`, or
an `Origin` that is not this service's) gets the app-wide CSRF check and its error page, never a form filled in
with someone else's words for the user to "submit again", nor those words shown back on this service's pages.
"""
from __future__ import annotations

import functools
from collections.abc import Callable

from flask import render_template, request
from flask_wtf import FlaskForm
from wtforms import TextAreaField

from coordination.extensions import csrf

TIMED_OUT = ("The page timed out, so nothing was saved. What you typed is still here: check it and submit "
             "the page again")
_FIELDS = "_draft_fields"


def keeps_drafts(*fields: tuple[str, str]) -> Callable:
    """Mark a view whose form keeps its typed text on a timed-out token; `fields` are (form field name, label) of
    its long text, shown to a user who was signed out meanwhile."""
    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def guarded(*args, **kwargs):
            if request.method == "POST" and not from_this_service():
                csrf.protect()  # another site's post: the usual check and error page (a valid token still passes)
            return view(*args, **kwargs)

        setattr(guarded, _FIELDS, fields)
        return csrf.exempt(guarded)
    return decorate


def from_this_service() -> bool:
    """The browser says the post came from this service's own pages (or says nothing: an old browser, a script;
    the form's token is checked either way)."""
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None:
        return site in ("same-origin", "none")
    origin = request.headers.get("Origin")
    return origin is None or origin.rstrip("/") == request.host_url.rstrip("/")


def timed_out(form: FlaskForm) -> list[dict]:
    """The error summary's entry when the form's token did not validate (pointing at its first long text)."""
    token = getattr(form, "csrf_token", None)
    if token is None or not token.errors:
        return []
    target = next((f for f in form if isinstance(f, TextAreaField)), None) or next(iter(form))
    return [{"text": TIMED_OUT, "href": f"#{target.id}"}]


def signed_out_draft(view: Callable | None):
    """For a post to a draft-keeping view from a user no longer signed in: a page with what they typed, or None."""
    fields = getattr(view, _FIELDS, None)
    if request.method != "POST" or not fields or not from_this_service():
        return None
    texts = [(label, request.form.get(name, "")) for name, label in fields]
    if not any(text.strip() for _, text in texts):
        return None
    return render_template("error/draft_signed_out.html", texts=texts), 400
