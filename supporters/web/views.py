"""The supporters' pages: join, check your email, confirm, your data (JSON download, deletion), unsubscribe.
Thin views over services/. Names and addresses never reach the URL or the logs."""

import json
import logging
import smtplib

from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters

from constituencies.seats.help_counts import help_counts_election, help_for_seat
from supporters.models import LocalGroup
from supporters.rules import consent, limits
from supporters.services import signup, tokens
from supporters.services.counts import seat_count
from supporters.services.emails import links, send_confirmation
from supporters.web.forms import JoinForm
from supporters.web.limits import too_many_emails, too_many_joins
from supporters.web.same_origin import NOT_FROM_THIS_SITE, join_post_allowed

logger = logging.getLogger(__name__)
EMAIL_FAILED = "We could not send your confirmation email just now, so nothing has been saved. Please try again in a few minutes."
PRIVATE = method_decorator(sensitive_post_parameters("email", "first_name"), name="dispatch")


@PRIVATE
@method_decorator(
    csrf_exempt, name="dispatch"
)  # checked in post(): a token, or this site's Origin (same_origin.py)
class JoinView(View):
    template_name = "supporters/join.html"

    def get(self, request):
        form = JoinForm(initial={"postcode": request.GET.get("postcode", "")[:20], "page": request.path})
        return self.show(form)

    def post(self, request):
        form = JoinForm(request.POST)
        if not join_post_allowed(request):  # before the limits: a forged post counts against no one
            return self.show(form, error=NOT_FROM_THIS_SITE, status=403)
        if too_many_joins(request):
            return self.show(form, error=limits.TOO_MANY_JOINS, status=429)
        if form.caught_by_honeypot:
            return redirect("supporters:check_email")  # as if it worked; nothing is stored or sent
        if not form.is_valid():
            return self.show(form, status=400)
        data = form.cleaned_data
        if too_many_emails(request, data["email"]):
            return self.show(form, error=limits.TOO_MANY_EMAILS, status=429)
        details = signup.Signup(
            constituency=data["seat"],
            email=data["email"],
            first_name=data["first_name"].strip(),
            activities=data["activities"],
            consents_to_contact=data["consents_to_contact"],
            page=data["page"],
        )
        try:
            with transaction.atomic():  # a signup whose email could not be sent is not kept
                send_confirmation(request, signup.join(details))
        except (smtplib.SMTPException, OSError) as exc:
            # The exception's text can hold the address (SMTPRecipientsRefused): log only its kind.
            logger.error("A confirmation email could not be sent: %s", type(exc).__name__)
            return self.show(form, error=EMAIL_FAILED, status=503)
        return redirect("supporters:check_email")

    def show(self, form, error="", status=200):
        return render(
            self.request,
            self.template_name,
            {"form": form, "error": error, "consent_version": consent.CURRENT.version},
            status=status,
        )


def check_email(request):
    """The one answer to every accepted signup, new address or known, so it reveals nothing."""
    return render(request, "supporters/check_email.html")


def link_problem(request, checked: tokens.Checked):
    status = 410 if checked.problem in (tokens.Problem.EXPIRED, tokens.Problem.GONE) else 400
    return render(request, "supporters/link_problem.html", {"message": checked.message}, status=status)


def help_where_it_counts(constituency):
    """For a supporter in a safe seat, the nearest seats where their time matters most (seats/help_counts.py)."""
    election = help_counts_election()
    if election is None or constituency.boundary_set_id != election.boundary_set_id:
        return None
    return help_for_seat(constituency, election)


class ConfirmView(View):
    """GET shows a button (so that link scanners in mail systems confirm nothing); POST confirms."""

    def get(self, request, token):
        checked = tokens.check_confirmation(token)
        if checked.problem:
            return link_problem(request, checked)
        return render(request, "supporters/confirm.html", {"seat": checked.supporter.constituency})

    def post(self, request, token):
        checked = tokens.check_confirmation(token)
        if checked.problem or not signup.confirm(checked.supporter):
            return link_problem(
                request, checked if checked.problem else tokens.Checked(problem=tokens.Problem.USED)
            )
        supporter = checked.supporter
        group = None
        if supporter.consents_to_contact:
            group = LocalGroup.objects.filter(constituency=supporter.constituency).first()
        return render(
            request,
            "supporters/confirmed.html",
            {
                "supporter": supporter,
                "seat": supporter.constituency,
                "count": seat_count(supporter.constituency_id),
                "local_group": group if group and group.has_details else None,
                "help_counts": help_where_it_counts(supporter.constituency),
                "data_url": links(request, supporter)["data_url"],
            },
        )


class YourDataView(View):
    def get(self, request, token):
        checked = tokens.check_data(token)
        if checked.problem:
            return link_problem(request, checked)
        held = signup.export(checked.supporter)
        if request.GET.get("format") == "json":
            response = HttpResponse(
                json.dumps(held, indent=2, ensure_ascii=False), content_type="application/json; charset=utf-8"
            )
            response["Content-Disposition"] = 'attachment; filename="seat-finder-your-data.json"'
            return response
        return render(
            request,
            "supporters/your_data.html",
            {"held": held, "supporter": checked.supporter, "token": token},
        )


def delete_data(request, token):
    if request.method != "POST":
        return redirect("supporters:your_data", token=token)
    checked = tokens.check_data(token)
    if checked.problem or not signup.delete(checked.supporter):
        return link_problem(
            request, checked if checked.problem else tokens.Checked(problem=tokens.Problem.GONE)
        )
    return render(request, "supporters/deleted.html")


@method_decorator(csrf_exempt, name="dispatch")  # RFC 8058: mail clients POST "List-Unsubscribe=One-Click"
class UnsubscribeView(View):
    def get(self, request, token):
        checked = tokens.check_data(token)
        if checked.problem:
            return link_problem(request, checked)
        return render(request, "supporters/unsubscribe.html", {"token": token, "done": False})

    def post(self, request, token):
        checked = tokens.check_data(token)
        if checked.problem:
            return link_problem(request, checked)
        signup.unsubscribe(checked.supporter)
        return render(
            request,
            "supporters/unsubscribe.html",
            {"token": token, "done": True, "data_url": reverse("supporters:your_data", args=[token])},
        )
