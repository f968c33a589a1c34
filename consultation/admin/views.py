"""Administration pages: councils (platform administrators), a council's members and roles (its
president too), the CSV invitation of members, and blocking accounts after repeated abuse."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from consultation import access
from consultation.accounts.models import User
from consultation.admin import invitations, services
from consultation.admin.forms import ROLE_LABELS, BlockForm, CouncilForm, ImportForm, MemberForm, RoleForm
from consultation.councils.models import Council
from consultation.councils.services import council_by_slug
from consultation.errors import Conflict, NotAllowed
from consultation.extensions import db
from consultation.forms import ButtonForm
from consultation.moderation import services as moderation
from consultation.permissions import Role, can_assign_role, can_block_accounts, can_manage_councils
from consultation.web import utcnow

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _status() -> int:
    return 200 if request.method == "GET" else 422


@bp.get("")
@access.authenticated
def index():
    actor = access.current_actor()
    councils = services.manageable_councils(actor)
    if not councils and not can_manage_councils(actor):
        raise NotAllowed()
    return render_template(
        "admin/index.html",
        councils=councils,
        can_manage_councils=can_manage_councils(actor),
        blocked=moderation.blocked_accounts() if can_block_accounts(actor) else [],
        can_block=can_block_accounts(actor),
    )


# ---------------------------------------------------------------------------------- councils


def _details(form: CouncilForm) -> services.CouncilDetails:
    return services.CouncilDetails(
        name=form.name.data or "",
        slug=form.slug.data or "",
        territory=form.territory.data or "",
        description=form.description.data or "",
    )


def _save_council(form: CouncilForm, council: Council | None):
    try:
        if council is None:
            council = services.create_council(current_user, _details(form), now=utcnow())
        else:
            council = services.update_council(current_user, council, _details(form), now=utcnow())
    except services.FieldError as error:
        db.session.rollback()
        getattr(form, error.field).errors = [*getattr(form, error.field).errors, str(error.message)]
        return None
    db.session.commit()
    return council


@bp.route("/councils/new", methods=["GET", "POST"])
@access.authenticated
def create_council():
    if not can_manage_councils(access.current_actor()):
        raise NotAllowed()
    form = CouncilForm()
    if form.validate_on_submit():
        council = _save_council(form, None)
        if council is not None:
            flash(_("The council %(name)s is created.", name=council.name), "success")
            return redirect(url_for("admin.members", slug=council.slug))
    return render_template("admin/council_form.html", form=form, council=None), _status()


@bp.route("/councils/<slug>/edit", methods=["GET", "POST"])
@access.authenticated
def edit_council(slug: str):
    if not can_manage_councils(access.current_actor()):
        raise NotAllowed()
    council = council_by_slug(slug)
    form = CouncilForm(obj=council)
    if form.validate_on_submit():
        saved = _save_council(form, council)
        if saved is not None:
            flash(_("The council is saved."), "success")
            return redirect(url_for("admin.index"))
    return render_template("admin/council_form.html", form=form, council=council), _status()


# ---------------------------------------------------------------------------------- members


def _role_choices(council: Council) -> list[tuple[str, str]]:
    actor = access.current_actor()
    return [SelectChoice(role.value, ROLE_LABELS[role]) for role in Role if can_assign_role(actor, council.id, role)]


def _member_form(council: Council, **kwargs) -> MemberForm:
    form = MemberForm(**kwargs)
    form.role.choices = _role_choices(council)
    return form


def _role_form(council: Council, membership, *, formdata=None) -> RoleForm:
    form = RoleForm(prefix=f"role-{membership.id}", formdata=formdata, data={"role": membership.role})
    form.role.choices = _role_choices(council)
    return form


def _render_members(
    council: Council,
    *,
    member_form: MemberForm | None = None,
    import_form: ImportForm | None = None,
    checked: invitations.CheckedFile | None = None,
    preview: invitations.ImportSummary | None = None,
    failed_role=None,
    status: int = 200,
):
    actor = access.current_actor()
    services.check_member_manager(actor, council)
    memberships = services.memberships_of(council)
    editable = {m.id for m in memberships if can_assign_role(actor, council.id, m.role_enum)}
    role_forms = {m.id: _role_form(council, m) for m in memberships if m.id in editable}
    if failed_role is not None:
        role_forms[failed_role[0]] = failed_role[1]
    return render_template(
        "admin/members.html",
        council=council,
        memberships=memberships,
        editable=editable,
        role_forms=role_forms,
        role_labels=ROLE_LABELS,
        member_form=member_form or _member_form(council, formdata=None),
        import_form=import_form or ImportForm(formdata=None),
        button_form=ButtonForm(),
        checked=checked,
        preview=preview,
        can_edit_council=can_manage_councils(actor),
    ), status


@bp.get("/councils/<slug>/members")
@access.authenticated
def members(slug: str):
    return _render_members(council_by_slug(slug))


@bp.post("/councils/<slug>/members")
@access.authenticated
def add_member(slug: str):
    council = council_by_slug(slug)
    services.check_member_manager(access.current_actor(), council)
    form = _member_form(council)
    if form.validate_on_submit():
        try:
            membership = services.add_member(
                current_user, council, email=form.email.data, role=Role(form.role.data), now=utcnow()
            )
        except services.FieldError as error:
            db.session.rollback()
            getattr(form, error.field).errors = [*getattr(form, error.field).errors, str(error.message)]
        else:
            db.session.commit()
            flash(
                _(
                    "%(name)s is now %(role)s in the council.",
                    name=membership.user.display_name,
                    role=ROLE_LABELS[membership.role_enum],
                ),
                "success",
            )
            return redirect(url_for("admin.members", slug=slug))
    return _render_members(council, member_form=form, status=422)


@bp.post("/councils/<slug>/members/<int:membership_id>/role")
@access.authenticated
def change_role(slug: str, membership_id: int):
    council = council_by_slug(slug)
    services.check_member_manager(access.current_actor(), council)
    membership = services.membership_in(council, membership_id)
    form = _role_form(council, membership, formdata=request.form)
    if not form.validate_on_submit():
        return _render_members(council, failed_role=(membership.id, form), status=422)
    services.change_role(current_user, council, membership, Role(form.role.data), now=utcnow())
    db.session.commit()
    flash(_("The role is changed."), "success")
    return redirect(url_for("admin.members", slug=slug))


@bp.post("/councils/<slug>/members/<int:membership_id>/delete")
@access.authenticated
def remove_membership(slug: str, membership_id: int):
    council = council_by_slug(slug)
    services.check_member_manager(access.current_actor(), council)
    if not ButtonForm().validate_on_submit():
        raise Conflict()
    membership = services.membership_in(council, membership_id)
    services.remove_membership(current_user, council, membership, now=utcnow())
    db.session.commit()
    flash(_("The role is taken away."), "success")
    return redirect(url_for("admin.members", slug=slug))


@bp.post("/councils/<slug>/members/import")
@access.authenticated
def import_members(slug: str):
    council = council_by_slug(slug)
    actor = access.current_actor()
    services.check_member_manager(actor, council)
    form = ImportForm()
    if not form.validate_on_submit():
        return _render_members(council, import_form=form, status=422)
    data = form.file.data.read(invitations.MAX_BYTES + 1)
    checked = invitations.check_file(data, may_assign=lambda role: can_assign_role(actor, council.id, role))
    if not checked.is_valid:
        return _render_members(council, import_form=form, checked=checked, status=422)
    summary = invitations.import_invitations(checked.invitations, council, actor_id=current_user.id, now=utcnow())
    if form.check_only.data:
        db.session.rollback()  # a check: what would happen, and nothing written
        return _render_members(council, import_form=form, checked=checked, preview=summary)
    db.session.commit()
    flash(_import_message(summary), "success")
    if summary.accounts_created:
        flash(
            _(
                "The new accounts have no password yet: each person chooses one with “Forgot your password?” "
                "on the login page, with the email address of the file."
            ),
            "info",
        )
    return redirect(url_for("admin.members", slug=slug))


def _import_message(summary: invitations.ImportSummary) -> str:
    # Labels and numbers rather than sentences: no plural to agree with four different counts.
    return _(
        "Import done. Lines: %(lines)d. Accounts created: %(created)d. Roles given: %(added)d. "
        "Roles already held: %(already)d.",
        lines=summary.lines,
        created=summary.accounts_created,
        added=summary.memberships_added,
        already=summary.already_members,
    )


# ---------------------------------------------------------------------------------- accounts and blocks


def _councils_of(history) -> dict[int, Council]:
    ids = sorted({hiding.council_id for hiding in history})
    return {c.id: c for c in db.session.scalars(select(Council).where(Council.id.in_(ids or [-1])))}


def _render_account(person: User, *, form: BlockForm | None = None, status: int = 200):
    history = moderation.hidden_history(person.id)
    return render_template(
        "admin/account.html",
        person=person,
        form=form or BlockForm(formdata=None),
        history=history,
        hidden_now=sum(1 for hiding in history if hiding.is_current),
        councils=_councils_of(history),
        role_labels=ROLE_LABELS,
    ), status


@bp.get("/accounts/<int:user_id>")
@access.authenticated
def account(user_id: int):
    return _render_account(moderation.account_for_block(access.current_actor(), user_id))


def _block_action(user_id: int, block: bool):
    person = moderation.account_for_block(access.current_actor(), user_id)
    form = BlockForm()
    if not form.validate_on_submit():
        return _render_account(person, form=form, status=422)
    action = moderation.block_account if block else moderation.unblock_account
    action(current_user, person, reason=form.reason.data, now=utcnow(), link=url_for("moderation.charter"))
    db.session.commit()
    if block:
        flash(_("The account of %(name)s is blocked: it can no longer log in.", name=person.display_name), "success")
    else:
        flash(_("The account of %(name)s is unblocked.", name=person.display_name), "success")
    return redirect(url_for("admin.account", user_id=person.id))


@bp.post("/accounts/<int:user_id>/block")
@access.authenticated
def block(user_id: int):
    return _block_action(user_id, True)


@bp.post("/accounts/<int:user_id>/unblock")
@access.authenticated
def unblock(user_id: int):
    return _block_action(user_id, False)
