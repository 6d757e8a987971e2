"""Tasks the daily jobs raise for an agency (age transitions at 14, 17½ and 18; school phase transfer
deadlines): the list, soonest first, and marking one done."""
from __future__ import annotations

import uuid

from flask import abort, flash, redirect, render_template, url_for

from coordination.auth.decorators import access
from coordination.auth.web import current_actor
from coordination.domain.listing import ListSpec, page_of
from coordination.errors import Conflict, NotFound
from coordination.extensions import uow
from coordination.services import tasks as tasks_service

from ..blueprint import bp
from ..forms import ServiceForm
from ..listing import Listing, query_of

KIND_TITLES = {"age_transition": "Age transition", "phase_transfer": "School phase transfer",
               "plan_review": "Family plan review", "feedback": "You said, we did"}


TASK_LIST = ListSpec(sorts=("due", "kind"), default_sort="due",
                     filters={"kind": set(KIND_TITLES), "show": {"overdue", "due_soon"}})
TASK_SORTS = {"due": lambda t: (t.due_on, t.title), "kind": lambda t: (KIND_TITLES.get(t.kind, t.kind), t.due_on)}


class TaskDoneForm(ServiceForm):
    """A button per task (CSRF-protected POST)."""


@bp.get("/tasks")
@access("staff")
def tasks():
    items = tasks_service.open_tasks(uow(), current_actor())
    uow().commit()
    query = query_of(TASK_LIST)
    kind, show = query.filters.get("kind"), query.filters.get("show")
    chosen = [t for t in items if (kind is None or t.kind == kind) and (show is None or getattr(t, show))]
    listing = Listing(page=page_of(chosen, query, TASK_SORTS), query=query, endpoint="web.tasks", view_args={})
    return render_template("views/tasks.html", items=items, listing=listing, kinds=KIND_TITLES,
                           overdue=sum(1 for t in items if t.overdue), soon=sum(1 for t in items if t.due_soon))


@bp.post("/tasks/<uuid:task_id>/done")
@access("staff")
def task_done(task_id: uuid.UUID):
    if not TaskDoneForm().validate_on_submit():
        abort(400)
    try:
        task = tasks_service.complete_task(uow(), current_actor(), task_id)
    except NotFound:
        uow().rollback()
        abort(404)
    except Conflict:
        uow().rollback()
        flash("That task had already been marked as done", "info")
        return redirect(url_for("web.tasks"))
    title = task.title
    uow().commit()
    flash(f"Marked as done: {title}", "success")
    return redirect(url_for("web.tasks"))
